// BlockStore: the chain of one channel and its indexes, the ledger's source of truth.
// Per block: its bytes to the block files (blockfiles.ts), then one atomic index batch (blockindex.ts):
// block location, hash -> number, tx id -> location and code, chain info.
import { join } from 'node:path';
import { common } from '@fabric-peer/protos';
import { readBe64, toBuffer } from '../internal/bytes.js';
import { openStore, type BatchOp, type Store, writeBatch } from '../internal/store.js';
import { LedgerError, LedgerErrorCode } from '../errors.js';
import { checkNextBlock } from './blockcheck.js';
import {
  blockIndexOps,
  blockKey,
  decodeInfo,
  decodeTxLocation,
  encodeInfo,
  hashKey,
  INFO_KEY,
  pvtKey,
  txKey,
  type BlockchainInfo,
  type TxLocation,
} from './blockindex.js';
import { blockHeaderHash, encodeBlockParts, envelopeTxIdOrEmpty, fullMetadata } from './blockutil.js';
import { BlockBlobs, type BlockFilesOptions } from './blockfiles.js';
import { removalOps } from './truncate.js';
import { decodeBlockPvtData } from '../txmgr/pvtdata.js';
import { HeightWaiters } from './waiters.js';

export type { BlockchainInfo, TxLocation };

export interface StoredTransaction extends TxLocation {
  txId: string;
  envelope: common.Envelope;
  /** The envelope's bytes exactly as in the block. */
  envelopeBytes: Uint8Array;
}

/** What the caller already knows about the block's transactions (saves decoding them again). */
export interface AppendInfo {
  txIds: readonly string[];
  /** One validation code per transaction (also written into metadata[2] by the caller). */
  codes: ArrayLike<number>;
  /** Private rw-sets accepted with the block (txmgr/pvtdata.ts encoding), kept for recovery. */
  pvtData?: Buffer;
  /** Which tx ids the store already indexes (from txIdsExist); looked up when omitted. */
  indexed?: readonly boolean[];
  /** The caller checked header.data_hash against the envelopes: not hashed again. */
  dataHashVerified?: boolean;
}

export class BlockStore {
  private info: BlockchainInfo = {
    height: 0,
    currentBlockHash: new Uint8Array(),
    previousBlockHash: new Uint8Array(),
  };
  private readonly waiters = new HeightWaiters();
  private closed = false;

  private appending: Promise<unknown> = Promise.resolve();
  private ownsStore = false;
  private lastChecked:
    { header: unknown; data: unknown; height: number; hash: Buffer; dataChecked: boolean } | undefined;

  private constructor(
    private readonly db: Store,
    readonly channel: string,
    private readonly blobs: BlockBlobs,
  ) {}

  /**
   * A block store of its own (e.g. an orderer's chain): classic-level at <path>/index and block files at
   * <path>/chains, or memory-level without a path. close() closes its store.
   */
  static async openStandalone(opts: {
    channel: string;
    path?: string;
    fsync?: boolean;
    maxFileSize?: number;
  }): Promise<BlockStore> {
    const db = await openStore(opts.path !== undefined ? { path: join(opts.path, 'index') } : {});
    const files =
      opts.path !== undefined
        ? { dir: join(opts.path, 'chains'), fsync: opts.fsync, maxFileSize: opts.maxFileSize }
        : {};
    const s = await BlockStore.open(db, opts.channel, files);
    s.ownsStore = true;
    return s;
  }

  /** Opens the block store of `channel` on `db`; with `files.dir`, block bytes go to append-only files. */
  static async open(db: Store, channel: string, files: BlockFilesOptions = {}): Promise<BlockStore> {
    const s = new BlockStore(db, channel, await BlockBlobs.open(db, files));
    const raw = await db.get(INFO_KEY);
    if (raw !== undefined) {
      try {
        s.info = decodeInfo(raw);
      } catch (cause) {
        throw new LedgerError(LedgerErrorCode.CORRUPT_RECORD, 'corrupt blockchain info record', {
          channel,
          cause,
        });
      }
    }
    await s.indexUnindexed();
    s.waiters.reached(s.info.height);
    return s;
  }

