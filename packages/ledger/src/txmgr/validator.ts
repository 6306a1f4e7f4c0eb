// MVCC validation of a block, in block order, as Fabric's validation/validator.go:
// a read whose key an earlier valid tx of the block wrote, or whose committed version differs, is
// MVCC_READ_CONFLICT; a range query whose re-run (committed state + this block's earlier writes)
// gives other keys or versions is PHANTOM_READ_CONFLICT; hashed reads as plain reads.
import { type kvrwset } from '@fabric-peer/protos';
import { bytesEqual, toBuffer, utf8 } from '../internal/bytes.js';
import { type VersionedDB } from '../statedb/statedb.js';
import { sameVersion, type Height, type VersionedKV, type VersionedValue } from '../statedb/types.js';
import { type UpdateBatch } from '../statedb/updatebatch.js';
import { RangeQueryResultsHelper } from './rangequeryhelper.js';
import { type TxRwSet } from './rwset.js';
import { applyWriteSet, BlockUpdates } from './updates.js';

export const TxCode = {
  VALID: 0,
  MVCC_READ_CONFLICT: 11,
  PHANTOM_READ_CONFLICT: 12,
} as const;

export interface TxToValidate {
  /** Current code: anything but 0 means already invalid (left as is). */
  code: number;
  /** The decoded rw-set of an endorser transaction; undefined for transactions with nothing to apply. */
  rwSet: TxRwSet | undefined;
}

const ver = (v: kvrwset.Version | undefined): Height | undefined =>
  v === undefined ? undefined : { blockNum: v.blockNum, txNum: v.txNum };

/**
 * Reads every public key the block reads or writes (one getMany per namespace) and keeps the answers
 * for this block: MVCC checks and write sets take them from here without a promise per key. State
 * does not change while a block is prepared (commits are serialized), so they are what db.get gives.
 */
export async function preload(db: VersionedDB, txs: readonly TxToValidate[]): Promise<CommittedState> {
  const byNs = new Map<string, Map<string, VersionedValue | null>>();
  const add = (ns: string, k: string): void => {
    let l = byNs.get(ns);
    if (!l) byNs.set(ns, (l = new Map()));
    l.set(k, null);
  };
  for (const tx of txs) {
    if (tx.code !== 0 || !tx.rwSet) continue;
    for (const ns of tx.rwSet.nsRwSets) {
      for (const r of ns.kvRwSet.reads) add(ns.namespace, r.key);
      for (const w of ns.kvRwSet.writes) add(ns.namespace, w.key);
    }
  }
  await Promise.all(
    [...byNs].map(async ([ns, m]) => {
      const keys = [...m.keys()];
      const values = await db.getMany(ns, keys.map(utf8));
      keys.forEach((k, i) => m.set(k, values[i] ?? null));
    }),
  );
  return new CommittedState(byNs);
}

/** The block's preloaded committed state: a value, null (no such key) or undefined (not preloaded). */
export class CommittedState {
  constructor(private readonly byNs: Map<string, Map<string, VersionedValue | null>>) {}

  get(ns: string, key: string): VersionedValue | null | undefined {
    return this.byNs.get(ns)?.get(key);
  }
}

/** Committed state plus this block's earlier updates, over [start, end) or [start, end]. */
async function* combinedRange(
  db: VersionedDB,
  batch: UpdateBatch,
  ns: string,
  start: string,
  end: string,
  inclusiveEnd: boolean,
): AsyncGenerator<{ key: string; version: Height }> {
  const s = utf8(start);
  const e = end === '' ? undefined : utf8(end);
  const inRange = (k: Buffer): boolean => {
    if (Buffer.compare(k, s) < 0) return false;
    if (e === undefined) return true;
    const c = Buffer.compare(k, e);
    return inclusiveEnd ? c <= 0 : c < 0;
  };
  const updates = batch.sortedUpdates(ns).filter((u) => inRange(u.keyBytes));
  let i = 0;
  const committed = db.range(ns, s, e, undefined, inclusiveEnd);
  let next: VersionedKV | undefined = (await committed.next()).value as VersionedKV | undefined;
  while (next !== undefined || i < updates.length) {
    const u = updates[i];
    const c = next === undefined ? 1 : u === undefined ? -1 : Buffer.compare(utf8(next.key), u.keyBytes);
    if (c < 0 && next) {
      yield { key: next.key, version: next.version };
      next = (await committed.next()).value as VersionedKV | undefined;
      continue;
    }
    if (c === 0) next = (await committed.next()).value as VersionedKV | undefined;
    i++;
    if (u && u.value !== null) yield { key: u.keyBytes.toString('utf8'), version: u.version };
  }
}

async function validateRangeQuery(
  db: VersionedDB,
  batch: UpdateBatch,
  ns: string,
  rqi: kvrwset.RangeQueryInfo,
): Promise<boolean> {
  const itr = combinedRange(db, batch, ns, rqi.startKey, rqi.endKey, !rqi.itrExhausted);
  try {
    if (rqi.readsMerkleHashes) return await validateRangeQueryHashes(itr, rqi.readsMerkleHashes);
    const expected = rqi.rawReads?.kvReads ?? [];
    for (const read of expected) {
      const r = await itr.next();
      if (r.done || r.value.key !== read.key || !sameVersion(r.value.version, ver(read.version)))
        return false;
    }
    return (await itr.next()).done === true;
  } finally {
    await itr.return(undefined);
  }
}

