// A block's state updates, public and hashed, and how a valid transaction's write set turns into
// them (Fabric's validation/tx_ops.go): a plain write keeps the key's metadata, a metadata-only
// write keeps its value (and is dropped when the key does not exist), a delete drops both.
import { latin1OfUtf8, toBuffer, utf8 } from '../internal/bytes.js';
import { encodeMetadata } from '../statedb/metadata.js';
import { type VersionedDB } from '../statedb/statedb.js';
import { hashedNamespace, type Height, type VersionedValue } from '../statedb/types.js';
import { UpdateBatch } from '../statedb/updatebatch.js';
import { isDelete, isHashedDelete, type TxRwSet } from './rwset.js';

export class BlockUpdates {
  readonly pub = new UpdateBatch();
  /** Hashed writes, under Fabric's derived namespace `ns$$hcoll`. */
  readonly hashed = new UpdateBatch();
  /** Private writes (this peer's private state), under `ns$$pcoll`; not part of the commit hash. */
  readonly pvt = new UpdateBatch();
  /** derived namespace -> [namespace, collection] */
  readonly hashedColls = new Map<string, [string, string]>();

  hashedNs(ns: string, coll: string): string {
    const d = hashedNamespace(ns, coll);
    if (!this.hashedColls.has(d)) this.hashedColls.set(d, [ns, coll]);
    return d;
  }
}

interface KeyOp {
  ns: string;
  key: Buffer;
  /** key as a latin1 string: its id in the update batch. */
  id: string;
  /** The key as a string (public keys): how the block's preloaded state is looked up. */
  str?: string;
  value?: Buffer | null; // null = delete
  metadata?: Buffer | null; // null = remove metadata
}

/** Committed values known without a read: a value, null (no such key) or undefined (unknown). */
export interface CommittedLookup {
  get(ns: string, key: string): VersionedValue | null | undefined;
}

type Latest = { value: Buffer; metadata: Buffer | undefined } | undefined;

async function latest(db: VersionedDB, batch: UpdateBatch, ns: string, key: Buffer): Promise<Latest> {
  const u = batch.get(ns, key);
  if (u) return u.value === null ? undefined : { value: u.value, metadata: u.metadata };
  const vv = await db.get(ns, key);
  return vv ? { value: vv.value, metadata: vv.metadata } : undefined;
}

function applyOp(batch: UpdateBatch, op: KeyOp, h: Height, cur: Latest): void {
  if (op.value !== undefined && op.value !== null) {
    batch.put(op.ns, op.key, op.value, h, cur?.metadata, op.id);
  } else if (cur) {
    batch.put(op.ns, op.key, cur.value, h, op.metadata ?? undefined, op.id);
  }
}

/**
 * Applies the ops whose outcome is known now; the ones that need a committed value nobody preloaded
 * go to `late` (each op is a different key of its batch, so their order does not matter).
 */
function applyOps(
  batch: UpdateBatch,
  ops: Map<string, KeyOp>,
  h: Height,
  pre: CommittedLookup | undefined,
  late: [UpdateBatch, KeyOp][],
): void {
  for (const op of ops.values()) {
    if (op.value === null) {
      batch.delete(op.ns, op.key, h, op.id);
      continue;
    }
    if (op.value !== undefined && op.metadata !== undefined) {
      batch.put(op.ns, op.key, op.value, h, op.metadata ?? undefined, op.id);
      continue;
    }
    const u = batch.get(op.ns, op.key, op.id);
    if (u) {
      applyOp(batch, op, h, u.value === null ? undefined : { value: u.value, metadata: u.metadata });
      continue;
    }
    const vv = pre && op.str !== undefined ? pre.get(op.ns, op.str) : undefined;
    if (vv === undefined) late.push([batch, op]);
    else applyOp(batch, op, h, vv === null ? undefined : { value: vv.value, metadata: vv.metadata });
  }
}

async function applyLate(db: VersionedDB, late: [UpdateBatch, KeyOp][], h: Height): Promise<void> {
  for (const [batch, op] of late) applyOp(batch, op, h, await latest(db, batch, op.ns, op.key));
}

/** The op on one key; `str`: a public key as given (its UTF-8 bytes are `key`). */
function op(ops: Map<string, KeyOp>, ns: string, key: Buffer, id: string, str?: string): KeyOp {
  const opId = `${ns}\u0000${id}`;
  let o = ops.get(opId);
  if (!o) {
    o = str === undefined ? { ns, key, id } : { ns, key, id, str };
    ops.set(opId, o);
  }
  return o;
}

/**
 * Adds a valid transaction's writes (at height h) to the block's updates. Committed values come from
 * `pre` when it has them; returns a promise only when some had to be read.
 */
export function applyWriteSet(
  db: VersionedDB,
  u: BlockUpdates,
  rw: TxRwSet,
  h: Height,
  pre?: CommittedLookup,
): Promise<void> | undefined {
  const pubOps = new Map<string, KeyOp>();
  const hashOps = new Map<string, KeyOp>();
  for (const ns of rw.nsRwSets) {
    for (const w of ns.kvRwSet.writes) {
      const o = op(pubOps, ns.namespace, utf8(w.key), latin1OfUtf8(w.key), w.key);
      o.value = isDelete(w) ? null : toBuffer(w.value);
    }
    for (const mw of ns.kvRwSet.metadataWrites) {
      const o = op(pubOps, ns.namespace, utf8(mw.key), latin1OfUtf8(mw.key), mw.key);
      o.metadata = encodeMetadata(Object.fromEntries(mw.entries.map((e) => [e.name, e.value]))) ?? null;
    }
    for (const c of ns.collHashedRwSets) {
      const dns = u.hashedNs(ns.namespace, c.collectionName);
      for (const w of c.hashedRwSet.hashedWrites) {
        const kb = toBuffer(w.keyHash);
        op(hashOps, dns, kb, kb.toString('latin1')).value = isHashedDelete(w) ? null : toBuffer(w.valueHash);
      }
      for (const mw of c.hashedRwSet.metadataWrites) {
        const kb = toBuffer(mw.keyHash);
        const o = op(hashOps, dns, kb, kb.toString('latin1'));
        o.metadata = encodeMetadata(Object.fromEntries(mw.entries.map((e) => [e.name, e.value]))) ?? null;
      }
    }
  }
  const late: [UpdateBatch, KeyOp][] = [];
  applyOps(u.pub, pubOps, h, pre, late);
  applyOps(u.hashed, hashOps, h, undefined, late);
  return late.length === 0 ? undefined : applyLate(db, late, h);
}
