// Private data at commit: a valid transaction's private rw-set (from the transient store or gossip,
// handed in by the caller) is applied to the private state `ns$$p<collection>` when its bytes hash
// to the pvt_rwset_hash the public rw-set carries; otherwise it is ignored (missing, as in Fabric).
// The accepted sets are kept with the block (key 'p' be64(n)) so recovery can replay them.
import { createHash } from 'node:crypto';
import { kvrwset, rwset } from '@fabric-peer/protos';
import { ByteReader, bytesEqual, toBuffer, utf8, varint } from '../internal/bytes.js';
import { privateNamespace, type Height } from '../statedb/types.js';
import { isDelete, type TxRwSet } from './rwset.js';
import { type BlockUpdates } from './updates.js';

export type PvtDataInput = ReadonlyMap<number, rwset.TxPvtReadWriteSet | Uint8Array>;

/** Applies the collections whose hash matches; returns what was accepted (undefined if nothing). */
export function applyPvtWrites(
  u: BlockUpdates,
  rw: TxRwSet,
  input: rwset.TxPvtReadWriteSet | Uint8Array,
  h: Height,
): rwset.TxPvtReadWriteSet | undefined {
  let pvt: rwset.TxPvtReadWriteSet;
  try {
    pvt = input instanceof Uint8Array ? rwset.TxPvtReadWriteSet.decode(input) : input;
  } catch {
    return undefined;
  }
  const accepted: rwset.NsPvtReadWriteSet[] = [];
  for (const ns of pvt.nsPvtRwset) {
    const pub = rw.nsRwSets.find((n) => n.namespace === ns.namespace);
    const colls = ns.collectionPvtRwset.filter((c) => {
      const hashed = pub?.collHashedRwSets.find((x) => x.collectionName === c.collectionName);
      return (
        hashed !== undefined && bytesEqual(createHash('sha256').update(c.rwset).digest(), hashed.pvtRwSetHash)
      );
    });
    for (const c of colls) {
      let kv: kvrwset.KVRWSet;
      try {
        kv = kvrwset.KVRWSet.decode(c.rwset);
      } catch {
        continue;
      }
      const pns = privateNamespace(ns.namespace, c.collectionName);
      for (const w of kv.writes) {
        if (isDelete(w)) u.pvt.delete(pns, utf8(w.key), h);
        else u.pvt.put(pns, utf8(w.key), toBuffer(w.value), h);
      }
    }
    if (colls.length > 0) accepted.push({ namespace: ns.namespace, collectionPvtRwset: colls });
  }
  return accepted.length > 0 ? { dataModel: pvt.dataModel, nsPvtRwset: accepted } : undefined;
}

/** A block's accepted private rw-sets: repeated varint(txIndex) varint(len) TxPvtReadWriteSet. */
export function encodeBlockPvtData(sets: ReadonlyMap<number, rwset.TxPvtReadWriteSet>): Buffer | undefined {
  if (sets.size === 0) return undefined;
  const parts: Buffer[] = [];
  for (const [i, set] of [...sets].sort(([a], [b]) => a - b)) {
    const b = rwset.TxPvtReadWriteSet.encode(set);
    parts.push(varint(i), varint(b.length), toBuffer(b));
  }
  return Buffer.concat(parts);
}

export function decodeBlockPvtData(raw: Buffer | undefined): Map<number, Uint8Array> {
  const out = new Map<number, Uint8Array>();
  if (!raw) return out;
  const r = new ByteReader(raw);
  while (!r.done) {
    const i = r.varint();
    out.set(i, r.lenPrefixed());
  }
  return out;
}
