// The state views the lifecycle functions work on (Fabric's ChaincodePublicLedgerShim,
// ChaincodePrivateLedgerShim, SimpleQueryExecutorShim, PrivateQueryExecutorShim): `_lifecycle`'s public
// state and an org's implicit collection, read (and written) through the transaction's simulator so
// every read and write lands in its rw-set exactly as Fabric records it.
import type { QueryExecutor, TxSimulator } from '@fabric-peer/ledger';
import { LIFECYCLE_NAMESPACE, implicitCollectionName } from '../lifecycle/index.js';
import type { OpaqueState, RangeableState, ReadWritableState, ReadableState } from './serializer.js';

/** `_lifecycle`'s public state through a simulator (writes allowed). */
export function publicState(sim: TxSimulator): ReadWritableState & RangeableState {
  return {
    getState: (key) => sim.getState(LIFECYCLE_NAMESPACE, key),
    putState: (key, value) => sim.setState(LIFECYCLE_NAMESPACE, key, value),
    delState: (key) => sim.deleteState(LIFECYCLE_NAMESPACE, key),
    getStateRange: (prefix) => rangeOf(sim, prefix),
  };
}

/** `_lifecycle`'s public state through a query executor (reads only). */
export function publicQueryState(qe: QueryExecutor): ReadableState & RangeableState {
  return {
    getState: (key) => qe.getState(LIFECYCLE_NAMESPACE, key),
    getStateRange: (prefix) => rangeOf(qe, prefix),
  };
}

/** An org's implicit collection: its own values (this peer's org) through the simulator. */
export function orgState(sim: TxSimulator, mspId: string): ReadWritableState & OpaqueState {
  const coll = implicitCollectionName(mspId);
  return {
    collectionName: coll,
    getState: (key) => sim.getPrivateData(LIFECYCLE_NAMESPACE, coll, key),
    putState: (key, value) => sim.setPrivateData(LIFECYCLE_NAMESPACE, coll, key, value),
    delState: (key) => sim.deletePrivateData(LIFECYCLE_NAMESPACE, coll, key),
    getStateHash: (key) => sim.getPrivateDataHash(LIFECYCLE_NAMESPACE, coll, key),
  };
}

/** An org's implicit collection seen by hash only (any org, through a simulator or query executor). */
export function opaqueOrgState(qe: QueryExecutor, mspId: string): OpaqueState & ReadableState {
  const coll = implicitCollectionName(mspId);
  return {
    collectionName: coll,
    getStateHash: (key) => qe.getPrivateDataHash(LIFECYCLE_NAMESPACE, coll, key),
    getState: (key) => qe.getPrivateData(LIFECYCLE_NAMESPACE, coll, key),
  };
}

/** The MSP id of an implicit collection name, or undefined. */
export function mspIdOfImplicitCollection(coll: string): string | undefined {
  const prefix = implicitCollectionName('');
  return coll.startsWith(prefix) ? coll.slice(prefix.length) : undefined;
}

/** Fabric's GetStateRange(prefix): GetStateByRange(prefix, prefix + "\x7f"). */
async function rangeOf(qe: QueryExecutor, prefix: string): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  const it = qe.getStateRangeScanIterator(LIFECYCLE_NAMESPACE, prefix, `${prefix}\x7f`);
  try {
    for await (const kv of it) out.set(kv.key, kv.value);
  } finally {
    await it.close();
  }
  return out;
}
