// The solo consenter's chain of one channel (Fabric's solo chain, in process): messages are ordered in
// arrival order, cut into batches by the BlockCutter and the BatchTimeout, and written by the
// BlockWriter. A config message cuts the pending batch first and then goes into a block of its own.
// Every step runs on one promise queue, so blocks are written strictly in order without locks.
import { type common } from '@fabric-peer/protos';
import { type BlockStore } from '@fabric-peer/ledger';
import { type Signer } from '../configtx/index.js';
import { type Logger, NOOP_LOGGER } from '../logging/index.js';
import {
  type ChannelConfig,
  channelConfigFromBlock,
  channelConfigFromConfig,
  lastConfigIndex,
} from '../channel/index.js';
import { BlockCutter, type BatchSizeLimits } from './blockcutter.js';
import { BlockWriter } from './blockwriter.js';
import { ORDERER_ERRORS, OrdererError, errorMessage, ordererError } from './errors.js';

/** Fabric's defaults when a config has no orderer values (never the case for configtxgen blocks). */
const DEFAULT_BATCH: BatchSizeLimits = {
  maxMessageCount: 500,
  absoluteMaxBytes: 10 * 1024 * 1024,
  preferredMaxBytes: 2 * 1024 * 1024,
};
const DEFAULT_TIMEOUT_MS = 2000;

export interface ChainOptions {
  store: BlockStore;
  signer: Signer;
  logger?: Logger;
  /** Overrides the channel's BatchTimeout (ms): the dev network cuts a block as soon as it can. */
  batchTimeoutMs?: number;
}

export class Chain {
  private cutter: BlockCutter;
  private writer: BlockWriter;
  private timer: NodeJS.Timeout | undefined;
  private queue: Promise<void> = Promise.resolve();
  private halted = false;
  private readonly logger: Logger;

  private constructor(
    readonly channelId: string,
    private current: ChannelConfig,
    private readonly opts: ChainOptions,
  ) {
    this.logger = opts.logger ?? NOOP_LOGGER;
    this.cutter = new BlockCutter(current.batchSize ?? DEFAULT_BATCH);
    this.writer = new BlockWriter({
      store: opts.store,
      signer: opts.signer,
      lastConfigIndex: current.configBlockNumber,
      ...(current.consensusType !== undefined && { consensusType: current.consensusType }),
    });
  }

  /** Opens the chain of a block store that holds at least its genesis block. */
  static async open(opts: ChainOptions): Promise<Chain> {
    const store = opts.store;
    const last = await store.getBlockByNumber(store.height - 1);
    const configBlock = await store.getBlockByNumber(lastConfigIndex(last));
    const config = channelConfigFromBlock(configBlock);
    return new Chain(config.channelId, config, opts);
  }

  /** The channel config in force (the newest config block written). */
  get config(): ChannelConfig {
    return this.current;
  }

  get height(): number {
    return this.opts.store.height;
  }

  get store(): BlockStore {
    return this.opts.store;
  }

  private get batchTimeoutMs(): number {
    return this.opts.batchTimeoutMs ?? this.current.batchTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** Orders a normal message; resolves once it is in a batch or a written block. */
  order(env: common.Envelope, validatedAt?: { sequence: number; revalidate: () => void }): Promise<void> {
    return this.enqueue(async () => {
      // A config block landed between the broadcast's checks and now: check again against it.
      if (validatedAt && validatedAt.sequence !== this.current.sequence) validatedAt.revalidate();
      const { batches, pending } = this.cutter.ordered(env);
      for (const batch of batches) await this.writeBatch(batch);
      if (batches.length > 0 && !pending) this.stopTimer();
      if (pending) this.startTimer();
    });
  }

  /**
   * Orders a config update: `build` turns it into the orderer-signed CONFIG envelope and the next Config
   * against the config in force when its turn comes (so two racing updates cannot both apply to the same
   * sequence). The pending batch is cut first; the config goes into a block of its own and takes effect.
   */
  configure(
    build: (current: ChannelConfig) => { envelope: common.Envelope; config: common.Config },
  ): Promise<void> {
    return this.enqueue(async () => {
      const { envelope, config: next } = build(this.current);
      this.stopTimer();
      const pending = this.cutter.cut();
      if (pending.length > 0) await this.writeBatch(pending);
      const block = this.writer.createNextBlock([envelope]);
      await this.writer.writeBlock(block, true);
      this.current = channelConfigFromConfig(this.channelId, next, block.header!.number);
      this.cutter.setLimits(this.current.batchSize ?? DEFAULT_BATCH);
      this.logger.info('config block written', { channel: this.channelId, block: block.header!.number });
    });
  }

  /** Refuses new work, lets queued work finish, then writes the pending batch (acknowledged messages are kept). */
  async halt(): Promise<void> {
    if (this.halted) return;
    this.halted = true;
    this.stopTimer();
    const flush = async (): Promise<void> => {
      const batch = this.cutter.cut();
      if (batch.length > 0) await this.writeBatch(batch);
    };
    this.queue = this.queue.then(flush).catch((err: unknown) => this.logFailure(err));
    await this.queue;
  }

  private enqueue(job: () => Promise<void>): Promise<void> {
    if (this.halted) {
      // Fabric's WaitReady on a halted chain: SERVICE_UNAVAILABLE, the client may retry elsewhere.
      return Promise.reject(
        ordererError(ORDERER_ERRORS.UNAVAILABLE, { reason: `chain ${this.channelId} is halted` }),
      );
    }
    const run = this.queue.then(job);
    this.queue = run.catch((err: unknown) => this.logFailure(err));
    return run;
  }

  /** Refusals (policy, config update) are the caller's answer; only real failures are logged here. */
  private logFailure(err: unknown): void {
    if (err instanceof OrdererError) return;
    this.logger.error('chain step failed', { channel: this.channelId, reason: errorMessage(err) });
  }

  private async writeBatch(batch: common.Envelope[]): Promise<void> {
    const block = this.writer.createNextBlock(batch);
    await this.writer.writeBlock(block, false);
    this.logger.debug('block written', {
      channel: this.channelId,
      block: block.header!.number,
      txs: batch.length,
    });
  }

  private startTimer(): void {
    if (this.timer !== undefined || this.halted) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.enqueue(async () => {
        const batch = this.cutter.cut();
        if (batch.length > 0) await this.writeBatch(batch);
      }).catch(() => undefined);
    }, this.batchTimeoutMs);
  }

  private stopTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
