// QueryExecutor: reads of committed state through one consistent view (a snapshot of the state DB
// as of one block). When it belongs to a TxSimulator it records every read into the rw-set builder:
// point reads with the committed version, range queries as RangeQueryInfo (for phantom checks).
import { createHash } from 'node:crypto';
import { type kvrwset } from '@fabric-peer/protos';
import { utf8 } from '../internal/bytes.js';
import { LedgerError, LedgerErrorCode } from '../errors.js';
import { decodeMetadata, type KeyMetadata } from '../statedb/metadata.js';
import { type StateView, type VersionedDB } from '../statedb/statedb.js';
import { hashedNamespace, privateNamespace, sameVersion, type VersionedKV } from '../statedb/types.js';
import { RangeQueryResultsHelper } from './rangequeryhelper.js';
import { type RWSetBuilder } from './rwsetbuilder.js';

/** queryresult.KV's shape. */
export interface QueryResultKV {
  namespace: string;
  key: string;
  value: Uint8Array;
}

/** An async iterator over a key range. Call close() (or finish the loop) when done. */
export interface StateIterator extends AsyncIterableIterator<QueryResultKV> {
  close(): Promise<void>;
}

/** A page of a paginated range query: its results and the key to start the next page from ('' = no more). */
export interface StatePage {
  results: QueryResultKV[];
  bookmark: string;
}

class RangeIterator implements StateIterator {
  private exhausted = false;
  private closed = false;
  readonly rqi: kvrwset.RangeQueryInfo | undefined;
  readonly helper: RangeQueryResultsHelper | undefined;

  constructor(
    private readonly source: AsyncGenerator<VersionedKV>,
    readonly namespace: string,
    startKey: string,
    private readonly endKey: string,
    record: boolean,
  ) {
    if (record) {
      this.rqi = { startKey, endKey: '', itrExhausted: false } as kvrwset.RangeQueryInfo;
      this.helper = new RangeQueryResultsHelper();
    }
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<QueryResultKV>> {
    if (this.closed || this.exhausted) return { done: true, value: undefined };
    const r = await this.source.next();
    if (r.done) {
      this.exhausted = true;
      if (this.rqi) {
        this.rqi.itrExhausted = true;
        this.rqi.endKey = this.endKey;
      }
      return { done: true, value: undefined };
    }
    const kv = r.value;
    if (this.rqi && this.helper) {
      this.helper.addResult({
        key: kv.key,
        version: { blockNum: kv.version.blockNum, txNum: kv.version.txNum },
      });
      this.rqi.endKey = kv.key;
    }
    return { done: false, value: { namespace: this.namespace, key: kv.key, value: kv.value } };
  }

  async return(): Promise<IteratorResult<QueryResultKV>> {
    await this.close();
    return { done: true, value: undefined };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.source.return(undefined);
  }
}

export class QueryExecutor {
  protected isDone = false;
  protected readonly iterators: RangeIterator[] = [];

  constructor(
    protected readonly db: VersionedDB,
    protected readonly view: StateView,
    readonly txId: string,
    protected readonly builder?: RWSetBuilder,
  ) {}

  async getState(ns: string, key: string): Promise<Uint8Array | undefined> {
    this.checkDone();
    const vv = await this.db.get(ns, utf8(key), this.view);
    this.builder?.addToReadSet(ns, key, vv?.version);
    return vv?.value;
  }

  async getStateMultipleKeys(ns: string, keys: readonly string[]): Promise<(Uint8Array | undefined)[]> {
    this.checkDone();
    const vvs = await this.db.getMany(ns, keys.map(utf8), this.view);
    return vvs.map((vv, i) => {
      this.builder?.addToReadSet(ns, keys[i] as string, vv?.version);
      return vv?.value;
    });
  }

  async getStateMetadata(ns: string, key: string): Promise<KeyMetadata | undefined> {
    this.checkDone();
    const vv = await this.db.get(ns, utf8(key), this.view);
    this.builder?.addToReadSet(ns, key, vv?.version);
    return decodeMetadata(vv?.metadata);
  }

  /** getStateMetadata of many keys of one namespace with one store read (the committer's VALIDATION_PARAMETER look-ups). */
  async getStateMetadataMultipleKeys(
    ns: string,
    keys: readonly string[],
  ): Promise<(KeyMetadata | undefined)[]> {
    this.checkDone();
    const vvs = await this.db.getMany(ns, keys.map(utf8), this.view);
    return vvs.map((vv, i) => {
      this.builder?.addToReadSet(ns, keys[i] as string, vv?.version);
      return decodeMetadata(vv?.metadata);
    });
  }

