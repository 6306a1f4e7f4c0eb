// Where block bytes live. On disk: Fabric-style append-only files (chains/blockfile_NNNNNN, rolled at
// 64 MiB) whose locations go into the LevelDB index, with a checkpoint (current file, its size)
// written in the same batch as the index. A tail written but not checkpointed (a crash between
// the file write and the index batch) was never acknowledged and is cut off at open. In memory
// (or when no folder is given) the bytes go into the store itself.
import { type FileHandle, mkdir, open, readdir, rm, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { ByteReader, varint } from '../internal/bytes.js';
import { type BatchOp, type Store } from '../internal/store.js';

const CHECKPOINT_KEY = Buffer.from('c');
const MAX_FILE_SIZE = 64 * 1024 * 1024;
const INLINE = 0x00;
const IN_FILE = 0x01;

export interface BlockFilesOptions {
  /** Folder for the block files; omitted = block bytes inside the store. */
  dir?: string;
  /** fsync each block file write before indexing it (survives power loss, as Fabric). Default true. */
  fsync?: boolean;
}

interface Checkpoint {
  file: number;
  size: number;
}

const fileName = (n: number): string => `blockfile_${String(n).padStart(6, '0')}`;

export class BlockBlobs {
  private cp: Checkpoint = { file: 0, size: 0 };
  private writer: FileHandle | undefined;
  private readonly readers = new Map<number, FileHandle>();

  private constructor(
    private readonly db: Store,
    private readonly opts: BlockFilesOptions,
  ) {}

  static async open(db: Store, opts: BlockFilesOptions): Promise<BlockBlobs> {
    const b = new BlockBlobs(db, opts);
    if (opts.dir === undefined) return b;
    await mkdir(opts.dir, { recursive: true });
    const raw = await db.get(CHECKPOINT_KEY);
    if (raw !== undefined) {
      const r = new ByteReader(raw);
      b.cp = { file: r.varint(), size: r.varint() };
    }
    // Cut off anything past the checkpoint: written, never indexed, never acknowledged.
    for (const f of await readdir(opts.dir)) {
      const m = /^blockfile_(\d+)$/.exec(f);
      if (m && Number(m[1]) > b.cp.file) await rm(join(opts.dir, f), { force: true });
    }
    const current = join(opts.dir, fileName(b.cp.file));
    const size = await stat(current).then(
      (s) => s.size,
      () => 0,
    );
    if (size > b.cp.size) await truncate(current, b.cp.size);
    return b;
  }

  /** Writes the bytes (to a file when on disk) and returns the index value plus extra index ops. */
  async write(bytes: Uint8Array): Promise<{ value: Buffer; ops: BatchOp[] }> {
    if (this.opts.dir === undefined) {
      return { value: Buffer.concat([Buffer.from([INLINE]), bytes]), ops: [] };
    }
    if (this.cp.size > 0 && this.cp.size + bytes.length > MAX_FILE_SIZE) {
      await this.writer?.close();
      this.writer = undefined;
      this.cp = { file: this.cp.file + 1, size: 0 };
    }
    this.writer ??= await open(join(this.opts.dir, fileName(this.cp.file)), 'a');
    await this.writer.write(bytes);
    if (this.opts.fsync !== false) await this.writer.datasync();
    const loc = Buffer.concat([
      Buffer.from([IN_FILE]),
      varint(this.cp.file),
      varint(this.cp.size),
      varint(bytes.length),
    ]);
    this.cp = { file: this.cp.file, size: this.cp.size + bytes.length };
    return { value: loc, ops: [{ type: 'put', key: CHECKPOINT_KEY, value: this.checkpointBytes() }] };
  }

  /** The bytes an index value points at. Throws RangeError on a bad or dangling location. */
  async read(value: Buffer): Promise<Buffer> {
    if (value[0] === INLINE) return value.subarray(1);
    if (value[0] !== IN_FILE || this.opts.dir === undefined) throw new RangeError('unknown block location');
    const r = new ByteReader(value.subarray(1));
    const file = r.varint();
    const offset = r.varint();
    const length = r.varint();
    const fh = await this.reader(file);
    const buf = Buffer.allocUnsafe(length);
    const { bytesRead } = await fh.read(buf, 0, length, offset);
    if (bytesRead !== length) throw new RangeError('block file shorter than its index');
    return buf;
  }

  /**
   * Cutting the chain back to where block `value` starts: the checkpoint op goes into the index
   * batch; `finish` (after that batch) shortens the files. A crash in between is fixed at open.
   */
  async cutAt(value: Buffer): Promise<{ ops: BatchOp[]; finish: () => Promise<void> }> {
    if (value[0] !== IN_FILE || this.opts.dir === undefined) return { ops: [], finish: async () => {} };
    const dir = this.opts.dir;
    const r = new ByteReader(value.subarray(1));
    const file = r.varint();
    const offset = r.varint();
    const last = this.cp.file;
    this.cp = { file, size: offset };
    const finish = async (): Promise<void> => {
      await this.writer?.close();
      this.writer = undefined;
      for (const fh of this.readers.values()) await fh.close();
      this.readers.clear();
      for (let f = file + 1; f <= last; f++) await rm(join(dir, fileName(f)), { force: true });
      await truncate(join(dir, fileName(file)), offset);
    };
    return { ops: [{ type: 'put', key: CHECKPOINT_KEY, value: this.checkpointBytes() }], finish };
  }

  async close(): Promise<void> {
    await this.writer?.close();
    this.writer = undefined;
    for (const fh of this.readers.values()) await fh.close();
    this.readers.clear();
  }

  private checkpointBytes(): Buffer {
    return Buffer.concat([varint(this.cp.file), varint(this.cp.size)]);
  }

  private async reader(file: number): Promise<FileHandle> {
    let fh = this.readers.get(file);
    if (!fh) {
      if (this.readers.size >= 16) {
        const [oldest, h] = this.readers.entries().next().value as [number, FileHandle];
        this.readers.delete(oldest);
        await h.close();
      }
      fh = await open(join(this.opts.dir as string, fileName(file)), 'r');
      this.readers.set(file, fh);
    }
    return fh;
  }
}
