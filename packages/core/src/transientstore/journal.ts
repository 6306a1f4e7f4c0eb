// The transient store's file: an append-only journal of persist / purge records, replayed at open and
// rewritten compact (live entries only). Appends are synchronous so the store keeps its synchronous
// API; a record cut short by a crash is ignored at replay. Fabric keeps this in LevelDB; a journal is
// enough for what it holds (a few private rw-sets waiting for their block).
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export type JournalRecord =
  | { op: 'persist'; txId: string; endorsedAt: number; pvt: Uint8Array }
  | { op: 'purgeTx'; txId: string }
  | { op: 'purgeBelow'; height: number };

const OPS = { persist: 1, purgeTx: 2, purgeBelow: 3 } as const;

function encode(r: JournalRecord): Buffer {
  const parts: Buffer[] = [Buffer.from([OPS[r.op]])];
  const num = (n: number): Buffer => {
    const b = Buffer.alloc(8);
    b.writeDoubleBE(n);
    return b;
  };
  const bytes = (b: Uint8Array): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    return Buffer.concat([len, Buffer.from(b)]);
  };
  if (r.op === 'persist') parts.push(bytes(Buffer.from(r.txId)), num(r.endorsedAt), bytes(r.pvt));
  else if (r.op === 'purgeTx') parts.push(bytes(Buffer.from(r.txId)));
  else parts.push(num(r.height));
  const body = Buffer.concat(parts);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return Buffer.concat([len, body]);
}

function decode(body: Buffer): JournalRecord | undefined {
  let at = 1;
  const bytes = (): Buffer => {
    const n = body.readUInt32BE(at);
    at += 4;
    const b = body.subarray(at, at + n);
    at += n;
    return b;
  };
  const num = (): number => {
    const n = body.readDoubleBE(at);
    at += 8;
    return n;
  };
  switch (body[0]) {
    case OPS.persist: {
      const txId = bytes().toString('utf8');
      return { op: 'persist', txId, endorsedAt: num(), pvt: Uint8Array.from(bytes()) };
    }
    case OPS.purgeTx:
      return { op: 'purgeTx', txId: bytes().toString('utf8') };
    case OPS.purgeBelow:
      return { op: 'purgeBelow', height: num() };
    default:
      return undefined;
  }
}

export class Journal {
  constructor(readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
  }

  /** Every complete record in the file, in order (a truncated or unreadable tail is dropped). */
  replay(): JournalRecord[] {
    if (!existsSync(this.file)) return [];
    const buf = readFileSync(this.file);
    const out: JournalRecord[] = [];
    let at = 0;
    while (at + 4 <= buf.length) {
      const n = buf.readUInt32BE(at);
      if (at + 4 + n > buf.length) break;
      let rec: JournalRecord | undefined;
      try {
        rec = decode(buf.subarray(at + 4, at + 4 + n));
      } catch {
        rec = undefined;
      }
      if (rec === undefined) break;
      out.push(rec);
      at += 4 + n;
    }
    return out;
  }

  append(r: JournalRecord): void {
    appendFileSync(this.file, encode(r));
  }

  /** Replaces the file with these records (written aside, then renamed). */
  rewrite(records: readonly JournalRecord[]): void {
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, Buffer.concat(records.map(encode)));
    renameSync(tmp, this.file);
  }
}
