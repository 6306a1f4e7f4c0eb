// VersionedDB: the world state, per namespace, on an abstract-level store.
// Layout: 's' ns 0x00 key -> value record (statedb/types.ts); 'S' -> savepoint (last committed block).
// A bounded cache of point reads keeps simulation fast; it always holds the latest committed
// state and is only used by readers whose view is that state (see StateView).
import { type AbstractSnapshot } from 'abstract-level';
import { be64, prefixEnd, readBe64, utf8 } from '../internal/bytes.js';
import { type BatchOp, type Store, writeBatch } from '../internal/store.js';
import { LedgerError, LedgerErrorCode } from '../errors.js';
import { type UpdateBatch } from './updatebatch.js';
import {
  decodeVersionedValue,
  encodeVersionedValue,
  type Height,
  type VersionedKV,
  type VersionedValue,
} from './types.js';

const STATE = 0x73; // 's'
const SAVEPOINT_KEY = Buffer.from('S');
const CACHE_ENTRIES = 100_000;
const CACHE_BYTES = 64 * 1024 * 1024;

/** A consistent read view: the state as of one committed block. */
export interface StateView {
  readonly generation: number;
  readonly snapshot: AbstractSnapshot | undefined;
}

const cost = (ck: string, v: VersionedValue | null): number =>
  64 + ck.length + (v ? v.value.length + (v.metadata?.length ?? 0) : 0);

/** 's' ns 0x00 of the namespaces in use (a handful per channel; bounded all the same). */
const nsPrefixes = new Map<string, Buffer>();

function nsPrefix(ns: string): Buffer {
  let p = nsPrefixes.get(ns);
  if (p === undefined) {
    const nsb = utf8(ns);
    p = Buffer.alloc(nsb.length + 2);
    p[0] = STATE;
    nsb.copy(p, 1);
    if (nsPrefixes.size >= 1024) nsPrefixes.clear();
    nsPrefixes.set(ns, p);
  }
  return p;
}

export function stateKey(ns: string, keyBytes: Buffer): Buffer {
  const prefix = nsPrefix(ns);
  const k = Buffer.allocUnsafe(prefix.length + keyBytes.length);
  prefix.copy(k, 0);
  keyBytes.copy(k, prefix.length);
  return k;
}

export class VersionedDB {
  /** Bumped each time a block's updates are applied; views of an older generation read their snapshot. */
  private gen = 0;
  private readonly cache = new Map<string, VersionedValue | null>();
  private writing: Promise<void> | undefined;
  private cacheBytes = 0;

  constructor(
    private readonly db: Store,
    private readonly channel: string,
  ) {}

  get generation(): number {
    return this.gen;
  }

  /** A view of the latest committed state (never half a block). Close it with releaseView(). */
  async openView(): Promise<StateView> {
    while (this.writing) await this.writing;
    return { generation: this.gen, snapshot: this.db.snapshot() };
  }

  async releaseView(view: StateView): Promise<void> {
    await view.snapshot?.close();
  }

  async savepoint(): Promise<number | undefined> {
    const raw = await this.db.get(SAVEPOINT_KEY);
    return raw === undefined ? undefined : readBe64(raw);
  }

  async get(ns: string, keyBytes: Buffer, view?: StateView): Promise<VersionedValue | undefined> {
    const k = stateKey(ns, keyBytes);
    const current = view === undefined || view.generation === this.gen;
    const ck = k.toString('latin1');
    if (current) {
      const hit = this.cache.get(ck);
      if (hit !== undefined) return hit ?? undefined;
    }
    const gen = this.gen;
    const raw = await this.db.get(k, view?.snapshot ? { snapshot: view.snapshot } : {});
    const v = raw === undefined ? undefined : this.decode(raw, ns);
    if (current && gen === this.gen) this.remember(ck, v ?? null);
    return v;
  }

  /** Many point reads at once (one getMany for the cache misses). */
  async getMany(ns: string, keys: Buffer[], view?: StateView): Promise<(VersionedValue | undefined)[]> {
    const out: (VersionedValue | undefined)[] = new Array(keys.length);
    const current = view === undefined || view.generation === this.gen;
    const missIdx: number[] = [];
    const missKeys: Buffer[] = [];
    keys.forEach((kb, i) => {
      const k = stateKey(ns, kb);
      const hit = current ? this.cache.get(k.toString('latin1')) : undefined;
      if (hit !== undefined) out[i] = hit ?? undefined;
      else {
        missIdx.push(i);
        missKeys.push(k);
      }
    });
    if (missKeys.length === 0) return out;
    const gen = this.gen;
    const raws = await this.db.getMany(missKeys, view?.snapshot ? { snapshot: view.snapshot } : {});
    raws.forEach((raw, j) => {
      const v = raw === undefined ? undefined : this.decode(raw, ns);
      out[missIdx[j] as number] = v;
      if (current && gen === this.gen) this.remember((missKeys[j] as Buffer).toString('latin1'), v ?? null);
    });
    return out;
  }

