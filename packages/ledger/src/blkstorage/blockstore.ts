// BlockStore: the chain of one channel and its indexes, the ledger's source of truth.
// Layout (one atomic batch per block):
//   'b' be64(n)  -> the block's bytes (common.Block, metadata included)
//   'n' hash     -> be64(n)                         (block by hash)
//   't' txid     -> be64(n) be32(txNum) code(1)     (first transaction with that id)
//   'i'          -> be64(height) varint-len current hash, varint-len previous hash
import { join } from 'node:path';
import { common } from '@fabric-peer/protos';
import { ByteReader, be32, be64, bytesEqual, readBe64, toBuffer, utf8, varint } from '../internal/bytes.js';
import { openStore, type BatchOp, type Store } from '../internal/store.js';
import { LedgerError, LedgerErrorCode } from '../errors.js';
import { blockDataHash, blockHeaderHash, envelopeTxId, fullMetadata, MetadataIndex } from './blockutil.js';
import { BlockBlobs, type BlockFilesOptions } from './blockfiles.js';
import { HeightWaiters } from './waiters.js';

const BLOCK = 0x62; // 'b'
const HASH = 0x6e; // 'n'
const TXID = 0x74; // 't'
const INFO_KEY = Buffer.from('i');

export interface BlockchainInfo {
  height: number;
  currentBlockHash: Uint8Array;
  previousBlockHash: Uint8Array;
}

export interface TxLocation {
  blockNumber: number;
  txNumber: number;
  validationCode: number;
}

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
  /** Which tx ids the store already indexes (from txIdsExist); looked up when omitted. */
  indexed?: readonly boolean[];
}