async function validateRangeQueryHashes(
  itr: AsyncGenerator<{ key: string; version: Height }>,
  inMerkle: kvrwset.QueryReadsMerkleSummary,
): Promise<boolean> {
  const helper = new RangeQueryResultsHelper(inMerkle.maxDegree);
  let lastMatched = -1;
  for await (const r of itr) {
    helper.addResult({ key: r.key, version: { blockNum: r.version.blockNum, txNum: r.version.txNum } });
    const m = helper.currentSummary();
    if (m.maxLevel < inMerkle.maxLevel) continue;
    if (lastMatched === m.maxLevelHashes.length - 1) continue;
    if (m.maxLevelHashes.length > inMerkle.maxLevelHashes.length) return false;
    lastMatched++;
    if (!bytesEqual(m.maxLevelHashes[lastMatched], inMerkle.maxLevelHashes[lastMatched])) return false;
  }
  const final = helper.done().summary;
  if (!final) return false;
  return (
    final.maxDegree === inMerkle.maxDegree &&
    final.maxLevel === inMerkle.maxLevel &&
    final.maxLevelHashes.length === inMerkle.maxLevelHashes.length &&
    final.maxLevelHashes.every((h, i) => bytesEqual(h, inMerkle.maxLevelHashes[i]))
  );
}

async function validateTx(db: VersionedDB, u: BlockUpdates, rw: TxRwSet): Promise<number> {
  for (const ns of rw.nsRwSets) {
    for (const read of ns.kvRwSet.reads) {
      const k = utf8(read.key);
      if (u.pub.exists(ns.namespace, k)) return TxCode.MVCC_READ_CONFLICT;
      if (!sameVersion(await db.getVersion(ns.namespace, k), ver(read.version)))
        return TxCode.MVCC_READ_CONFLICT;
    }
    for (const rqi of ns.kvRwSet.rangeQueriesInfo) {
      if (!(await validateRangeQuery(db, u.pub, ns.namespace, rqi))) return TxCode.PHANTOM_READ_CONFLICT;
    }
    for (const c of ns.collHashedRwSets) {
      const dns = u.hashedNs(ns.namespace, c.collectionName);
      for (const read of c.hashedRwSet.hashedReads) {
        const k = toBuffer(read.keyHash);
        if (u.hashed.exists(dns, k)) return TxCode.MVCC_READ_CONFLICT;
        if (!sameVersion(await db.getVersion(dns, k), ver(read.version))) return TxCode.MVCC_READ_CONFLICT;
      }
    }
  }
  return TxCode.VALID;
}

/**
 * validateTx for a transaction whose reads are all public point reads answered by the preload (the
 * common case), without a promise; undefined when the full check is needed.
 */
function validateTxPreloaded(pre: CommittedState, u: BlockUpdates, rw: TxRwSet): number | undefined {
  for (const ns of rw.nsRwSets) {
    if (ns.kvRwSet.rangeQueriesInfo.length > 0) return undefined;
    for (const c of ns.collHashedRwSets) if (c.hashedRwSet.hashedReads.length > 0) return undefined;
  }
  for (const ns of rw.nsRwSets) {
    for (const read of ns.kvRwSet.reads) {
      if (u.pub.existsKey(ns.namespace, read.key)) return TxCode.MVCC_READ_CONFLICT;
      const committed = pre.get(ns.namespace, read.key);
      if (committed === undefined) return undefined;
      if (!sameVersion(committed?.version, ver(read.version))) return TxCode.MVCC_READ_CONFLICT;
    }
  }
  return TxCode.VALID;
}

/**
 * Validates (when doMVCC) and collects the updates of a block's transactions, setting each tx's code.
 * Recovery passes doMVCC = false: the codes stored with the block are final. `preloaded`: what
 * preload() gave for these transactions (or a superset of them), when the caller read it already.
 */
export async function validateAndPrepare(
  db: VersionedDB,
  blockNum: number,
  txs: readonly TxToValidate[],
  doMVCC: boolean,
  preloaded?: CommittedState,
): Promise<BlockUpdates> {
  const pre = preloaded ?? (await preload(db, txs));
  const updates = new BlockUpdates();
  for (let i = 0; i < txs.length; i++) {
    const tx = txs[i] as TxToValidate;
    if (tx.code !== 0 || !tx.rwSet) continue;
    if (doMVCC)
      tx.code = validateTxPreloaded(pre, updates, tx.rwSet) ?? (await validateTx(db, updates, tx.rwSet));
    if (tx.code === TxCode.VALID) {
      const rest = applyWriteSet(db, updates, tx.rwSet, { blockNum, txNum: i }, pre);
      if (rest) await rest;
    }
  }
  return updates;
}
