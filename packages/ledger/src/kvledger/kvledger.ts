// KVLedger: one channel's ledger, composing the block store, the state DB and the history DB on one
// abstract-level store. Commits are serialized; readers (simulators, query executors) work on a
// snapshot of the state as of the last committed block and never block a commit.
import { type common, type queryresult } from '@fabric-peer/protos';
import { type BlockFilesOptions } from '../blkstorage/blockfiles.js';
import { decodeBlock } from '../blkstorage/blockutil.js';
import { BlockStore, type BlockchainInfo, type StoredTransaction } from '../blkstorage/blockstore.js';
import { HistoryDB } from '../historydb/historydb.js';
import { keyHistory } from '../historydb/historyquery.js';
import { type Store } from '../internal/store.js';
import { LedgerError, LedgerErrorCode } from '../errors.js';
import { type StateView, VersionedDB } from '../statedb/statedb.js';
import { QueryExecutor } from '../txmgr/queryexecutor.js';
import { type PvtDataInput } from '../txmgr/pvtdata.js';
import { TxSimulator } from '../txmgr/txsimulator.js';
import {
  applyState,
  type KnownTx,
  lastCommitHash,
  type Prefetched,
  prepareBlock,
  recoverDBs,
  startPrefetch,
  type LedgerParts,
} from './commit.js';

export { type KnownTx };

export interface CommitOptions {
  /**
   * The caller's validation results (one code per transaction, e.g. from signature and endorsement
   * policy checks): any non-zero code is kept as is; zero means "valid so far, check MVCC".
   */
  preFilter?: ArrayLike<number>;
  /**
   * Private rw-sets of the block's transactions by tx index (rwset.TxPvtReadWriteSet or its bytes, from the
   * transient store / gossip). Applied to private state for valid txs whose public rw-set carries their hash.
   */
  pvtData?: PvtDataInput;
  /**
   * The block's transactions as the caller (the committer) already parsed them, one per envelope in
   * block order, so the ledger does not decode the envelopes again: each one's channel header tx id
   * and type, and the rw-set of an endorser transaction. Only meaningful with `preFilter`, whose
   * codes must reflect every envelope that did not parse.
   */
  txs?: readonly KnownTx[];
  /** The caller checked header.data_hash against the envelopes (the committer's block checks). */
  dataHashVerified?: boolean;
}

export interface CommitResult {
  blockNumber: number;
  /** One TxValidationCode per transaction, as written into metadata[2]. */
  validationCodes: number[];
  /** The block as stored (metadata filled in). */
  block: common.Block;
  /** Fabric's COMMIT_HASH of this block, when the chain carries them (from block 1 on). */
  commitHash: Uint8Array | undefined;
}

export interface RecoveryReport {
  /** Blocks replayed into state / history when the ledger opened. */
  stateBlocksReplayed: number;
  historyBlocksReplayed: number;
}

export class KVLedger {
  private readonly parts: LedgerParts;
  private commitHash: Uint8Array | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private stale = false;
  private prefetched: Prefetched | undefined;
  private readonly openExecutors = new Set<QueryExecutor>();
  /** What the last open (or commit after a failure) replayed. */
  recovery: RecoveryReport = { stateBlocksReplayed: 0, historyBlocksReplayed: 0 };

  private constructor(
    readonly ledgerId: string,
    private readonly store: Store,
    /** Reads of the chain. Appending here directly bypasses validation and state (caught up at next open). */
    readonly blockStore: BlockStore,
    private readonly onClose: () => Promise<void>,
  ) {
    this.parts = {
      channel: ledgerId,
      blockStore,
      stateDB: new VersionedDB(store, ledgerId),
      historyDB: new HistoryDB(store),
    };
  }

  /** Opens the ledger on `store` and replays blocks that state or history had not taken in. */
  static async open(
    ledgerId: string,
    store: Store,
    opts: { blockFiles?: BlockFilesOptions; onClose?: () => Promise<void> } = {},
  ): Promise<KVLedger> {
    const blockStore = await BlockStore.open(store, ledgerId, opts.blockFiles);
    const onClose = opts.onClose ?? (async () => {});
    const l = new KVLedger(ledgerId, store, blockStore, onClose);
    await l.recover();
    l.commitHash = await lastCommitHash(l.parts);
    return l;
  }