  /** Blocks in the files past the index (a crash between file write and index): index them in order. */
  private async indexUnindexed(): Promise<void> {
    for (const rec of [...this.blobs.unindexed]) {
      let block: common.Block;
      let hash: Buffer;
      try {
        block = common.Block.decode(rec.bytes);
        hash = checkNextBlock(block, this.info, this.channel);
      } catch {
        break;
      }
      await this.writeIndex(block, hash, rec.value, this.blobs.adopt(rec));
    }
    await this.blobs.dropTail();
  }

  getBlockchainInfo(): BlockchainInfo {
    return { ...this.info };
  }

  get height(): number {
    return this.info.height;
  }

  /**
   * Checks that `block` is the next block of this chain; throws a LedgerError if not. With
   * `dataHashVerified` (the caller hashed the envelopes against header.data_hash already), the data
   * hash is not computed again.
   */
  checkAppendable(block: common.Block, opts: { dataHashVerified?: boolean } = {}): { hash: Buffer } {
    const memo = this.lastChecked;
    if (
      memo &&
      memo.header === block.header &&
      memo.data === block.data &&
      memo.height === this.info.height &&
      (memo.dataChecked || opts.dataHashVerified === true)
    ) {
      return { hash: memo.hash };
    }
    const dataChecked = opts.dataHashVerified !== true;
    const hash = checkNextBlock(block, this.info, this.channel, dataChecked);
    this.lastChecked = {
      header: block.header,
      data: block.data,
      height: this.info.height,
      hash,
      dataChecked,
    };
    return { hash };
  }

  /** Appends the next block (with its final metadata) and its indexes in one batch. */
  append(block: common.Block, known?: AppendInfo): Promise<void> {
    const run = this.appending.then(() => this.doAppend(block, known));
    this.appending = run.catch(() => undefined);
    return run;
  }

  private async doAppend(block: common.Block, known?: AppendInfo): Promise<void> {
    this.assertOpen();
    const { hash } = this.checkAppendable(block, { dataHashVerified: known?.dataHashVerified === true });
    const stored = await this.blobs.write(
      encodeBlockParts({ ...block, metadata: { metadata: fullMetadata(block) } }),
    );
    await this.writeIndex(block, hash, stored.value, stored.ops, known);
  }

  private async writeIndex(
    block: common.Block,
    hash: Buffer,
    location: Buffer,
    extra: BatchOp[],
    known?: AppendInfo,
  ): Promise<void> {
    const txIds = known?.txIds ?? block.data!.data.map((e) => envelopeTxIdOrEmpty(e));
    const indexed = known?.indexed ?? (await this.txIdsExist(txIds));
    const { ops, next } = blockIndexOps(block, hash, location, this.info, { ...known, txIds, indexed });
    await writeBatch(this.db, [...ops, ...extra]);
    this.info = next;
    this.waiters.reached(next.height);
  }

  async getBlockBytes(n: number): Promise<Buffer | undefined> {
    this.assertOpen();
    if (!Number.isSafeInteger(n) || n < 0 || n >= this.info.height) return undefined;
    const loc = await this.db.get(blockKey(n));
    if (loc === undefined) return undefined;
    try {
      return await this.blobs.read(loc);
    } catch (cause) {
      throw new LedgerError(LedgerErrorCode.CORRUPT_RECORD, 'stored block is unreadable', {
        channel: this.channel,
        blockNumber: n,
        cause,
      });
    }
  }

  /** The block, or a LEDGER_BLOCK_NOT_FOUND error. */
  async getBlockByNumber(n: number): Promise<common.Block> {
    const raw = await this.getBlockBytes(n);
    if (raw === undefined) {
      throw new LedgerError(LedgerErrorCode.BLOCK_NOT_FOUND, `no block ${n} (height ${this.info.height})`, {
        channel: this.channel,
        blockNumber: n,
      });
    }
    return this.decodeBlock(raw, n);
  }

  async getBlockByHash(hash: Uint8Array): Promise<common.Block> {
    this.assertOpen();
    const raw = await this.db.get(hashKey(hash));
    if (raw === undefined) {
      throw new LedgerError(
        LedgerErrorCode.BLOCK_NOT_FOUND,
        `no block with hash ${toBuffer(hash).toString('hex')}`,
        {
          channel: this.channel,
        },
      );
    }
    return this.getBlockByNumber(readBe64(raw));
  }

