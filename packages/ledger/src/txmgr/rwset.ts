// A transaction's read-write set in its decoded form (Fabric's rwsetutil.TxRwSet): namespaces in
// order, each with its public KVRWSet and its collections' hashed rw-sets, and the conversions to
// and from the rwset.TxReadWriteSet protobuf.
import { createHash } from 'node:crypto';
import { kvrwset, rwset } from '@fabric-peer/protos';

export interface CollHashedRwSet {
  collectionName: string;
  hashedRwSet: kvrwset.HashedRWSet;
  pvtRwSetHash: Uint8Array;
}

export interface NsRwSet {
  namespace: string;
  kvRwSet: kvrwset.KVRWSet;
  collHashedRwSets: CollHashedRwSet[];
}

export interface TxRwSet {
  nsRwSets: NsRwSet[];
}

/** Decodes rwset.TxReadWriteSet bytes (ChaincodeAction.results); throws on bad bytes. */
export function decodeTxRwSet(bytes: Uint8Array): TxRwSet {
  const txrw = rwset.TxReadWriteSet.decode(bytes);
  return {
    nsRwSets: txrw.nsRwset.map((ns) => ({
      namespace: ns.namespace,
      kvRwSet: kvrwset.KVRWSet.decode(ns.rwset),
      collHashedRwSets: ns.collectionHashedRwset.map((c) => ({
        collectionName: c.collectionName,
        hashedRwSet: kvrwset.HashedRWSet.decode(c.hashedRwset),
        pvtRwSetHash: c.pvtRwsetHash,
      })),
    })),
  };
}

/** The protobuf form, data_model KV, as Fabric's rwsetutil lays it out. */
export function toProto(t: TxRwSet): rwset.TxReadWriteSet {
  return rwset.TxReadWriteSet.create({
    dataModel: 0, // KV
    nsRwset: t.nsRwSets.map((ns) => ({
      namespace: ns.namespace,
      rwset: kvrwset.KVRWSet.encode(ns.kvRwSet),
      collectionHashedRwset: ns.collHashedRwSets.map((c) => ({
        collectionName: c.collectionName,
        hashedRwset: kvrwset.HashedRWSet.encode(c.hashedRwSet),
        pvtRwsetHash: c.pvtRwSetHash,
      })),
    })),
  });
}

export function encodeTxRwSet(t: TxRwSet): Uint8Array {
  return rwset.TxReadWriteSet.encode(toProto(t));
}

/** A KVWrite deletes when flagged or when it carries no value (rwsetutil.IsKVWriteDelete). */
export function isDelete(w: { isDelete: boolean; value: Uint8Array }): boolean {
  return w.isDelete || w.value.length === 0;
}

const HASH_OF_EMPTY = createHash('sha256').digest();

/** rwsetutil.IsKVWriteHashDelete: flagged, no value hash, or the hash of an empty value. */
export function isHashedDelete(w: { isDelete: boolean; valueHash: Uint8Array }): boolean {
  return w.isDelete || w.valueHash.length === 0 || HASH_OF_EMPTY.equals(w.valueHash);
}
