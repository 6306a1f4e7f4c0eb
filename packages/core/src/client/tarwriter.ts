// A ustar writer whose headers are byte for byte those of Go's archive/tar (zero-padded octal
// fields ended by NUL, the full 0100644 mode, `%06o\0 ` checksum, two zero blocks at the end, no
// record padding) and a gzip member with Go's header (no mtime, OS 255), as `peer lifecycle chaincode
// package` writes them. node-tar's encoder writes other bytes (space-ended fields, masked mode), so
// the header is built here; reading packages goes through node-tar (see package.ts).
import { gzipSync } from 'node:zlib';

export interface TarFile {
  name: string;
  body: Uint8Array;
  mode?: number;
  uid?: number;
  gid?: number;
}

function octal(buf: Buffer, off: number, len: number, v: number): void {
  buf.write(v.toString(8).padStart(len - 1, '0'), off, len - 1, 'ascii');
  buf[off + len - 1] = 0;
}

function splitName(name: string): { prefix: string; name: string } {
  if (Buffer.byteLength(name) <= 100) return { prefix: '', name };
  for (let i = name.length - 1; i > 0; i--) {
    if (name[i] !== '/') continue;
    const p = name.slice(0, i);
    const n = name.slice(i + 1);
    if (Buffer.byteLength(p) <= 155 && Buffer.byteLength(n) <= 100 && n !== '') return { prefix: p, name: n };
  }
  throw new Error(`path too long for a ustar header: ${name}`);
}

export function ustarHeader(f: TarFile): Buffer {
  const h = Buffer.alloc(512);
  const { prefix, name } = splitName(f.name);
  h.write(name, 0, 100, 'utf8');
  octal(h, 100, 8, f.mode ?? 0o100644);
  octal(h, 108, 8, f.uid ?? 0);
  octal(h, 116, 8, f.gid ?? 0);
  octal(h, 124, 12, f.body.length);
  octal(h, 136, 12, 0);
  h.write('        ', 148, 8, 'ascii');
  h.write('0', 156, 1, 'ascii');
  h.write('ustar\u000000', 257, 8, 'ascii');
  octal(h, 329, 8, 0);
  octal(h, 337, 8, 0);
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0'), 148, 6, 'ascii');
  h[154] = 0;
  h[155] = 0x20;
  return h;
}

export function tarBytes(files: TarFile[]): Buffer {
  const parts: Buffer[] = [];
  for (const f of files) {
    parts.push(ustarHeader(f), Buffer.from(f.body));
    const pad = (512 - (f.body.length % 512)) % 512;
    if (pad > 0) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/** gzip with Go's compress/gzip header (MTIME 0, XFL 0, OS 255). */
export function goGzip(data: Uint8Array): Buffer {
  const gz = gzipSync(data);
  gz[8] = 0;
  gz[9] = 0xff;
  return gz;
}
