// HistoryDB: for each public key, the height (block, tx) of every valid write, as an index only;
// values, delete flags, tx ids and timestamps are read back from the block store (as Fabric does).
// Layout: 'h' ns 0x00 varint(len(key)) key be64(block) be32(tx) -> empty; 'H' -> savepoint.
// The length prefix keeps keys that contain 0x00 (composite keys) from running into each other.
import { be32, be64, prefixEnd, readBe64, utf8, varint } from '../internal/bytes.js';
import { type BatchOp, type Store } from '../internal/store.js';
import { type Height } from '../statedb/types.js';

const HISTORY = 0x68; // 'h'
const SAVEPOINT_KEY = Buffer.from('H');
const EMPTY = Buffer.alloc(0);

export interface HistoryEntry {
  namespace: string;
  key: string;
  txNum: number;
}

function keyPrefix(ns: string, key: string): Buffer {
  const k = utf8(key);
  return Buffer.concat([Buffer.from([HISTORY]), utf8(ns), Buffer.from([0]), varint(k.length), k]);
}

export class HistoryDB {
  constructor(private readonly db: Store) {}

  async savepoint(): Promise<number | undefined> {
    const raw = await this.db.get(SAVEPOINT_KEY);
    return raw === undefined ? undefined : readBe64(raw);
  }

  /** Records a block's valid writes and moves the savepoint, in one batch. */
  async commit(blockNum: number, entries: readonly HistoryEntry[]): Promise<void> {
    const ops: BatchOp[] = [];
    const bn = be64(blockNum);
    for (const e of entries) {
      ops.push({
        type: 'put',
        key: Buffer.concat([keyPrefix(e.namespace, e.key), bn, be32(e.txNum)]),
        value: EMPTY,
      });
    }
    ops.push({ type: 'put', key: SAVEPOINT_KEY, value: bn });
    await this.db.batch(ops);
  }

  /** Heights of the writes of one key, newest first. */
  async *heights(ns: string, key: string): AsyncGenerator<Height> {
    const prefix = keyPrefix(ns, key);
    const it = this.db.iterator({ gte: prefix, lt: prefixEnd(prefix), reverse: true, values: false });
    try {
      for (;;) {
        const batch = await it.nextv(128);
        if (batch.length === 0) return;
        for (const [k] of batch) {
          if (k.length !== prefix.length + 12) continue;
          yield { blockNum: readBe64(k, prefix.length), txNum: k.readUInt32BE(prefix.length + 8) };
        }
      }
    } finally {
      await it.close();
    }
  }

  async drop(): Promise<void> {
    await this.db.clear({ gte: Buffer.from([HISTORY]), lt: Buffer.from([HISTORY + 1]) });
    await this.db.del(SAVEPOINT_KEY);
  }
}
