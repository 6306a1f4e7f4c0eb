// Byte helpers shared by the stores: key building, fixed and variable width integers,
// and Go-compatible ordering (Go compares strings byte by byte over their UTF-8 form).

export const EMPTY = Buffer.alloc(0);

export function utf8(s: string): Buffer {
  return Buffer.from(s, 'utf8');
}

/** utf8(s).toString('latin1') without the buffer when s is ASCII (then both are s). */
export function latin1OfUtf8(s: string): string {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) >= 0x80) return Buffer.from(s, 'utf8').toString('latin1');
  }
  return s;
}

export function toBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

/** Bytewise order of the UTF-8 encodings, as Go's sort.Strings orders strings. */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  // Fast path: when both are ASCII-only, code-unit order equals byte order.
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(a) && /^[\x00-\x7f]*$/.test(b)) return a < b ? -1 : 1;
  return Buffer.compare(utf8(a), utf8(b));
}

export function sortUtf8(list: string[]): string[] {
  return list.sort(compareUtf8);
}

/** 8-byte big-endian for a number up to 2^53, so keys sort by number. */
export function be64(n: number): Buffer {
  const b = Buffer.allocUnsafe(8);
  b.writeUInt32BE(Math.floor(n / 0x100000000), 0);
  b.writeUInt32BE(n >>> 0, 4);
  return b;
}

export function readBe64(b: Uint8Array, offset = 0): number {
  const buf = toBuffer(b);
  return buf.readUInt32BE(offset) * 0x100000000 + buf.readUInt32BE(offset + 4);
}

export function be32(n: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32BE(n >>> 0, 0);
  return b;
}

/** Protobuf-style unsigned varint (numbers up to 2^53). */
export function varint(n: number): Buffer {
  const out: number[] = [];
  writeVarint(out, n);
  return Buffer.from(out);
}

export function writeVarint(out: number[], n: number): void {
  let v = n;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

export class ByteReader {
  pos = 0;
  constructor(readonly buf: Buffer) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  varint(): number {
    let result = 0;
    let mul = 1;
    for (;;) {
      if (this.pos >= this.buf.length) throw new RangeError('truncated varint');
      const byte = this.buf[this.pos++] as number;
      result += (byte & 0x7f) * mul;
      if (byte < 0x80) return result;
      mul *= 0x80;
      if (mul > 2 ** 63) throw new RangeError('varint too long');
    }
  }

  bytes(len: number): Buffer {
    if (this.pos + len > this.buf.length) throw new RangeError('truncated bytes');
    const b = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return b;
  }

  lenPrefixed(): Buffer {
    return this.bytes(this.varint());
  }

  rest(): Buffer {
    const b = this.buf.subarray(this.pos);
    this.pos = this.buf.length;
    return b;
  }
}

/** Fabric's EncodeOrderPreservingVarUint64: one length byte, then the big-endian bytes without leading zeros. */
export function orderPreservingVarUint64(n: number): Buffer {
  const full = be64(n);
  let start = 0;
  while (start < 8 && full[start] === 0) start++;
  const size = 8 - start;
  const out = Buffer.allocUnsafe(size + 1);
  out[0] = size;
  full.copy(out, 1, start);
  return out;
}

/** The smallest key greater than every key that starts with `prefix`. */
export function prefixEnd(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if ((end[i] as number) < 0xff) {
      end[i] = (end[i] as number) + 1;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
}

export function hex(b: Uint8Array | undefined): string {
  return b ? toBuffer(b).toString('hex') : '';
}

export function bytesEqual(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  const la = a?.length ?? 0;
  const lb = b?.length ?? 0;
  if (la !== lb) return false;
  if (la === 0) return true;
  return toBuffer(a as Uint8Array).equals(b as Uint8Array);
}