  /** Validates and commits the next block; returns the validation codes. Throws LedgerError on a bad block. */
  commit(block: common.Block | Uint8Array, opts: CommitOptions = {}): Promise<CommitResult> {
    return this.serialized(async () => {
      this.assertOpen();
      if (block instanceof Uint8Array) block = decodeBlock(block, this.ledgerId);
      if (this.stale) await this.recover();
      const dataHashVerified = opts.dataHashVerified === true;
      const prefetched = this.prefetched?.block === block ? this.prefetched : undefined;
      if (prefetched) this.prefetched = undefined;
      const p = await prepareBlock(this.parts, block, opts.preFilter, this.commitHash, opts.pvtData, {
        ...(opts.txs && { txs: opts.txs }),
        dataHashVerified,
        ...(prefetched && { prefetched }),
      });
      await this.blockStore.append(p.block, {
        txIds: p.txIds,
        codes: p.codes,
        indexed: p.indexed,
        pvtData: p.pvtData,
        dataHashVerified,
      });
      try {
        await applyState(this.parts, p.number, p.updates);
        await this.parts.historyDB.commit(p.number, p.history);
      } catch (cause) {
        // The block is safe in the block store; state/history catch up before the next commit.
        this.stale = true;
        throw new LedgerError(LedgerErrorCode.CORRUPT_RECORD, 'state or history update failed after append', {
          channel: this.ledgerId,
          blockNumber: p.number,
          cause,
        });
      }
      if (p.commitHash) this.commitHash = p.commitHash;
      return {
        blockNumber: p.number,
        validationCodes: [...p.codes],
        block: p.block,
        commitHash: p.commitHash,
      };
    });
  }

  /**
   * Starts the reads that committing `block` begins with (are its tx ids indexed, the committed
   * state of the keys it reads and writes), so that a commit of this block with these parsed
   * transactions right after (the committer's, once it has validated them) finds them done. Only a
   * hint: if anything is committed in between, the commit reads again. The promise settles (never
   * rejects) once the reads are done.
   */
  prefetch(block: common.Block, txs: readonly KnownTx[]): Promise<void> {
    if (this.closed || this.stale) return Promise.resolve();
    this.prefetched = startPrefetch(this.parts, block, txs);
    // Settles when the reads are done (the state read also warms the state cache); never rejects.
    return this.prefetched.reads.then(
      () => undefined,
      () => undefined,
    );
  }

  /** A simulator for one transaction: reads committed state, records reads and writes. Call done(). */
  async newTxSimulator(txId: string): Promise<TxSimulator> {
    this.assertOpen();
    return this.track(new TxSimulator(this.parts.stateDB, await this.view(), txId));
  }

  /** Reads of committed state without recording (queries, system chaincodes). Call done(). */
  async newQueryExecutor(): Promise<QueryExecutor> {
    this.assertOpen();
    return this.track(new QueryExecutor(this.parts.stateDB, await this.view(), ''));
  }

  /** Every committed write of `key` in `ns`, newest first. */
  getHistoryForKey(ns: string, key: string): AsyncGenerator<queryresult.KeyModification> {
    this.assertOpen();
    return keyHistory(this.parts.historyDB, this.blockStore, ns, key);
  }

  getBlockchainInfo(): BlockchainInfo {
    return this.blockStore.getBlockchainInfo();
  }

  get height(): number {
    return this.blockStore.height;
  }

  getBlockByNumber(n: number): Promise<common.Block> {
    return this.blockStore.getBlockByNumber(n);
  }

  getBlockByHash(hash: Uint8Array): Promise<common.Block> {
    return this.blockStore.getBlockByHash(hash);
  }

  getBlockByTxId(txId: string): Promise<common.Block> {
    return this.blockStore.getBlockByTxId(txId);
  }

  getTransactionById(txId: string): Promise<StoredTransaction> {
    return this.blockStore.getTransactionById(txId);
  }

  /** Whether a transaction with this id is in the chain (the endorser's duplicate check; no error built). */
  async txIdExists(txId: string): Promise<boolean> {
    return (await this.blockStore.getTxLocation(txId)) !== undefined;
  }

  async getTxValidationCodeByTxId(txId: string): Promise<number> {
    const loc = await this.blockStore.getTxLocation(txId);
    if (!loc)
      throw new LedgerError(LedgerErrorCode.TX_NOT_FOUND, 'no such transaction', {
        channel: this.ledgerId,
        txId,
      });
    return loc.validationCode;
  }

  /** Blocks from n on; waits for new ones. Ends on close(); throws the reason when `signal` aborts. */
  blocksFrom(n: number, signal?: AbortSignal): AsyncGenerator<common.Block> {
    return this.blockStore.blocksFrom(n, signal);
  }

  /** Waits for running commits, ends open executors and iterators, closes the store. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.queue.catch(() => undefined);
    this.closed = true;
    await this.blockStore.close();
    for (const q of this.openExecutors) await q.done();
    await this.onClose();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** @internal The store this ledger runs on (tests and the manager only). */
  get _store(): Store {
    return this.store;
  }

  private async recover(): Promise<void> {
    const r = await recoverDBs(this.parts);
    this.recovery = { stateBlocksReplayed: r.state, historyBlocksReplayed: r.history };
    this.stale = false;
  }

  private view(): Promise<StateView> {
    return this.parts.stateDB.openView();
  }

  private track<T extends QueryExecutor>(q: T): T {
    this.openExecutors.add(q);
    const done = q.done.bind(q);
    q.done = async () => {
      this.openExecutors.delete(q);
      await done();
    };
    return q;
  }

  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private assertOpen(): void {
    if (this.closed)
      throw new LedgerError(LedgerErrorCode.CLOSED, 'ledger is closed', { channel: this.ledgerId });
  }
}
