// ChannelManager: the peer's joined channels over a LedgerManager (Fabric's peer.Peer channel map).
// Join creates the ledger from a config block (cscc JoinChain); open reopens every ledger and rebuilds
// its config from the last config block, found through the last block's last-config index.
import { type KVLedger, type LedgerManager, MetadataIndex } from '@fabric-peer/ledger';
import { common } from '@fabric-peer/protos';
import { InlineVerifier, type SignatureVerifier, TxValidator, VerifyPool } from '../committer/index.js';
import { type Logger, NOOP_LOGGER } from '../logging/index.js';
import { type MetricsProvider } from '../operations/index.js';
import { Channel } from './channel.js';
import {
  type ChannelConfig,
  channelConfigFromBlock,
  configEnvelopeFromBlock,
  unsupportedCapability,
} from './channelconfig.js';
import { CHANNEL_ERRORS, channelError, errorMessage } from './errors.js';

export interface ChannelManagerOptions {
  ledgers: LedgerManager;
  logger?: Logger;
  metrics?: MetricsProvider;
  /**
   * Worker threads verifying signatures (peer.validatorPoolSize). 0 or 1: verify on the main thread.
   * On 2 cores a pool of 2 takes the main thread from ~200 to ~85 us per transaction and commits
   * ~30% more per second (bench/commit.bench.ts); blocks under 32 signatures stay inline anyway.
   */
  validatorPoolSize?: number;
  /** A verifier to use instead (tests, embedders); the manager closes it on close(). */
  verifier?: SignatureVerifier;
}

/** The last-config index a block's metadata carries (SIGNATURES value, else the old LAST_CONFIG). */
export function lastConfigIndex(block: common.Block): number {
  const md = block.metadata?.metadata ?? [];
  const sig = md[MetadataIndex.SIGNATURES];
  if (sig && sig.length > 0) {
    const value = common.Metadata.decode(sig).value;
    if (value.length > 0) {
      const obm = common.OrdererBlockMetadata.decode(value);
      if (obm.lastConfig) return obm.lastConfig.index;
    }
  }
  const lc = md[MetadataIndex.LAST_CONFIG];
  if (lc && lc.length > 0) {
    const value = common.Metadata.decode(lc).value;
    if (value.length > 0) return common.LastConfig.decode(value).index;
  }
  return 0;
}

export class ChannelManager {
  private readonly channels = new Map<string, Channel>();
  private readonly validator: TxValidator;
  private readonly logger: Logger;
  private closed = false;
  private joining = new Set<string>();

  private constructor(
    private readonly opts: ChannelManagerOptions,
    private readonly verifier: SignatureVerifier,
  ) {
    this.logger = opts.logger ?? NOOP_LOGGER;
    this.validator = new TxValidator(verifier);
  }

  /** Opens every active ledger of `ledgers` as a channel. */
  static async open(opts: ChannelManagerOptions): Promise<ChannelManager> {
    const size = opts.validatorPoolSize ?? 0;
    const verifier = opts.verifier ?? (size > 1 ? new VerifyPool({ size }) : new InlineVerifier());
    const m = new ChannelManager(opts, verifier);
    try {
      for (const id of await opts.ledgers.ledgerIds()) await m.reopen(id);
    } catch (err) {
      await m.close();
      throw err;
    }
    return m;
  }

  /** cscc JoinChain: creates the channel's ledger from its genesis (config) block. */
  async joinChannel(block: common.Block): Promise<Channel> {
    this.assertOpen();
    const { channelId } = configEnvelopeFromBlock(block);
    if ((block.header?.number ?? -1) !== 0) {
      throw channelError(CHANNEL_ERRORS.CONFIG_BLOCK_MALFORMED, {
        reason: `block number is ${block.header?.number}, a join needs the genesis block`,
      });
    }
    const existing = (await this.opts.ledgers.ledgers()).find((l) => l.id === channelId);
    if (this.channels.has(channelId) || this.joining.has(channelId) || existing) {
      const state = existing?.status ?? 'ACTIVE';
      throw channelError(
        CHANNEL_ERRORS.ALREADY_JOINED,
        { channel: channelId, state },
        { channel: channelId },
      );
    }
    const config = channelConfigFromBlock(block);
    // cscc's validateConfigBlock: a peer channel needs an Application group and capabilities it knows.
    if (!config.config.channelGroup?.groups['Application']) {
      throw channelError(CHANNEL_ERRORS.CONFIG_BLOCK_MALFORMED, {
        reason: 'Invalid configuration block, missing Application configuration group',
      });
    }
    const unsupported = unsupportedCapability(config);
    if (unsupported !== undefined) {
      throw channelError(CHANNEL_ERRORS.CONFIG_BLOCK_MALFORMED, {
        reason: `Failed capabilities check: [${unsupported}]`,
      });
    }
    this.joining.add(channelId);
    try {
      const ledger = await this.opts.ledgers.createLedger(block);
      const channel = this.add(channelId, ledger, config);
      this.logger.info(`[${channelId}] Joined channel at sequence ${config.sequence}`);
      return channel;
    } finally {
      this.joining.delete(channelId);
    }
  }

  getChannel(id: string): Channel | undefined {
    return this.channels.get(id);
  }

  /** Like getChannel, throwing CHANNEL_NOT_FOUND. */
  channel(id: string): Channel {
    const c = this.channels.get(id);
    if (!c) throw channelError(CHANNEL_ERRORS.NOT_FOUND, { channel: id }, { channel: id });
    return c;
  }

  channelIds(): string[] {
    return [...this.channels.keys()].sort();
  }

  /** Stops every committer, closes the ledgers and the verify pool. The LedgerManager stays open. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const c of this.channels.values()) await c.close();
    this.channels.clear();
    await this.verifier.close();
  }

  private async reopen(id: string): Promise<void> {
    const ledger = await this.opts.ledgers.openLedger(id);
    let config: ChannelConfig;
    try {
      const last = await ledger.getBlockByNumber(ledger.height - 1);
      const configBlock = await ledger.getBlockByNumber(lastConfigIndex(last));
      config = channelConfigFromBlock(configBlock);
    } catch (err) {
      await ledger.close();
      throw channelError(
        CHANNEL_ERRORS.CONFIG_INVALID,
        { reason: `channel ${id}: ${errorMessage(err)}` },
        { channel: id, cause: err },
      );
    }
    this.add(id, ledger, config);
    this.logger.info(
      `[${id}] Reopened channel at height ${ledger.height}, config sequence ${config.sequence}`,
    );
  }

  private add(id: string, ledger: KVLedger, config: ChannelConfig): Channel {
    const channel = new Channel(id, ledger, config, {
      validator: this.validator,
      logger: this.logger,
      ...(this.opts.metrics && { metrics: this.opts.metrics }),
    });
    this.channels.set(id, channel);
    return channel;
  }

  private assertOpen(): void {
    if (this.closed) throw channelError(CHANNEL_ERRORS.CLOSED, {});
  }
}