const blockKey = (n: number): Buffer => Buffer.concat([Buffer.from([BLOCK]), be64(n)]);
const hashKey = (h: Uint8Array): Buffer => Buffer.concat([Buffer.from([HASH]), toBuffer(h)]);
const txKey = (id: string): Buffer => Buffer.concat([Buffer.from([TXID]), utf8(id)]);

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
  private lastChecked: { header: unknown; data: unknown; height: number; hash: Buffer } | undefined;

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
  }): Promise<BlockStore> {
    const db = await openStore(opts.path !== undefined ? { path: join(opts.path, 'index') } : {});
    const files = opts.path !== undefined ? { dir: join(opts.path, 'chains'), fsync: opts.fsync } : {};
    const s = await BlockStore.open(db, opts.channel, files);
    s.ownsStore = true;
    return s;
  }

  /** Opens the block store of `channel` on `db`; with `files.dir`, block bytes go to append-only files. */
  static async open(db: Store, channel: string, files: BlockFilesOptions = {}): Promise<BlockStore> {
    const s = new BlockStore(db, channel, await BlockBlobs.open(db, files));
    const raw = await db.get(INFO_KEY);
    if (raw !== undefined) s.info = s.decodeInfo(raw);
    s.waiters.reached(s.info.height);
    return s;
  }

  getBlockchainInfo(): BlockchainInfo {
    return { ...this.info };
  }

  get height(): number {
    return this.info.height;
  }

  /** Checks that `block` is the next block of this chain; throws a LedgerError if not. */
  checkAppendable(block: common.Block): { hash: Buffer } {
    const header = block.header;
    const n = header?.number;
    if (!header || !block.data) {
      throw new LedgerError(LedgerErrorCode.BLOCK_MALFORMED, 'block has no header or no data', {
        channel: this.channel,
        blockNumber: n,
      });
    }
    if (n !== this.info.height) {
      throw new LedgerError(
        LedgerErrorCode.BLOCK_NOT_CHAINED,
        `block number should have been ${this.info.height} but was ${n}`,
        { channel: this.channel, blockNumber: n },
      );
    }
    if (n > 0 && !bytesEqual(header.previousHash, this.info.currentBlockHash)) {
      throw new LedgerError(
        LedgerErrorCode.BLOCK_NOT_CHAINED,
        "block's previous_hash does not match the hash of the last block",
        { channel: this.channel, blockNumber: n },
      );
    }
    const memo = this.lastChecked;
    if (memo && memo.header === header && memo.data === block.data && memo.height === n)
      return { hash: memo.hash };
    if (!bytesEqual(blockDataHash(block.data.data), header.dataHash)) {
      throw new LedgerError(
        LedgerErrorCode.BLOCK_DATA_HASH_MISMATCH,
        "block's data_hash does not match its data",
        {
          channel: this.channel,
          blockNumber: n,
        },
      );
    }
    const hash = blockHeaderHash(header);
    this.lastChecked = { header, data: block.data, height: n, hash };
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
    const { hash } = this.checkAppendable(block);
    const n = block.header!.number;
    const envs = block.data!.data;
    const md = fullMetadata(block);
    const txIds = known?.txIds ?? envs.map((e) => this.safeTxId(e));
    const codes = known?.codes ?? md[MetadataIndex.TRANSACTIONS_FILTER] ?? new Uint8Array();
    const bytes = common.Block.encode({ ...block, metadata: { metadata: md } });
    const stored = await this.blobs.write(bytes);
    const ops: BatchOp[] = [
      { type: 'put', key: blockKey(n), value: stored.value },
      ...stored.ops,
      { type: 'put', key: hashKey(hash), value: be64(n) },
    ];
    const indexed = known?.indexed ?? (await this.txIdsExist(txIds));
    const seen = new Set<string>();
    txIds.forEach((id, i) => {
      if (id === '' || indexed[i] || seen.has(id)) return;
      seen.add(id);
      const loc = Buffer.concat([be64(n), be32(i), Buffer.from([codes[i] ?? 0])]);
      ops.push({ type: 'put', key: txKey(id), value: loc });
    });
    const next: BlockchainInfo = {
      height: n + 1,
      currentBlockHash: hash,
      previousBlockHash: this.info.currentBlockHash,
    };
    ops.push({ type: 'put', key: INFO_KEY, value: this.encodeInfo(next) });
    await this.db.batch(ops);
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
    if (raw.length !== 13) {
      throw new LedgerError(LedgerErrorCode.CORRUPT_RECORD, 'corrupt tx index record', {
        channel: this.channel,
        txId,
      });
    }
    return { blockNumber: readBe64(raw), txNumber: raw.readUInt32BE(8), validationCode: raw[12] as number };
  }

  /** Which of these tx ids are already in the store. */
  async txIdsExist(txIds: readonly string[]): Promise<boolean[]> {
    if (txIds.length === 0) return [];
    const raws = await this.db.getMany(txIds.map(txKey));
    return raws.map((r, i) => r !== undefined && txIds[i] !== '');
  }

  async getBlockByTxId(txId: string): Promise<common.Block> {
    const loc = await this.getTxLocation(txId);
    if (!loc)
      throw new LedgerError(LedgerErrorCode.TX_NOT_FOUND, 'no such transaction', {
        channel: this.channel,
        txId,
      });
    return this.getBlockByNumber(loc.blockNumber);
  }

  async getTransactionById(txId: string): Promise<StoredTransaction> {
    const loc = await this.getTxLocation(txId);
    if (!loc)
      throw new LedgerError(LedgerErrorCode.TX_NOT_FOUND, 'no such transaction', {
        channel: this.channel,
        txId,
      });
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
    const ops: BatchOp[] = [];
    for (let n = this.info.height - 1; n >= height; n--) {
      const block = await this.getBlockByNumber(n);
      ops.push(
        { type: 'del', key: blockKey(n) },
        { type: 'del', key: hashKey(blockHeaderHash(block.header!)) },
      );
      for (const env of block.data?.data ?? []) {
        const id = this.safeTxId(env);
        if (id === '') continue;
        const loc = await this.getTxLocation(id);
        if (loc && loc.blockNumber === n) ops.push({ type: 'del', key: txKey(id) });
      }
    }
    const last = await this.getBlockByNumber(height - 1);
    const next: BlockchainInfo = {
      height,
      currentBlockHash: blockHeaderHash(last.header!),
      previousBlockHash: last.header!.previousHash,
    };
    ops.push({ type: 'put', key: INFO_KEY, value: this.encodeInfo(next) });
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

  private safeTxId(env: Uint8Array): string {
    try {
      return envelopeTxId(env);
    } catch {
      return '';
    }
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

  private encodeInfo(i: BlockchainInfo): Buffer {
    const cur = toBuffer(i.currentBlockHash);
    const prev = toBuffer(i.previousBlockHash);
    return Buffer.concat([be64(i.height), varint(cur.length), cur, varint(prev.length), prev]);
  }

  private decodeInfo(raw: Buffer): BlockchainInfo {
    try {
      const r = new ByteReader(raw);
      const height = readBe64(r.bytes(8));
      return {
        height,
        currentBlockHash: Buffer.from(r.lenPrefixed()),
        previousBlockHash: Buffer.from(r.lenPrefixed()),
      };
    } catch (cause) {
      throw new LedgerError(LedgerErrorCode.CORRUPT_RECORD, 'corrupt blockchain info record', {
        channel: this.channel,
        cause,
      });
    }
  }
}
