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
