// LedgerManager (Fabric's ledgermgmt + kvledger Provider): creates ledgers from genesis blocks,
// opens them, lists them, and runs the offline admin actions (reset, rollback, rebuild, pause,
// resume, unjoin). On disk: <path>/idStore (ids and status) and, per ledger, <path>/ledgers/<id>/index
// (classic-level: block index, state, history) and <path>/ledgers/<id>/chains (block files).
// In memory: one memory-level store per ledger.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type common } from '@fabric-peer/protos';
import { type BlockFilesOptions } from '../blkstorage/blockfiles.js';
import { BlockStore } from '../blkstorage/blockstore.js';
import { HistoryDB } from '../historydb/historydb.js';
import { openStore, type Store } from '../internal/store.js';
import { LedgerError, LedgerErrorCode } from '../errors.js';
import { KVLedger } from '../kvledger/kvledger.js';
import { parseTx } from '../kvledger/txparse.js';
import { VersionedDB } from '../statedb/statedb.js';
import { IdStore, type LedgerStatus } from './idstore.js';

export type LedgerManagerOptions =
  | {
      path: string;
      /** fsync each block file before indexing it (power-loss safe, as Fabric). Default true. */
      fsync?: boolean;
    }
  | { inMemory: true };

export interface LedgerInfo {
  id: string;
  status: LedgerStatus;
}

const CHANNEL_ID = /^[a-z][a-z0-9.-]{0,248}$/;

export class LedgerManager {
  private readonly open = new Map<string, KVLedger>();
  private readonly memStores = new Map<string, Store>();
  private closed = false;

  private constructor(
    private readonly path: string | undefined,
    private readonly fsync: boolean,
    private readonly idDb: Store,
    private readonly ids: IdStore,
  ) {}

  static async open(opts: LedgerManagerOptions): Promise<LedgerManager> {
    const path = 'path' in opts ? opts.path : undefined;
    const idDb = await openStore(path !== undefined ? { path: join(path, 'idStore') } : {});
    const ids = new IdStore(idDb);
    await ids.init();
    const m = new LedgerManager(path, 'path' in opts ? opts.fsync !== false : false, idDb, ids);
    // A crash during createLedger or unjoin leaves a mark: finish the job.
    const pending = await ids.underConstruction();
    if (pending !== undefined) {
      await m.removeData(pending);
      await ids.setUnderConstruction(undefined);
    }
    for (const l of await ids.list()) {
      if (l.status === 'UNDER_DELETION') await m.finishUnjoin(l.id);
    }
    return m;
  }

  /** Creates the ledger of the genesis block's channel and commits the block; returns it open. */
  async createLedger(genesisBlock: common.Block): Promise<KVLedger> {
    this.assertOpen();
    const id = this.channelOf(genesisBlock);
    if ((await this.ids.status(id)) !== undefined) {
      throw new LedgerError(LedgerErrorCode.LEDGER_EXISTS, 'ledger already exists', { channel: id });
    }
    await this.ids.setUnderConstruction(id);
    await this.removeData(id);
    let ledger: KVLedger | undefined;
    try {
      ledger = await this.openKV(id);
      await ledger.commit(genesisBlock);
      await this.ids.createDone(id);
      return ledger;
    } catch (err) {
      await ledger?.close();
      await this.removeData(id);
      await this.ids.setUnderConstruction(undefined);
      throw err;
    }
  }

  /** Opens (or returns the already open) ledger; recovery runs on first open. */
  async openLedger(id: string): Promise<KVLedger> {
    this.assertOpen();
    const already = this.open.get(id);
    if (already && !already.isClosed) return already;
    const status = await this.ids.status(id);
    if (status === undefined)
      throw new LedgerError(LedgerErrorCode.LEDGER_NOT_FOUND, 'no such ledger', { channel: id });
    if (status !== 'ACTIVE') {
      throw new LedgerError(LedgerErrorCode.LEDGER_NOT_ACTIVE, `ledger is ${status.toLowerCase()}`, {
        channel: id,
      });
    }
    return this.openKV(id);
  }

  async exists(id: string): Promise<boolean> {
    return (await this.ids.status(id)) !== undefined;
  }

  /** Ids of the active ledgers (Fabric's List). */
  async ledgerIds(): Promise<string[]> {
    return (await this.ids.list()).filter((l) => l.status === 'ACTIVE').map((l) => l.id);
  }

  /** Every ledger with its status. */
  async ledgers(): Promise<LedgerInfo[]> {
    return this.ids.list();
  }

  async pause(id: string): Promise<void> {
    await this.requireClosed(id);
    await this.ids.setStatus(id, 'PAUSED');
  }

  async resume(id: string): Promise<void> {
    await this.requireClosed(id);
    await this.ids.setStatus(id, 'ACTIVE');
  }

