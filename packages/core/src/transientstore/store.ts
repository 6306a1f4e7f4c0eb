// Fabric's transient store (core/transientstore), in memory or journaled to a file: the private rw-set an endorsement
// produced, kept by tx id until the block carrying that transaction commits. The committer hands the
// sets of a block's valid transactions to ledger.commit({ pvtData }); the ledger applies a set only
// when its bytes hash to the pvt_rwset_hash of the transaction's public rw-set, so a stale or forged
// entry is simply ignored.
import { type PvtDataInput } from '@fabric-peer/ledger';
import { common, rwset } from '@fabric-peer/protos';
import { join } from 'node:path';
import { Journal } from './journal.js';

interface Entry {
  /** Ledger height when the endorsement ran (Fabric's blockHeight, used for purging). */
  endorsedAt: number;
  pvt: rwset.TxPvtReadWriteSet;
}

/** Fabric's default transientstoreMaxBlockRetention. */
export const DEFAULT_MAX_BLOCK_RETENTION = 1000;

export class TransientStore {
  /** txId -> one entry per endorsement of that tx (a proposal may be endorsed more than once). */
  private readonly byTxId = new Map<string, Entry[]>();

  /** In memory, or kept in `journal` (see TransientStore.open). */
  constructor(private readonly journal?: Journal) {}

  /** A store kept in a file: what it held before a restart is there again (compacted on open). */
  static open(file: string): TransientStore {
    const journal = new Journal(file);
    const store = new TransientStore();
    for (const r of journal.replay()) {
      if (r.op === 'persist') store.persist(r.txId, r.endorsedAt, r.pvt);
      else if (r.op === 'purgeTx') store.purgeByTxIds([r.txId]);
      else store.purgeBelowHeight(r.height);
    }
    const opened = new TransientStore(journal);
    for (const [txId, list] of store.byTxId) opened.byTxId.set(txId, list);
    opened.compact();
    return opened;
  }

  /** Keeps an endorsement's private rw-set (bytes or decoded). Nothing to keep when undefined. */
  persist(txId: string, endorsedAt: number, pvt: rwset.TxPvtReadWriteSet | Uint8Array | undefined): void {
    if (pvt === undefined) return;
    const set = pvt instanceof Uint8Array ? rwset.TxPvtReadWriteSet.decode(pvt) : pvt;
    if (set.nsPvtRwset.length === 0) return;
    this.journal?.append({ op: 'persist', txId, endorsedAt, pvt: rwset.TxPvtReadWriteSet.encode(set) });
    const list = this.byTxId.get(txId) ?? [];
    list.push({ endorsedAt, pvt: set });
    this.byTxId.set(txId, list);
  }

  /** Every private rw-set kept for txId (newest last). */
  get(txId: string): rwset.TxPvtReadWriteSet[] {
    return (this.byTxId.get(txId) ?? []).map((e) => e.pvt);
  }

  /**
   * The pvtData input of ledger.commit for these transactions: the first kept set per tx (endorsers
   * of one proposal produce identical private rw-sets; the ledger re-checks the hash anyway).
   */
  pvtDataFor(txs: Iterable<{ index: number; txId: string }>): Map<number, rwset.TxPvtReadWriteSet> {
    const out = new Map<number, rwset.TxPvtReadWriteSet>();
    for (const { index, txId } of txs) {
      const first = this.byTxId.get(txId)?.[0];
      if (first) out.set(index, first.pvt);
    }
    return out;
  }

  /** After a block commits: its transactions' entries are no longer needed. */
  purgeByTxIds(txIds: Iterable<string>): void {
    for (const id of txIds) {
      if (!this.byTxId.delete(id)) continue;
      this.journal?.append({ op: 'purgeTx', txId: id });
    }
  }

  /** Drops entries endorsed below `height` (proposals whose transaction never made it into a block). */
  purgeBelowHeight(height: number): void {
    for (const [id, list] of this.byTxId) {
      const kept = list.filter((e) => e.endorsedAt >= height);
      if (kept.length === 0) this.byTxId.delete(id);
      else if (kept.length !== list.length) this.byTxId.set(id, kept);
    }
    // The periodic purge is also when the file is rewritten with only what is still held.
    this.compact();
  }

  private compact(): void {
    this.journal?.rewrite(
      [...this.byTxId].flatMap(([txId, list]) =>
        list.map((e) => ({
          op: 'persist' as const,
          txId,
          endorsedAt: e.endorsedAt,
          pvt: rwset.TxPvtReadWriteSet.encode(e.pvt),
        })),
      ),
    );
  }

  get size(): number {
    return this.byTxId.size;
  }
}

/**
 * One store per channel, as Fabric keeps one transient store per ledger; in memory, or under `path`
 * (Fabric's peer.fileSystemPath/transientstore) as `<channel>.journal`.
 */
export class TransientStoreProvider {
  private readonly stores = new Map<string, TransientStore>();

  constructor(private readonly opts: { path?: string } = {}) {}

  storeFor(channelId: string): TransientStore {
    let s = this.stores.get(channelId);
    if (!s) {
      s =
        this.opts.path === undefined
          ? new TransientStore()
          : TransientStore.open(join(this.opts.path, `${channelId}.journal`));
      this.stores.set(channelId, s);
    }
    return s;
  }
}

/** The tx ids of a block's endorser transactions, by index (for committers that did not parse them). */
export function blockTxIds(block: common.Block): { index: number; txId: string }[] {
  const out: { index: number; txId: string }[] = [];
  (block.data?.data ?? []).forEach((env, index) => {
    try {
      const payload = common.Payload.decode(common.Envelope.decode(env).payload);
      const ch = common.ChannelHeader.decode(payload.header?.channelHeader ?? new Uint8Array());
      if (ch.type === common.HeaderType.ENDORSER_TRANSACTION && ch.txId !== '')
        out.push({ index, txId: ch.txId });
    } catch {
      // A malformed envelope is invalid anyway; it has no private data to hand over.
    }
  });
  return out;
}

/**
 * For the committer: the pvtData of a block's valid transactions (codes[i] === 0; all when codes is
 * absent), ready for ledger.commit(block, { preFilter, pvtData }).
 */
export function blockPvtData(
  store: TransientStore,
  txs: Iterable<{ index: number; txId: string }>,
  codes?: readonly number[],
): PvtDataInput {
  const valid = [...txs].filter((t) => codes === undefined || codes[t.index] === 0);
  return store.pvtDataFor(valid);
}

/** For the endorser: keep the private rw-set of a successful simulation (results.pvt of the ledger). */
export function persistSimulationPvtData(
  store: TransientStore,
  txId: string,
  ledgerHeight: number,
  pvt: rwset.TxPvtReadWriteSet | Uint8Array | undefined,
): void {
  store.persist(txId, ledgerHeight, pvt);
}

/**
 * For the committer, after a block commits (Fabric's coordinator): drop the block's transactions, and
 * every `retention` blocks drop what was endorsed more than `retention` blocks ago (proposals whose
 * transaction never came back in a block).
 */
export function purgeAfterCommit(
  store: TransientStore,
  txs: Iterable<{ txId: string }>,
  blockNumber: number,
  retention = DEFAULT_MAX_BLOCK_RETENTION,
): void {
  store.purgeByTxIds([...txs].map((t) => t.txId));
  if (blockNumber > 0 && blockNumber % retention === 0) store.purgeBelowHeight(blockNumber - retention + 1);
}
