// The commit of one block, in Fabric's order: validate (duplicates, MVCC, phantoms) and write the
// codes into metadata[2] (and COMMIT_HASH into metadata[4]); append to the block store; apply the
// state updates in one batch; index history. Each store carries a savepoint, so recovery replays
// from the block store exactly the steps that a crash cut short.
import { common, protos, type rwset } from '@fabric-peer/protos';
import { type BlockStore } from '../blkstorage/blockstore.js';
import { LedgerError, LedgerErrorCode } from '../errors.js';
import { fullMetadata, MetadataIndex } from '../blkstorage/blockutil.js';
import { type HistoryDB, type HistoryEntry } from '../historydb/historydb.js';
import { type VersionedDB } from '../statedb/statedb.js';
import { computeCommitHash } from '../txmgr/commithash.js';
import { applyPvtWrites, encodeBlockPvtData, type PvtDataInput } from '../txmgr/pvtdata.js';
import { type TxRwSet } from '../txmgr/rwset.js';
import { type BlockUpdates } from '../txmgr/updates.js';
import { type CommittedState, preload, validateAndPrepare, type TxToValidate } from '../txmgr/validator.js';
import { parseBlockTxs, type ParsedTx } from './txparse.js';

export interface LedgerParts {
  channel: string;
  blockStore: BlockStore;
  stateDB: VersionedDB;
  historyDB: HistoryDB;
}

export interface PreparedBlock {
  number: number;
  block: common.Block;
  codes: Uint8Array;
  txIds: string[];
  indexed: boolean[];
  updates: BlockUpdates;
  history: HistoryEntry[];
  commitHash: Uint8Array | undefined;
  /** The accepted private rw-sets, kept with the block for recovery. */
  pvtData: Buffer | undefined;
}

const C = protos.TxValidationCode;

function historyEntries(txs: readonly ParsedTx[], codes: Uint8Array): HistoryEntry[] {
  const out: HistoryEntry[] = [];
  for (const tx of txs) {
    if (codes[tx.index] !== C.VALID || !tx.rwSet) continue;
    for (const ns of tx.rwSet.nsRwSets) {
      for (const w of ns.kvRwSet.writes) out.push({ namespace: ns.namespace, key: w.key, txNum: tx.index });
    }
  }
  return out;
}

function rwSetToApply(tx: ParsedTx): TxToValidate['rwSet'] {
  return tx.type === common.HeaderType.ENDORSER_TRANSACTION ? tx.rwSet : undefined;
}

/**
 * A transaction of the block as a caller (the committer) already parsed it, so the ledger need not
 * decode the envelope again: what the ledger itself would read from it.
 */
export interface KnownTx {
  /** The channel header's tx id ('' when the envelope or its channel header does not parse). */
  txId: string;
  /** The channel header's type (common.HeaderType); only read for transactions still valid. */
  type: number;
  /** The decoded rw-set of an endorser transaction (needed when its code is VALID). */
  rwSet?: TxRwSet | undefined;
}

/** What the caller already knows about the block (saves the ledger decoding and hashing it again). */
export interface KnownBlock {
  /** One per envelope, in block order; their codes come from the caller's preFilter. */
  txs?: readonly KnownTx[];
  /** The caller checked header.data_hash against the envelopes. */
  dataHashVerified?: boolean;
  /** Reads started ahead for this block (startPrefetch); used when nothing was committed since. */
  prefetched?: Prefetched;
}

/** The reads a block's commit starts with (tx ids in the index, state of its keys), started early. */
export interface Prefetched {
  block: common.Block;
  height: number;
  generation: number;
  txIds: readonly string[];
  reads: Promise<[boolean[], CommittedState]>;
}

/**
 * Starts reading what committing `block` will need: whether its tx ids are indexed, and the
 * committed state of every key its endorser transactions read or write (a superset of what the
 * valid ones need). prepareBlock uses them only if no block was committed in between.
 */
export function startPrefetch(parts: LedgerParts, block: common.Block, txs: readonly KnownTx[]): Prefetched {
  const txIds = txs.map((t) => t.txId);
  const vtxs = txs.map((t) => ({
    code: C.VALID as number,
    rwSet: t.type === common.HeaderType.ENDORSER_TRANSACTION ? t.rwSet : undefined,
  }));
  const height = parts.blockStore.height;
  const generation = parts.stateDB.generation;
  const reads = Promise.all([parts.blockStore.txIdsExist(txIds), preload(parts.stateDB, vtxs)]);
  reads.catch(() => undefined); // a failed prefetch is read again by the commit
  return { block, height, generation, txIds, reads };
}