  /** Removes the ledger and all its data (peer node unjoin). */
  async unjoin(id: string): Promise<void> {
    await this.requireClosed(id);
    await this.ids.setStatus(id, 'UNDER_DELETION');
    await this.finishUnjoin(id);
  }

  /** Every ledger back to its genesis block; state and history rebuilt at next open. */
  async reset(): Promise<void> {
    for (const { id } of await this.ids.list()) await this.rollback(id, 0, true);
  }

  /** Keeps blocks 0..blockNumber of the ledger; state and history are rebuilt at next open. */
  async rollback(id: string, blockNumber: number, allowNoop = false): Promise<void> {
    await this.requireClosed(id);
    await this.offline(id, async (store) => {
      const bs = await BlockStore.open(store, id, this.blockFiles(id));
      if (
        !Number.isSafeInteger(blockNumber) ||
        blockNumber < 0 ||
        (blockNumber >= bs.height - 1 && !allowNoop)
      ) {
        throw new LedgerError(
          LedgerErrorCode.INVALID_ROLLBACK,
          `target block number ${blockNumber} should be less than the last block number ${bs.height - 1}`,
          { channel: id, blockNumber },
        );
      }
      await bs.truncate(blockNumber + 1);
      await bs.close();
      await new VersionedDB(store, id).drop();
      await new HistoryDB(store).drop();
    });
  }

  /** Drops state and history (of one ledger, or all): they are rebuilt from blocks at next open. */
  async rebuildDBs(id?: string): Promise<void> {
    const targets = id !== undefined ? [id] : (await this.ids.list()).map((l) => l.id);
    for (const t of targets) {
      await this.requireClosed(t);
      await this.offline(t, async (store) => {
        await new VersionedDB(store, t).drop();
        await new HistoryDB(store).drop();
      });
    }
  }

  /** Closes every open ledger and the id store. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const l of this.open.values()) await l.close();
    for (const s of this.memStores.values()) await s.close();
    await this.idDb.close();
  }

  private channelOf(block: common.Block): string {
    const id = parseChannelId(block);
    if (!CHANNEL_ID.test(id)) {
      throw new LedgerError(
        LedgerErrorCode.BLOCK_MALFORMED,
        `genesis block has no valid channel id ("${id}")`,
        {
          blockNumber: block.header?.number,
        },
      );
    }
    return id;
  }

  private async openKV(id: string): Promise<KVLedger> {
    const store = await this.storeFor(id);
    const onClose = async (): Promise<void> => {
      this.open.delete(id);
      if (this.path !== undefined) await store.close();
    };
    let ledger: KVLedger;
    try {
      ledger = await KVLedger.open(id, store, { blockFiles: this.blockFiles(id), onClose });
    } catch (err) {
      if (this.path !== undefined) await store.close();
      throw err;
    }
    this.open.set(id, ledger);
    return ledger;
  }

  private async storeFor(id: string): Promise<Store> {
    if (this.path !== undefined) return openStore({ path: join(this.path, 'ledgers', id, 'index') });
    let s = this.memStores.get(id);
    if (!s) {
      s = await openStore({});
      this.memStores.set(id, s);
    }
    return s;
  }

  private blockFiles(id: string): BlockFilesOptions {
    return this.path === undefined
      ? {}
      : { dir: join(this.path, 'ledgers', id, 'chains'), fsync: this.fsync };
  }

  private async offline(id: string, fn: (store: Store) => Promise<void>): Promise<void> {
    if ((await this.ids.status(id)) === undefined) {
      throw new LedgerError(LedgerErrorCode.LEDGER_NOT_FOUND, 'no such ledger', { channel: id });
    }
    const store = await this.storeFor(id);
    try {
      await fn(store);
    } finally {
      if (this.path !== undefined) await store.close();
    }
  }

  private async finishUnjoin(id: string): Promise<void> {
    await this.removeData(id);
    await this.ids.remove(id);
  }

  private async removeData(id: string): Promise<void> {
    if (this.path !== undefined) {
      await rm(join(this.path, 'ledgers', id), { recursive: true, force: true });
      return;
    }
    const s = this.memStores.get(id);
    this.memStores.delete(id);
    await s?.close();
  }

  private async requireClosed(id: string): Promise<void> {
    this.assertOpen();
    const l = this.open.get(id);
    if (l && !l.isClosed) {
      throw new LedgerError(LedgerErrorCode.LEDGER_IS_OPEN, 'close the ledger first', { channel: id });
    }
    if ((await this.ids.status(id)) === undefined) {
      throw new LedgerError(LedgerErrorCode.LEDGER_NOT_FOUND, 'no such ledger', { channel: id });
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new LedgerError(LedgerErrorCode.CLOSED, 'ledger manager is closed');
  }
}

function parseChannelId(block: common.Block): string {
  return parseTx(block.data?.data[0], 0, false).channelId;
}
