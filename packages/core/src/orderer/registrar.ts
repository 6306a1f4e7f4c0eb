// Fabric's multichannel Registrar for a channel-participation orderer (no system channel): the chains
// this node serves, joined from a config block, persisted in a block store each (classic-level index +
// Fabric-style block files under <dir>/chains/<channel>, or memory-level), reopened on restart.
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type common } from '@fabric-peer/protos';
import { BlockStore } from '@fabric-peer/ledger';
import { type Signer } from '../configtx/index.js';
import { type Logger, NOOP_LOGGER } from '../logging/index.js';
import { channelConfigFromBlock } from '../channel/index.js';
import { Chain, type ChainOptions } from './chain.js';
import { ORDERER_ERRORS, errorMessage, ordererError } from './errors.js';

/** Fabric's channel name rule (configtx.ValidateChannelID). */
export const CHANNEL_ID_PATTERN = /^[a-z][a-z0-9.-]{0,248}$/;

export interface RegistrarOptions {
  /** The orderer's data folder; omitted = in memory (nothing on disk). */
  dataDir?: string;
  signer: Signer;
  logger?: Logger;
  batchTimeoutMs?: number;
}

interface Entry {
  chain: Chain;
}

export class Registrar {
  private readonly chains = new Map<string, Entry>();
  private readonly logger: Logger;
  private closed = false;

  private constructor(private readonly opts: RegistrarOptions) {
    this.logger = opts.logger ?? NOOP_LOGGER;
  }

  /** Opens every chain found under dataDir (a restart keeps them). */
  static async open(opts: RegistrarOptions): Promise<Registrar> {
    const r = new Registrar(opts);
    if (opts.dataDir !== undefined) {
      const root = join(opts.dataDir, 'chains');
      await mkdir(root, { recursive: true });
      for (const id of (await readdir(root)).sort()) {
        if (!CHANNEL_ID_PATTERN.test(id)) continue;
        const store = await r.openStore(id);
        if (store.height === 0) {
          // A join that crashed before its genesis block was written: forget it.
          await store.close();
          await rm(join(root, id), { recursive: true, force: true });
          continue;
        }
        r.chains.set(id, { chain: await Chain.open(r.chainOptions(store)) });
      }
    }
    return r;
  }

  getChain(channelId: string): Chain | undefined {
    return this.chains.get(channelId)?.chain;
  }

  channelIds(): string[] {
    return [...this.chains.keys()].sort();
  }

  /** Joins the channel of a genesis config block (osnadmin channel join); returns its chain. */
  async join(block: common.Block): Promise<Chain> {
    if (this.closed) throw ordererError(ORDERER_ERRORS.NOT_STARTED, {});
    let channelId: string;
    try {
      channelId = channelConfigFromBlock(block).channelId;
    } catch (err) {
      throw ordererError(ORDERER_ERRORS.JOIN_BLOCK_INVALID, { reason: errorMessage(err) }, { cause: err });
    }
    if (!CHANNEL_ID_PATTERN.test(channelId)) {
      throw ordererError(ORDERER_ERRORS.JOIN_BLOCK_INVALID, { reason: `invalid channel ID '${channelId}'` });
    }
    if ((block.header?.number ?? -1) !== 0) {
      throw ordererError(ORDERER_ERRORS.JOIN_BLOCK_INVALID, {
        reason: `block number ${block.header?.number}: this solo orderer joins from the genesis block only`,
      });
    }
    if (this.chains.has(channelId))
      throw ordererError(ORDERER_ERRORS.CHANNEL_EXISTS, {}, { channel: channelId });
    let store: BlockStore | undefined;
    try {
      store = await this.openStore(channelId);
      await store.append(block);
      const chain = await Chain.open(this.chainOptions(store));
      this.chains.set(channelId, { chain });
      this.logger.info('joined channel', { channel: channelId });
      return chain;
    } catch (err) {
      await store?.close();
      await this.removeFiles(channelId);
      throw ordererError(ORDERER_ERRORS.JOIN_BLOCK_INVALID, { reason: errorMessage(err) }, { cause: err });
    }
  }

  /** Removes a channel and its blocks (osnadmin channel remove). */
  async remove(channelId: string): Promise<boolean> {
    const e = this.chains.get(channelId);
    if (!e) return false;
    this.chains.delete(channelId);
    await this.closeEntry(e);
    await this.removeFiles(channelId);
    this.logger.info('removed channel', { channel: channelId });
    return true;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const e of this.chains.values()) await this.closeEntry(e);
    this.chains.clear();
  }

  private chainOptions(store: BlockStore): ChainOptions {
    return {
      store,
      signer: this.opts.signer,
      logger: this.logger,
      ...(this.opts.batchTimeoutMs !== undefined && { batchTimeoutMs: this.opts.batchTimeoutMs }),
    };
  }

  private async closeEntry(e: Entry): Promise<void> {
    await e.chain.halt();
    await e.chain.store.close();
  }

  private openStore(channelId: string): Promise<BlockStore> {
    const dir = this.opts.dataDir;
    return BlockStore.openStandalone({
      channel: channelId,
      ...(dir !== undefined && { path: join(dir, 'chains', channelId) }),
    });
  }

  private async removeFiles(channelId: string): Promise<void> {
    if (this.opts.dataDir !== undefined) {
      await rm(join(this.opts.dataDir, 'chains', channelId), { recursive: true, force: true });
    }
  }
}