/** The prefetched reads, when they are still those of the current chain and state. */
async function prefetchedReads(
  parts: LedgerParts,
  block: common.Block,
  txIds: readonly string[],
  pf: Prefetched | undefined,
): Promise<[boolean[], CommittedState] | undefined> {
  if (!pf || pf.block !== block || pf.txIds.length !== txIds.length) return undefined;
  if (pf.height !== parts.blockStore.height || pf.generation !== parts.stateDB.generation) return undefined;
  if (pf.txIds.some((id, i) => id !== txIds[i])) return undefined;
  return pf.reads.catch(() => undefined);
}

/** The ledger's view of transactions the caller parsed (no parse code: the caller's codes stand). */
function knownTxs(block: common.Block, known: readonly KnownTx[], n: number, channel: string): ParsedTx[] {
  const count = block.data?.data.length ?? 0;
  if (known.length !== count) {
    throw new LedgerError(
      LedgerErrorCode.INVALID_ARGUMENT,
      `${known.length} parsed transactions given for a block of ${count}`,
      { channel, blockNumber: n },
    );
  }
  return known.map((t, index) => ({
    index,
    txId: t.txId,
    channelId: '',
    type: t.type,
    timestamp: undefined,
    rwSet: t.rwSet,
    // As parseTx: an endorser transaction without a rw-set cannot be applied.
    parseCode: t.type === common.HeaderType.ENDORSER_TRANSACTION && !t.rwSet ? C.BAD_RWSET : C.VALID,
  }));
}

/** Validates a new block against the store and state; nothing is written. */
export async function prepareBlock(
  parts: LedgerParts,
  block: common.Block,
  preFilter: ArrayLike<number> | undefined,
  previousCommitHash: Uint8Array | undefined,
  pvtData?: PvtDataInput,
  known: KnownBlock = {},
): Promise<PreparedBlock> {
  parts.blockStore.checkAppendable(block, { dataHashVerified: known.dataHashVerified === true });
  const n = block.header!.number;
  if (known.txs && !preFilter) {
    throw new LedgerError(LedgerErrorCode.INVALID_ARGUMENT, 'parsed transactions given without their codes', {
      channel: parts.channel,
      blockNumber: n,
    });
  }
  const txs = known.txs ? knownTxs(block, known.txs, n, parts.channel) : parseBlockTxs(block);
  const codes = new Uint8Array(txs.length);
  for (const tx of txs) {
    const pre = preFilter?.[tx.index] ?? C.VALID;
    codes[tx.index] = pre !== C.VALID ? pre : tx.parseCode;
  }
  // Duplicate tx ids: earlier in this block (any tx), or already in the ledger (endorser txs).
  const seen = new Set<string>();
  for (const tx of txs) {
    if (tx.txId === '') continue;
    if (seen.has(tx.txId) && codes[tx.index] === C.VALID) codes[tx.index] = C.DUPLICATE_TXID;
    seen.add(tx.txId);
  }
  // The tx index and the state are read at the same time; the state read may cover a few
  // transactions that turn out to be duplicates (it only reads).
  const vtxs: TxToValidate[] = txs.map((t) => ({ code: codes[t.index] as number, rwSet: rwSetToApply(t) }));
  const txIds = txs.map((t) => t.txId);
  const [indexed, preloaded] =
    (await prefetchedReads(parts, block, txIds, known.prefetched)) ??
    (await Promise.all([parts.blockStore.txIdsExist(txIds), preload(parts.stateDB, vtxs)]));
  for (const t of txs) {
    if (indexed[t.index] && codes[t.index] === C.VALID && t.type === common.HeaderType.ENDORSER_TRANSACTION) {
      codes[t.index] = C.DUPLICATE_TXID;
    }
  }
  vtxs.forEach((v, i) => (v.code = codes[i] as number));
  const updates = await validateAndPrepare(parts.stateDB, n, vtxs, true, preloaded);
  vtxs.forEach((v, i) => (codes[i] = v.code));
  const pvt = applyBlockPvtData(updates, n, txs, codes, pvtData);

  const md = fullMetadata(block);
  md[MetadataIndex.TRANSACTIONS_FILTER] = codes;
  let commitHash: Uint8Array | undefined;
  if (n === 1 || previousCommitHash !== undefined) {
    commitHash = computeCommitHash(codes, updates, previousCommitHash);
    md[MetadataIndex.COMMIT_HASH] = common.Metadata.encode({ value: commitHash });
  }
  return {
    number: n,
    block: { header: block.header, data: block.data, metadata: { metadata: md } },
    codes,
    txIds: txs.map((t) => t.txId),
    indexed,
    updates,
    history: historyEntries(txs, codes),
    commitHash,
    pvtData: encodeBlockPvtData(pvt),
  };
}