  async getTxLocation(txId: string): Promise<TxLocation | undefined> {
    this.assertOpen();
    if (txId === '') return undefined;
    const raw = await this.db.get(txKey(txId));
    if (raw === undefined) return undefined;
    try {
      return decodeTxLocation(raw);
    } catch (cause) {
      throw new LedgerError(LedgerErrorCode.CORRUPT_RECORD, 'corrupt tx index record', {
        channel: this.channel,
        txId,
        cause,
      });
    }
  }

  /** The private rw-sets committed with block n, by tx index. */
  async getPvtData(n: number): Promise<Map<number, Uint8Array>> {
    this.assertOpen();
    return decodeBlockPvtData(await this.db.get(pvtKey(n)));
  }

  /** Which of these tx ids are already in the store. */
  async txIdsExist(txIds: readonly string[]): Promise<boolean[]> {
    if (txIds.length === 0) return [];
    const raws = await this.db.getMany(txIds.map(txKey));
    return raws.map((r, i) => r !== undefined && txIds[i] !== '');
  }

  async getBlockByTxId(txId: string): Promise<common.Block> {
    return this.getBlockByNumber((await this.requireTx(txId)).blockNumber);
  }

  async getTransactionById(txId: string): Promise<StoredTransaction> {
    const loc = await this.requireTx(txId);
    const block = await this.getBlockByNumber(loc.blockNumber);
    const envelopeBytes = block.data?.data[loc.txNumber];
    if (envelopeBytes === undefined) {
      throw new LedgerError(LedgerErrorCode.CORRUPT_RECORD, 'tx index points past the block', {
        channel: this.channel,
        blockNumber: loc.blockNumber,
        txId,
      });
    }
    return { ...loc, txId, envelopeBytes, envelope: common.Envelope.decode(envelopeBytes) };
  }

  /**
   * Blocks from `start` on, in order; waits for blocks not yet written. Ends when the store closes;
   * throws the signal's reason when `signal` aborts.
   */
  async *blocksFrom(start: number, signal?: AbortSignal): AsyncGenerator<common.Block> {
    let n = start;
    for (;;) {
      signal?.throwIfAborted();
      if (this.closed) return;
      if (n < this.info.height) {
        yield await this.getBlockByNumber(n++);
        continue;
      }
      const reached = await this.waiters.wait(n + 1, signal);
      if (!reached) return;
    }
  }

  /** Removes every block from `height` on (rollback / reset); the caller rebuilds state and history. */
  async truncate(height: number): Promise<void> {
    this.assertOpen();
    if (height >= this.info.height) return;
    if (height < 1)
      throw new LedgerError(LedgerErrorCode.INVALID_ROLLBACK, 'cannot remove the genesis block');
    const ops = await removalOps(this, height);
    const last = await this.getBlockByNumber(height - 1);
    const next: BlockchainInfo = {
      height,
      currentBlockHash: blockHeaderHash(last.header!),
      previousBlockHash: last.header!.previousHash,
    };
    ops.push({ type: 'put', key: INFO_KEY, value: encodeInfo(next) });
    const firstGone = await this.db.get(blockKey(height));
    const cut = firstGone ? await this.blobs.cutAt(firstGone) : undefined;
    await this.db.batch([...ops, ...(cut?.ops ?? [])]);
    await cut?.finish();
    this.info = next;
    this.waiters.reached(height);
    this.lastChecked = undefined;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.waiters.closeAll();
    await this.appending;
    await this.blobs.close();
    if (this.ownsStore) await this.db.close();
  }

  private assertOpen(): void {
    if (this.closed)
      throw new LedgerError(LedgerErrorCode.CLOSED, 'block store is closed', { channel: this.channel });
  }

  private async requireTx(txId: string): Promise<TxLocation> {
    const loc = await this.getTxLocation(txId);
    if (loc) return loc;
    throw new LedgerError(LedgerErrorCode.TX_NOT_FOUND, 'no such transaction', {
      channel: this.channel,
      txId,
    });
  }

  private decodeBlock(raw: Buffer, n: number): common.Block {
    try {
      return common.Block.decode(raw);
    } catch (cause) {
      throw new LedgerError(LedgerErrorCode.CORRUPT_RECORD, 'stored block does not decode', {
        channel: this.channel,
        blockNumber: n,
        cause,
      });
    }
  }
}
