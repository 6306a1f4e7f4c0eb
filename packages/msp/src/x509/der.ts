// A minimal strict DER reader and writer: enough for certificates, CRLs, SPKI and ECDSA
// signatures. Hand-rolled because the hot path (deserialize + validate an identity) must not
// pay for a general ASN.1 schema library.

export const Tag = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  T61_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Thrown by the reader; callers turn it into their own typed error. */
export class DerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DerError';
  }
}

/** One TLV: `start` is where the header begins, `body` where the content begins, `end` one past it. */
export interface Tlv {
  readonly tag: number;
  readonly start: number;
  readonly body: number;
  readonly end: number;
}

export function readTlv(buf: Uint8Array, pos: number, limit: number = buf.length): Tlv {
  if (pos + 2 > limit) throw new DerError('truncated DER header');
  const tag = buf[pos]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('high tag numbers are not supported');
  let len = buf[pos + 1]!;
  let body = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new DerError('unsupported DER length');
    if (body + n > limit) throw new DerError('truncated DER length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[body + i]!;
    if (len < 0x80 || (n > 1 && buf[body] === 0)) throw new DerError('non-minimal DER length');
    body += n;
  }
  const end = body + len;
  if (end > limit) throw new DerError('truncated DER content');
  return { tag, start: pos, body, end };
}

export function expectTag(t: Tlv, tag: number, what: string): Tlv {
  if (t.tag !== tag)
    throw new DerError(`${what}: expected tag 0x${tag.toString(16)}, got 0x${t.tag.toString(16)}`);
  return t;
}

/** Children of a constructed TLV, in order. */
export function children(buf: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  let pos = parent.body;
  while (pos < parent.end) {
    const t = readTlv(buf, pos, parent.end);
    out.push(t);
    pos = t.end;
  }
  return out;
}

export function content(buf: Uint8Array, t: Tlv): Uint8Array {
  return buf.subarray(t.body, t.end);
}

export function whole(buf: Uint8Array, t: Tlv): Uint8Array {
  return buf.subarray(t.start, t.end);
}

/** Bytes of a BIT STRING whose unused-bit count must be 0 (keys, signatures). */
export function bitStringBytes(buf: Uint8Array, t: Tlv): Uint8Array {
  expectTag(t, Tag.BIT_STRING, 'bit string');
  if (t.end - t.body < 1) throw new DerError('empty bit string');
  return buf.subarray(t.body + 1, t.end);
}

/** An INTEGER's magnitude without sign padding; rejects negative and non-minimal encodings as Go does. */
export function unsignedInteger(buf: Uint8Array, t: Tlv): Uint8Array {
  expectTag(t, Tag.INTEGER, 'integer');
  const b = buf.subarray(t.body, t.end);
  if (b.length === 0) throw new DerError('empty integer');
  if (b.length > 1 && ((b[0] === 0 && (b[1]! & 0x80) === 0) || (b[0] === 0xff && (b[1]! & 0x80) !== 0))) {
    throw new DerError('integer not minimally encoded');
  }
  if (b[0]! & 0x80) throw new DerError('negative integer');
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}

export function smallInteger(buf: Uint8Array, t: Tlv): number {
  const b = unsignedInteger(buf, t);
  if (b.length > 6) throw new DerError('integer too large');
  let n = 0;
  for (const x of b) n = n * 256 + x;
  return n;
}

export function bool(buf: Uint8Array, t: Tlv): boolean {
  expectTag(t, Tag.BOOLEAN, 'boolean');
  if (t.end - t.body !== 1) throw new DerError('bad boolean');
  return buf[t.body] !== 0;
}

/** UTCTime / GeneralizedTime in the Z form that RFC 5280 requires. */
export function time(buf: Uint8Array, t: Tlv): Date {
  const s = Buffer.from(buf.buffer, buf.byteOffset + t.body, t.end - t.body).toString('latin1');
  let m: RegExpExecArray | null;
  let year: number;
  if (t.tag === Tag.UTC_TIME) {
    m = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(s);
    if (!m) throw new DerError(`bad UTCTime ${s}`);
    const yy = Number(m[1]);
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
  } else if (t.tag === Tag.GENERALIZED_TIME) {
    m = /^(\d\d\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(?:\.\d+)?Z$/.exec(s);
    if (!m) throw new DerError(`bad GeneralizedTime ${s}`);
    year = Number(m[1]);
  } else {
    throw new DerError('expected a time');
  }
  const ms = Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  if (Number.isNaN(ms)) throw new DerError(`bad time ${s}`);
  return new Date(ms);
}

export function oidHex(buf: Uint8Array, t: Tlv): string {
  expectTag(t, Tag.OID, 'object identifier');
  return Buffer.from(buf.buffer, buf.byteOffset + t.body, t.end - t.body).toString('hex');
}

/** A directory string value (PrintableString, UTF8String, IA5String, T61String, BMPString). */
export function directoryString(buf: Uint8Array, t: Tlv): string {
  const b = Buffer.from(buf.buffer, buf.byteOffset + t.body, t.end - t.body);
  if (t.tag === Tag.BMP_STRING) return b.swap16().toString('utf16le');
  if (t.tag === Tag.T61_STRING) return b.toString('latin1');
  return b.toString('utf8');
}

// ---- writer ----

function lengthBytes(len: number): number[] {
  if (len < 0x80) return [len];
  const out: number[] = [];
  while (len > 0) {
    out.unshift(len & 0xff);
    len = Math.floor(len / 256);
  }
  return [0x80 | out.length, ...out];
}

export function encodeTlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const hdr = lengthBytes(len);
  const out = new Uint8Array(1 + hdr.length + len);
  out[0] = tag;
  out.set(hdr, 1);
  let off = 1 + hdr.length;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** A non-negative INTEGER from its big-endian magnitude (leading zeros allowed in the input). */
export function encodeUnsignedInteger(mag: Uint8Array): Uint8Array {
  let i = 0;
  while (i < mag.length - 1 && mag[i] === 0) i++;
  let m = mag.subarray(i);
  if (m.length === 0) m = new Uint8Array([0]);
  if (m[0]! & 0x80) {
    const padded = new Uint8Array(m.length + 1);
    padded.set(m, 1);
    m = padded;
  }
  return encodeTlv(Tag.INTEGER, m);
}
