// HistoryDB: for each public key, the height (block, tx) of every valid write, as an index only;
// values, delete flags, tx ids and timestamps are read back from the block store (as Fabric does).
// Layout: 'h' ns 0x00 varint(len(key)) key be64(block) be32(tx) -> empty; 'H' -> savepoint.
// The length prefix keeps keys that contain 0x00 (composite keys) from running into each other.
import { be64, prefixEnd, readBe64, varint } from '../internal/bytes.js';
import { type BatchOp, type Store, writeBatch } from '../internal/store.js';
import { type Height } from '../statedb/types.js';

const HISTORY = 0x68; // 'h'
const SAVEPOINT_KEY = Buffer.from('H');
const EMPTY = Buffer.alloc(0);

export interface HistoryEntry {
  namespace: string;
  key: string;
  txNum: number;
}

function keyPrefix(ns: string, key: string, extra = 0): Buffer {
  const nsLen = Buffer.byteLength(ns);
  const kLen = Buffer.byteLength(key);
  const lenBytes = varint(kLen);
  const out = Buffer.allocUnsafe(1 + nsLen + 1 + lenBytes.length + kLen + extra);
  out[0] = HISTORY;
  let o = 1 + out.write(ns, 1, 'utf8');
  out[o++] = 0;
  o += lenBytes.copy(out, o);
  out.write(key, o, 'utf8');
  return out;
}

/** The full index key: prefix ++ be64(block) ++ be32(tx). */
function entryKey(ns: string, key: string, blockNum: number, txNum: number): Buffer {
  const k = keyPrefix(ns, key, 12);
  const o = k.length - 12;
  k.writeUInt32BE(Math.floor(blockNum / 0x100000000), o);
  k.writeUInt32BE(blockNum >>> 0, o + 4);
  k.writeUInt32BE(txNum >>> 0, o + 8);
  return k;
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
    for (const e of entries) {
      ops.push({ type: 'put', key: entryKey(e.namespace, e.key, blockNum, e.txNum), value: EMPTY });
    }
    ops.push({ type: 'put', key: SAVEPOINT_KEY, value: be64(blockNum) });
    await writeBatch(this.db, ops);
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
