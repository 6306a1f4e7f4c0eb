// Where block bytes live. On disk: Fabric-style append-only files (chains/blockfile_NNNNNN, rolled at
// 64 MiB) of records varint(length) ++ block bytes, whose locations go into the LevelDB index with a
// checkpoint (current file, its size) in the same batch. At open, complete records past the checkpoint
// (written, fsynced, but not indexed: a crash in between) are handed back to the block store to index,
// as Fabric's syncIndex does; a partial record is cut off. In memory (or when no folder is given) the
// bytes go into the store itself.
import { constants } from 'node:fs';
import { type FileHandle, mkdir, open, readdir, rm, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { ByteReader, varint } from '../internal/bytes.js';
import { type BatchOp, type Store } from '../internal/store.js';

const CHECKPOINT_KEY = Buffer.from('c');
/** Append, synchronized data writes (where the platform has O_DSYNC). */
const DSYNC_APPEND =
  constants.O_DSYNC === undefined
    ? undefined
    : constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_DSYNC;
const MAX_FILE_SIZE = 64 * 1024 * 1024;
const INLINE = 0x00;
const IN_FILE = 0x01;

export interface BlockFilesOptions {
  /** Folder for the block files; omitted = block bytes inside the store. */
  dir?: string;
  /** fsync each block file write before indexing it (survives power loss, as Fabric). Default true. */
  fsync?: boolean;
  /** Start a new block file once the current one would pass this size. Default 64 MiB. */
  maxFileSize?: number;
}

export interface UnindexedRecord {
  file: number;
  end: number;
  /** The index value (location) of the record. */
  value: Buffer;
  bytes: Buffer;
}

interface Checkpoint {
  file: number;
  size: number;
}

const fileName = (n: number): string => `blockfile_${String(n).padStart(6, '0')}`;

/** The bytes of a file from `offset` to its end (none when it does not exist). */
async function readFrom(path: string, offset: number): Promise<Buffer> {
  const fh = await open(path, 'r').catch(() => undefined);
  if (!fh) return Buffer.alloc(0);
  try {
    const size = (await fh.stat()).size;
    if (size <= offset) return Buffer.alloc(0);
    const buf = Buffer.allocUnsafe(size - offset);
    const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

interface SharedHandle {
  fh: FileHandle;
  /** Reads in progress on it. */
  users: number;
  /** Out of the map: closed by the last read (or now, when none is running). */
  retired: boolean;
}

async function retire(h: SharedHandle | undefined): Promise<void> {
  if (!h || h.retired) return;
  h.retired = true;
  if (h.users === 0) await h.fh.close();
}

export class BlockBlobs {
  private cp: Checkpoint = { file: 0, size: 0 };
  private writer: FileHandle | undefined;
  /**
   * Open read handles by file, shared by concurrent reads. The map holds promises so that two reads
   * racing to open one file share one handle (two opens leaked one: Node closed it on GC with a
   * warning), and a handle is closed only once no read is using it.
   */
  private readonly readers = new Map<number, Promise<SharedHandle>>();

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
    await b.scanTail();
    return b;
  }

  /** Complete records past the checkpoint, in order (see BlockStore.open). */
  readonly unindexed: UnindexedRecord[] = [];

  private async scanTail(): Promise<void> {
    const dir = this.opts.dir as string;
    const files = (await readdir(dir))
      .map((f) => /^blockfile_(\d+)$/.exec(f))
      .filter((m): m is RegExpExecArray => m !== null && Number(m[1]) >= this.cp.file)
      .map((m) => Number(m[1]))
      .sort((x, y) => x - y);
    for (const file of files) {
      const from = file === this.cp.file ? this.cp.size : 0;
      const data = await readFrom(join(dir, fileName(file)), from);
      let pos = 0;
      for (;;) {
        if (pos >= data.length) break;
        const r = new ByteReader(data.subarray(pos));
        let len: number;
        try {
          len = r.varint();
        } catch {
          return;
        }
        const start = pos + r.pos;
        if (start + len > data.length) return;
        const value = Buffer.concat([
          Buffer.from([IN_FILE]),
          varint(file),
          varint(from + start),
          varint(len),
        ]);
        this.unindexed.push({
          file,
          end: from + start + len,
          value,
          bytes: data.subarray(start, start + len),
        });
        pos = start + len;
      }
    }
  }

  /** A recovered record is indexed: the checkpoint moves past it (op for the index batch). */
  adopt(rec: UnindexedRecord): BatchOp[] {
    this.cp = { file: rec.file, size: rec.end };
    return [{ type: 'put', key: CHECKPOINT_KEY, value: this.checkpointBytes() }];
  }

  /** Drops whatever lies past the checkpoint (partial records, records that were not adopted). */
  async dropTail(): Promise<void> {
    const dir = this.opts.dir;
    this.unindexed.length = 0;
    if (dir === undefined) return;
    for (const f of await readdir(dir)) {
      const m = /^blockfile_(\d+)$/.exec(f);
      if (m && Number(m[1]) > this.cp.file) await rm(join(dir, f), { force: true });
    }
    const current = join(dir, fileName(this.cp.file));
    const size = await stat(current).then(
      (st) => st.size,
      () => 0,
    );
    if (size > this.cp.size) await truncate(current, this.cp.size);
  }

  /**
   * Writes the bytes (to a file when on disk) and returns the index value plus extra index ops.
   * The bytes may come as a list of ranges (`length` bytes in all), written as one record.
   */
  async write(
    bytes: Uint8Array | { parts: readonly Uint8Array[]; length: number },
  ): Promise<{ value: Buffer; ops: BatchOp[] }> {
    const parts = bytes instanceof Uint8Array ? [bytes] : bytes.parts;
    const length = bytes.length;
    if (this.opts.dir === undefined) {
      return { value: Buffer.concat([Buffer.from([INLINE]), ...parts]), ops: [] };
    }
    if (this.cp.size > 0 && this.cp.size + length > (this.opts.maxFileSize ?? MAX_FILE_SIZE)) {
      await this.writer?.close();
      this.writer = undefined;
      this.cp = { file: this.cp.file + 1, size: 0 };
    }
    const sync = this.opts.fsync !== false;
    // With O_DSYNC each write returns once its data (and the file's size) is on disk: the same
    // guarantee as write + fdatasync, in one call.
    this.writer ??= await open(
      join(this.opts.dir, fileName(this.cp.file)),
      sync && DSYNC_APPEND !== undefined ? DSYNC_APPEND : 'a',
    );
    const head = varint(length);
    await this.writer.writev([head, ...parts]);
    if (sync && DSYNC_APPEND === undefined) await this.writer.datasync();
    const start = this.cp.size + head.length;
    const loc = Buffer.concat([Buffer.from([IN_FILE]), varint(this.cp.file), varint(start), varint(length)]);
    this.cp = { file: this.cp.file, size: start + length };
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
    let h = await this.reader(file);
    // Evicted (and maybe closed) while this read waited for it: take a fresh one.
    while (h.retired) h = await this.reader(file);
    h.users++;
    try {
      const buf = Buffer.allocUnsafe(length);
      const { bytesRead } = await h.fh.read(buf, 0, length, offset);
      if (bytesRead !== length) throw new RangeError('block file shorter than its index');
      return buf;
    } finally {
      h.users--;
      if (h.retired && h.users === 0) await h.fh.close().catch(() => undefined);
    }
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
      await this.closeReaders();
      for (let f = file + 1; f <= last; f++) await rm(join(dir, fileName(f)), { force: true });
      await truncate(join(dir, fileName(file)), offset);
    };
    return { ops: [{ type: 'put', key: CHECKPOINT_KEY, value: this.checkpointBytes() }], finish };
  }

  async close(): Promise<void> {
    await this.writer?.close();
    this.writer = undefined;
    await this.closeReaders();
  }

  private async closeReaders(): Promise<void> {
    const all = [...this.readers.values()];
    this.readers.clear();
    for (const p of all) await retire(await p.catch(() => undefined));
  }

  private checkpointBytes(): Buffer {
    return Buffer.concat([varint(this.cp.file), varint(this.cp.size)]);
  }

  private reader(file: number): Promise<SharedHandle> {
    let p = this.readers.get(file);
    if (!p) {
      if (this.readers.size >= 16) {
        const [oldest, old] = this.readers.entries().next().value as [number, Promise<SharedHandle>];
        this.readers.delete(oldest);
        void old.then(retire).catch(() => undefined);
      }
      const opening = open(join(this.opts.dir as string, fileName(file)), 'r').then((fh): SharedHandle => ({
        fh,
        users: 0,
        retired: false,
      }));
      p = opening;
      this.readers.set(file, p);
      // A failed open is not kept: the next read tries again.
      opening.catch(() => {
        if (this.readers.get(file) === opening) this.readers.delete(file);
      });
    }
    return p;
  }
}
