// Committer: one channel's commit path, one block at a time (Fabric's coordinator StoreBlock):
// block checks (number, data hash, orderer signatures) -> TxValidator -> ledger commit with the
// validation codes -> a valid CONFIG transaction installs the new channel config -> listeners.
import { type KVLedger, type PvtDataInput } from '@fabric-peer/ledger';
import { type common, protos } from '@fabric-peer/protos';
import { type ChannelConfig, unsupportedCapability } from '../channel/index.js';
import { type ChaincodeDefinitionReader, LIFECYCLE_NAMESPACE } from '../lifecycle/index.js';
import { type Logger, NOOP_LOGGER } from '../logging/index.js';
import {
  type Counter,
  FABRIC_METRICS,
  type Gauge,
  type Histogram,
  type MetricsProvider,
} from '../operations/index.js';
import { verifyBlock } from './blockverifier.js';
import { COMMITTER_ERRORS, committerError } from './errors.js';
import { type ParsedTx } from './txparse.js';
import { type PreparedBlock, type TxValidator } from './txvalidator.js';

/** Blocks after the one committing whose signatures are verified ahead. */
const LOOKAHEAD = 2;

const HEADER_TYPE_NAMES: Readonly<Record<number, string>> = { 1: 'CONFIG', 3: 'ENDORSER_TRANSACTION' };

/** The state-independent work on a block, done ahead for one config. */
type Ahead = { config: ChannelConfig } & (
  { blockOk: true; prepared: Promise<PreparedBlock> } | { blockOk: false; blockError: unknown }
);

/** What comes with a block besides its bytes. */
export interface CommitBlockOptions {
  /** Private rw-sets by tx index (from the transient store or DeliverWithPrivateData). */
  pvtData?: PvtDataInput;
}

interface Pending {
  block: common.Block;
  opts: CommitBlockOptions;
  ahead?: Promise<Ahead>;
  resolve: (e: BlockCommittedEvent) => void;
  reject: (err: unknown) => void;
}

/** What listeners get after each commit. */
export interface BlockCommittedEvent {
  channelId: string;
  blockNumber: number;
  /** The block as stored: metadata carries TRANSACTIONS_FILTER (and COMMIT_HASH). */
  block: common.Block;
  /** One TxValidationCode per transaction. */
  validationCodes: number[];
  /** Set when this block installed a new channel config. */
  config?: ChannelConfig;
}

/** The channel as the committer sees it. */
export interface CommitTarget {
  readonly id: string;
  readonly ledger: KVLedger;
  readonly definitions: ChaincodeDefinitionReader;
  config(): ChannelConfig;
  /** Called after the ledger commit, before the commit promise resolves. */
  blockCommitted(event: BlockCommittedEvent): void;
}

export interface CommitterOptions {
  validator: TxValidator;
  logger?: Logger;
  metrics?: MetricsProvider;
}

export class Committer {
  private readonly pending: Pending[] = [];
  private running: Promise<void> | undefined;
  private stopped = false;
  private readonly logger: Logger;
  private readonly height: Gauge | undefined;
  private readonly processing: Histogram | undefined;
  private readonly txCount: Counter | undefined;

  constructor(
    private readonly target: CommitTarget,
    private readonly opts: CommitterOptions,
  ) {
    this.logger = opts.logger ?? NOOP_LOGGER;
    const labels = { channel: target.id };
    this.height = opts.metrics?.newGauge(FABRIC_METRICS.ledgerBlockchainHeight).with(labels);
    this.processing = opts.metrics?.newHistogram(FABRIC_METRICS.ledgerBlockProcessingTime).with(labels);
    this.txCount = opts.metrics?.newCounter(FABRIC_METRICS.ledgerTransactionCount).with(labels);
    this.height?.set(target.ledger.height);
  }

  /**
   * Validates and commits a block after those already queued. Throws (and commits nothing) when the
   * block is refused. While a block commits, the next queued one is parsed and its signatures
   * verified (on the worker pool, when there is one), so a caller that queues blocks keeps both busy.
   */
  commitBlock(block: common.Block, opts: CommitBlockOptions = {}): Promise<BlockCommittedEvent> {
    return new Promise((resolve, reject) => {
      this.pending.push({ block, opts, resolve, reject });
      this.running ??= this.drain();
    });
  }

  /** Lets the queued commits finish; later ones are refused. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  private async drain(): Promise<void> {
    for (let p = this.pending.shift(); p; p = this.pending.shift()) {
      try {
        p.ahead ??= Promise.resolve(this.prepare(p.block));
        // Look ahead: the next blocks are checked and their signatures verified while this one is
        // written (started on the next turn of the event loop, once this block's own work is under way).
        for (let i = 0; i < LOOKAHEAD && i < this.pending.length && !this.stopped; i++) {
          const next = this.pending[i]!;
          next.ahead ??= this.prepareSoon(next.block);
        }
        p.resolve(await this.doCommit(p.block, p.ahead, p.opts));
      } catch (err) {
        p.reject(err);
      }
    }
    // Cleared in the same tick the queue is seen empty, so a block queued by a listener of the
    // last commit starts a new drain.
    this.running = undefined;
  }

  /** Fabric's ledger_transaction_count: per type, chaincode (name:version) and validation code. */
  private countTransactions(txs: readonly ParsedTx[], codes: readonly number[]): void {
    const counts = new Map<string, { labels: Record<string, string>; n: number }>();
    for (const tx of txs) {
      const labels = {
        transaction_type: HEADER_TYPE_NAMES[tx.type] ?? 'UNKNOWN',
        chaincode: tx.chaincodeName ? `${tx.chaincodeName}:${tx.chaincodeVersion ?? ''}` : 'unknown',
        validation_code: protos.TxValidationCode[codes[tx.index] ?? 255] ?? String(codes[tx.index]),
      };
      const key = `${labels.transaction_type}|${labels.chaincode}|${labels.validation_code}`;
      const c = counts.get(key);
      if (c) c.n++;
      else counts.set(key, { labels, n: 1 });
    }
    for (const { labels, n } of counts.values()) this.txCount!.with(labels).add(n);
  }

