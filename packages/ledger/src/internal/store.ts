// The one kind of store every component runs on: an abstract-level database with binary keys
// and values (Buffers). classic-level on disk, memory-level in memory.
import { type AbstractLevel, type AbstractBatchOperation } from 'abstract-level';
import { ClassicLevel } from 'classic-level';
import { MemoryLevel } from 'memory-level';

export type Store = AbstractLevel<Buffer | Uint8Array | string, Buffer, Buffer>;
export type BatchOp = AbstractBatchOperation<Store, Buffer, Buffer>;

export interface StoreOptions {
  /** A folder for classic-level; omitted = memory-level. */
  path?: string;
}

export async function openStore(opts: StoreOptions): Promise<Store> {
  const db: Store =
    opts.path !== undefined
      ? (new ClassicLevel<Buffer, Buffer>(opts.path, {
          keyEncoding: 'buffer',
          valueEncoding: 'buffer',
        }) as unknown as Store)
      : (new MemoryLevel<Buffer, Buffer>({
          keyEncoding: 'buffer',
          valueEncoding: 'buffer',
        }) as unknown as Store);
  await db.open();
  return db;
}

/**
 * Writes `ops` atomically through a chained batch: each op goes straight to the store's batch
 * (classic-level builds its native batch as it goes), about half the cost per op of an array batch,
 * which clones and re-reads every op.
 */
export async function writeBatch(db: Store, ops: readonly BatchOp[]): Promise<void> {
  if (ops.length === 0) return;
  const batch = db.batch();
  try {
    for (const op of ops) {
      if (op.type === 'put') batch.put(op.key, op.value);
      else batch.del(op.key);
    }
  } catch (err) {
    await batch.close();
    throw err;
  }
  await batch.write();
}