  async getVersion(ns: string, keyBytes: Buffer): Promise<Height | undefined> {
    return (await this.get(ns, keyBytes))?.version;
  }

  /**
   * Keys of `ns` in [start, end) in key order; end undefined (or empty) = to the end of the namespace.
   * With `inclusiveEnd`, `end` itself is included.
   */
  async *range(
    ns: string,
    start: Buffer,
    end: Buffer | undefined,
    view?: StateView,
    inclusiveEnd = false,
  ): AsyncGenerator<VersionedKV> {
    const nsPrefix = stateKey(ns, Buffer.alloc(0));
    const gte = stateKey(ns, start);
    const bound =
      end === undefined || end.length === 0
        ? { lt: prefixEnd(nsPrefix) }
        : inclusiveEnd
          ? { lte: stateKey(ns, end) }
          : { lt: stateKey(ns, end) };
    const it = this.db.iterator({ gte, ...bound, ...(view?.snapshot ? { snapshot: view.snapshot } : {}) });
    try {
      for (;;) {
        const entries = await it.nextv(256);
        if (entries.length === 0) return;
        for (const [k, raw] of entries) {
          const v = this.decode(raw, ns);
          yield { key: k.subarray(nsPrefix.length).toString('utf8'), ...v };
        }
      }
    } finally {
      await it.close();
    }
  }

  /** Writes a block's updates and the savepoint in one atomic batch. */
  async applyUpdates(batches: readonly UpdateBatch[], blockNum: number): Promise<void> {
    const ops: BatchOp[] = [];
    const touched: [string, VersionedValue | null][] = [];
    for (const [ns, u] of batches.flatMap((b) => [...b.all()])) {
      const k = stateKey(ns, u.keyBytes);
      if (u.value === null) {
        ops.push({ type: 'del', key: k });
        touched.push([k.toString('latin1'), null]);
      } else {
        const vv: VersionedValue = { value: u.value, version: u.version, metadata: u.metadata };
        ops.push({ type: 'put', key: k, value: encodeVersionedValue(vv) });
        touched.push([k.toString('latin1'), vv]);
      }
    }
    ops.push({ type: 'put', key: SAVEPOINT_KEY, value: be64(blockNum) });
    const write = writeBatch(this.db, ops);
    this.writing = write.then(
      () => undefined,
      () => undefined,
    );
    try {
      await write;
    } finally {
      this.writing = undefined;
    }
    // Same tick as the generation bump: readers of the new generation see the new values.
    this.gen++;
    for (const [ck, v] of touched) this.remember(ck, v);
  }

  /** Drops the whole state (rebuilt from blocks on the next open). */
  async drop(): Promise<void> {
    await this.db.clear({ gte: Buffer.from([STATE]), lt: Buffer.from([STATE + 1]) });
    await this.db.del(SAVEPOINT_KEY);
    this.cache.clear();
    this.cacheBytes = 0;
    this.gen++;
  }

  /** Evicts the oldest entries first; bounded by entries and by bytes (big values do not pile up). */
  private remember(ck: string, v: VersionedValue | null): void {
    const old = this.cache.get(ck);
    if (old !== undefined) {
      this.cacheBytes -= cost(ck, old);
      this.cache.delete(ck);
    }
    const c = cost(ck, v);
    if (c > CACHE_BYTES / 16) return;
    while (this.cache.size > 0 && (this.cache.size >= CACHE_ENTRIES || this.cacheBytes + c > CACHE_BYTES)) {
      const [oldestKey, oldestValue] = this.cache.entries().next().value as [string, VersionedValue | null];
      this.cache.delete(oldestKey);
      this.cacheBytes -= cost(oldestKey, oldestValue);
    }
    this.cache.set(ck, v);
    this.cacheBytes += c;
  }

  private decode(raw: Buffer, ns: string): VersionedValue {
    try {
      return decodeVersionedValue(raw);
    } catch (cause) {
      throw new LedgerError(LedgerErrorCode.CORRUPT_RECORD, `corrupt state record in namespace ${ns}`, {
        channel: this.channel,
        cause,
      });
    }
  }
}