/** The private writes of the block's valid transactions, applied to `updates`; returns the accepted sets. */
function applyBlockPvtData(
  updates: BlockUpdates,
  n: number,
  txs: readonly ParsedTx[],
  codes: Uint8Array,
  pvtData: PvtDataInput | undefined,
): Map<number, rwset.TxPvtReadWriteSet> {
  const accepted = new Map<number, rwset.TxPvtReadWriteSet>();
  for (const [i, set] of pvtData ?? []) {
    const tx = txs[i];
    if (!tx?.rwSet || codes[i] !== C.VALID) continue;
    const ok = applyPvtWrites(updates, tx.rwSet, set, { blockNum: n, txNum: i });
    if (ok) accepted.set(i, ok);
  }
  return accepted;
}

export async function applyState(parts: LedgerParts, n: number, updates: BlockUpdates): Promise<void> {
  await parts.stateDB.applyUpdates([updates.pub, updates.hashed, updates.pvt], n);
}

/** Re-applies block n (already in the block store, codes final) to state and/or history. */
export async function recommitBlock(
  parts: LedgerParts,
  n: number,
  state: boolean,
  history: boolean,
): Promise<void> {
  const block = await parts.blockStore.getBlockByNumber(n);
  const txs = parseBlockTxs(block);
  const filter = fullMetadata(block)[MetadataIndex.TRANSACTIONS_FILTER] as Uint8Array;
  const codes = new Uint8Array(txs.length);
  txs.forEach((t) => (codes[t.index] = filter[t.index] ?? C.NOT_VALIDATED));
  if (state) {
    const vtxs = txs.map((t) => ({ code: codes[t.index] as number, rwSet: rwSetToApply(t) }));
    const updates = await validateAndPrepare(parts.stateDB, n, vtxs, false);
    applyBlockPvtData(updates, n, txs, codes, await parts.blockStore.getPvtData(n));
    await applyState(parts, n, updates);
  }
  if (history) await parts.historyDB.commit(n, historyEntries(txs, codes));
}

/** Brings state and history up to the block store (kvledger.recoverDBs). */
export async function recoverDBs(parts: LedgerParts): Promise<{ state: number; history: number }> {
  const height = parts.blockStore.height;
  let sp = await parts.stateDB.savepoint();
  let hp = await parts.historyDB.savepoint();
  // A store ahead of the chain (left over from a rollback) cannot be trusted: rebuild it.
  if (sp !== undefined && sp >= height) {
    await parts.stateDB.drop();
    sp = undefined;
  }
  if (hp !== undefined && hp >= height) {
    await parts.historyDB.drop();
    hp = undefined;
  }
  const stateFrom = sp === undefined ? 0 : sp + 1;
  const historyFrom = hp === undefined ? 0 : hp + 1;
  for (let n = Math.min(stateFrom, historyFrom); n < height; n++) {
    await recommitBlock(parts, n, n >= stateFrom, n >= historyFrom);
  }
  return { state: Math.max(0, height - stateFrom), history: Math.max(0, height - historyFrom) };
}

/** The commit hash stored in the last block, if the chain carries them. */
export async function lastCommitHash(parts: LedgerParts): Promise<Uint8Array | undefined> {
  const h = parts.blockStore.height;
  if (h === 0) return undefined;
  const block = await parts.blockStore.getBlockByNumber(h - 1);
  const raw = block.metadata?.metadata[MetadataIndex.COMMIT_HASH];
  if (!raw || raw.length === 0) return undefined;
  const v = common.Metadata.decode(raw).value;
  return v.length > 0 ? v : undefined;
}