  /** Keys in [startKey, endKey) of `ns`; endKey '' = to the end of the namespace. */
  getStateRangeScanIterator(ns: string, startKey: string, endKey: string): StateIterator {
    this.checkDone();
    const it = new RangeIterator(
      this.db.range(ns, utf8(startKey), endKey === '' ? undefined : utf8(endKey), this.view),
      ns,
      startKey,
      endKey,
      this.builder !== undefined,
    );
    this.iterators.push(it);
    return it;
  }

  /** One page of at most pageSize results, starting at startKey (or the previous page's bookmark). */
  async getStateRangeScanIteratorWithPagination(
    ns: string,
    startKey: string,
    endKey: string,
    pageSize: number,
  ): Promise<StatePage> {
    this.checkDone();
    if (!Number.isInteger(pageSize) || pageSize <= 0) {
      throw new LedgerError(
        LedgerErrorCode.INVALID_ARGUMENT,
        `page size must be a positive integer, got ${pageSize}`,
      );
    }
    const source = this.db.range(ns, utf8(startKey), endKey === '' ? undefined : utf8(endKey), this.view);
    const limited = (async function* (): AsyncGenerator<VersionedKV> {
      let n = 0;
      for await (const kv of source) {
        if (n++ === pageSize) return;
        yield kv;
      }
    })();
    const it = new RangeIterator(limited, ns, startKey, endKey, this.builder !== undefined);
    this.iterators.push(it);
    const results: QueryResultKV[] = [];
    for await (const kv of it) results.push(kv);
    let bookmark = '';
    if (results.length === pageSize) {
      const after = this.db.range(
        ns,
        utf8((results[pageSize - 1] as QueryResultKV).key),
        undefined,
        this.view,
      );
      try {
        await after.next();
        const nxt = await after.next();
        if (!nxt.done && (endKey === '' || Buffer.compare(utf8(nxt.value.key), utf8(endKey)) < 0)) {
          bookmark = nxt.value.key;
        }
      } finally {
        await after.return(undefined);
      }
    }
    return { results, bookmark };
  }

  /** The hash of a private data value (its hashed state), recorded as a hashed read. */
  async getPrivateDataHash(ns: string, coll: string, key: string): Promise<Uint8Array | undefined> {
    this.checkDone();
    const keyHash = createHash('sha256').update(key, 'utf8').digest();
    const vv = await this.db.get(hashedNamespace(ns, coll), keyHash, this.view);
    this.builder?.addToHashedReadSet(ns, coll, key, keyHash, vv?.version);
    return vv?.value;
  }

  /**
   * A private value from this peer's private state, checked against the committed hash version
   * (Fabric's GetPrivateData); recorded as a hashed read.
   */
  async getPrivateData(ns: string, coll: string, key: string): Promise<Uint8Array | undefined> {
    this.checkDone();
    const keyHash = createHash('sha256').update(key, 'utf8').digest();
    const [pvt, hashed] = await Promise.all([
      this.db.get(privateNamespace(ns, coll), utf8(key), this.view),
      this.db.get(hashedNamespace(ns, coll), keyHash, this.view),
    ]);
    if (!sameVersion(pvt?.version, hashed?.version)) {
      throw new LedgerError(
        LedgerErrorCode.PVTDATA_NOT_AVAILABLE,
        `private data matching public hash version is not available (${ns}/${coll})`,
        { txId: this.txId || undefined },
      );
    }
    this.builder?.addToHashedReadSet(ns, coll, key, keyHash, pvt?.version);
    return pvt?.value;
  }

  /** Releases the view; the executor (and its iterators) cannot be used afterwards. */
  async done(): Promise<void> {
    if (this.isDone) return;
    this.isDone = true;
    for (const it of this.iterators) await it.close();
    await this.db.releaseView(this.view);
  }

  protected checkDone(): void {
    if (this.isDone) {
      throw new LedgerError(LedgerErrorCode.CLOSED, 'query executor already done', {
        txId: this.txId || undefined,
      });
    }
  }

  /** Moves every range query's info into the builder, in the order the queries were made. */
  protected recordRangeQueries(): void {
    if (!this.builder) return;
    for (const it of this.iterators) {
      if (!it.rqi || !it.helper) continue;
      const { reads, summary } = it.helper.done();
      const rqi: kvrwset.RangeQueryInfo = { ...it.rqi };
      if (summary) rqi.readsMerkleHashes = summary;
      else if (reads.length > 0) rqi.rawReads = { kvReads: reads };
      this.builder.addToRangeQuerySet(it.namespace, rqi);
    }
  }
}