  private prepareSoon(block: common.Block): Promise<Ahead> {
    const ahead = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.prepare(block));
    ahead.catch(() => undefined); // awaited by doCommit, unless the committer stopped first
    return ahead;
  }

  /**
   * The state-independent work on a block for the current config: the block checks (data hash,
   * orderer signatures) and, when they pass, the validator's prepare. Their outcome is used (or
   * redone, if the config changed meanwhile) by doCommit, in its order.
   */
  private prepare(block: common.Block): Ahead {
    const config = this.target.config();
    try {
      verifyBlock(block, config);
    } catch (err) {
      return { config, blockOk: false, blockError: err };
    }
    const prepared = this.opts.validator.prepare(block, config);
    prepared.catch(() => undefined); // consumed (or redone) by doCommit
    return { config, blockOk: true, prepared };
  }

  private async doCommit(
    block: common.Block,
    aheadP: Promise<Ahead>,
    opts: CommitBlockOptions,
  ): Promise<BlockCommittedEvent> {
    const channel = this.target.id;
    const n = block.header?.number ?? -1;
    if (this.stopped) throw committerError(COMMITTER_ERRORS.STOPPED, { channel }, { channel });
    const ledger = this.target.ledger;
    if (n !== ledger.height) {
      throw committerError(
        COMMITTER_ERRORS.BLOCK_REFUSED,
        { block: n, channel, reason: `expected block number ${ledger.height}` },
        { channel },
      );
    }
    const current = ledger.getBlockchainInfo().currentBlockHash;
    if (!Buffer.from(current).equals(block.header?.previousHash ?? new Uint8Array())) {
      throw committerError(
        COMMITTER_ERRORS.BLOCK_REFUSED,
        { block: n, channel, reason: 'previous_hash does not match the hash of the last block' },
        { channel },
      );
    }
    const start = performance.now();
    const config = this.target.config();
    let ahead = await aheadP;
    if (ahead.config !== config) ahead = this.prepare(block);
    if (!ahead.blockOk) throw ahead.blockError;
    const prepared = await ahead.prepared;
    // The ledger's first reads for this block (tx ids, state of every key it reads or writes) in
    // one round: the validator's key-level endorsement look-ups then come from the state cache.
    await ledger.prefetch(
      block,
      prepared.work.map((w) => w.tx),
    );
    const qe = await ledger.newQueryExecutor();
    let validated;
    try {
      validated = await this.opts.validator.finish(prepared, {
        channelId: channel,
        config,
        queryExecutor: qe,
        definition: (name) => this.target.definitions.get(name),
      });
    } finally {
      await qe.done();
    }
    const validatedAt = performance.now();
    // Fabric's peer panics on a config it cannot run (capabilitiesSupportedOrPanic); this one
    // stops the channel at that block instead: the block is refused and will be again.
    const unsupported = validated.newConfig && unsupportedCapability(validated.newConfig);
    if (unsupported) {
      this.logger.error(`[${channel}] Peer does not support required capabilities: ${unsupported}`);
      throw committerError(
        COMMITTER_ERRORS.BLOCK_REFUSED,
        { block: n, channel, reason: unsupported },
        { channel },
      );
    }
    this.logger.info(`[${channel}] Validated block [${n}] in ${Math.round(validatedAt - start)}ms`);
    // The ledger takes the envelopes as parsed here and the data hash as verifyBlock checked it.
    const result = await ledger.commit(block, {
      preFilter: validated.codes,
      txs: validated.txs,
      dataHashVerified: true,
      ...(opts.pvtData && { pvtData: opts.pvtData }),
    });
    const codes = result.validationCodes;
    const newConfig = validated.newConfig && codes[0] === 0 ? validated.newConfig : undefined;
    // Every endorsed transaction READS _lifecycle (its chaincode's Sequence): only writes, public or
    // to an org's implicit collection (approvals), can change definitions.
    const wroteLifecycle = validated.txs.some(
      (tx) => codes[tx.index] === 0 && validated.written[tx.index]?.has(LIFECYCLE_NAMESPACE),
    );
    if (wroteLifecycle) this.target.definitions.invalidate();
    const end = performance.now();
    this.logger.info(
      `[${channel}] Committed block [${n}] with ${codes.length} transaction(s) in ${Math.round(end - validatedAt)}ms`,
    );
    for (const tx of validated.txs) {
      if (tx.code !== 0)
        this.logger.debug(
          `[${channel}] tx ${tx.index} (${tx.txId}) invalid: code ${tx.code} ${tx.reason ?? ''}`,
        );
    }
    this.height?.set(ledger.height);
    this.processing?.observe((end - start) / 1000);
    if (this.txCount) this.countTransactions(validated.txs, codes);
    const event: BlockCommittedEvent = {
      channelId: channel,
      blockNumber: n,
      block: result.block,
      validationCodes: codes,
      ...(newConfig && { config: newConfig }),
    };
    this.target.blockCommitted(event);
    return event;
  }
}
