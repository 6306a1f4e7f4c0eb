// Channel: one joined channel - its ledger, its current config bundle, its committer and the
// listeners told about every committed block (Deliver streams, the gateway's commit status, events).
import { type KVLedger } from '@fabric-peer/ledger';
import { type common } from '@fabric-peer/protos';
import {
  type BlockCommittedEvent,
  type CommitBlockOptions,
  type CommitTarget,
  Committer,
  type TxValidator,
} from '../committer/index.js';
import { ChaincodeDefinitionReader } from '../lifecycle/index.js';
import { type Logger, NOOP_LOGGER } from '../logging/index.js';
import { type MetricsProvider } from '../operations/index.js';
import { type ChannelConfig } from './channelconfig.js';

export type BlockListener = (event: BlockCommittedEvent) => void;

export interface ChannelOptions {
  validator: TxValidator;
  logger?: Logger;
  metrics?: MetricsProvider;
}

export class Channel implements CommitTarget {
  readonly definitions: ChaincodeDefinitionReader;
  readonly committer: Committer;
  private current: ChannelConfig;
  private readonly listeners = new Set<BlockListener>();
  private readonly logger: Logger;

  constructor(
    readonly id: string,
    readonly ledger: KVLedger,
    config: ChannelConfig,
    opts: ChannelOptions,
  ) {
    this.current = config;
    this.logger = opts.logger ?? NOOP_LOGGER;
    this.definitions = new ChaincodeDefinitionReader(ledger);
    this.committer = new Committer(this, {
      validator: opts.validator,
      logger: this.logger,
      metrics: opts.metrics,
    });
  }

  /** The config bundle in force (swapped atomically when a config block commits). */
  config(): ChannelConfig {
    return this.current;
  }

  get height(): number {
    return this.ledger.height;
  }

  /** Validates and commits the next block (from the deliver client or the embedded orderer). */
  commitBlock(block: common.Block, opts?: CommitBlockOptions): Promise<BlockCommittedEvent> {
    return this.committer.commitBlock(block, opts);
  }

  /** Called for every committed block, in order; returns the unsubscribe function. */
  onBlockCommitted(listener: BlockListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** @internal the committer's hook. */
  blockCommitted(event: BlockCommittedEvent): void {
    if (event.config) {
      this.current = event.config;
      this.logger.info(
        `[${this.id}] Channel config updated to sequence ${event.config.sequence} by block [${event.blockNumber}]`,
      );
    }
    for (const l of this.listeners) {
      try {
        l(event);
      } catch (err) {
        this.logger.warn(`[${this.id}] block listener failed`, undefined, err);
      }
    }
  }

  /** Stops committing and closes the ledger. */
  async close(): Promise<void> {
    await this.committer.stop();
    this.listeners.clear();
    await this.ledger.close();
  }
}
