// Runtime support for the generated codecs in ./generated: the Init type, the decode error, and the small
// helpers every generated file shares. Only protobufjs/minimal's Reader and Writer are used at runtime.
import protobufMinimal from 'protobufjs/minimal.js';

export const Reader = protobufMinimal.Reader;
export const Writer = protobufMinimal.Writer;
export type Reader = protobufMinimal.Reader;
export type Writer = protobufMinimal.Writer;

/**
 * What an encoder (or `create`) accepts: the message shape with every field optional, recursively.
 * A fully decoded message is always a valid `Init` of its own type.
 */
export type Init<T> = T extends Uint8Array
  ? Uint8Array
  : T extends readonly (infer U)[]
    ? readonly Init<U>[]
    : T extends object
      ? { [K in keyof T]?: Init<T[K]> | undefined }
      : T;

/** A message's codec: the value that shares its name with the message interface. */
export interface MessageCodec<T> {
  /** Full proto name, e.g. `common.Block`. */
  readonly typeName: string;
  /** Serializes a (possibly partial) message; proto3 defaults are omitted as Go omits them. */
  encode(message: Init<T>): Uint8Array;
  /** Parses bytes; throws {@link ProtoDecodeError} and nothing else. */
  decode(bytes: Uint8Array): T;
  /** A complete message with defaults filled in for whatever `init` leaves out. */
  create(init?: Init<T>): T;
}

/** The codec as generated files see it: also writes into / reads from a shared Writer/Reader. */
export interface Codec<T> extends MessageCodec<T> {
  /** @internal */
  readonly _write: (message: Init<T>, writer: Writer) => void;
  /** @internal */
  readonly _read: (reader: Reader, end: number, depth: number, into?: T) => T;
}

/** Bytes that are not a valid encoding of the expected message. */
export class ProtoDecodeError extends Error {
  readonly code = 'PROTO_DECODE_ERROR' as const;
  /** The message type being decoded at the top level, e.g. `common.Block`. */
  readonly typeName: string;

  constructor(typeName: string, message: string, options?: { cause?: unknown }) {
    super(`cannot decode ${typeName}: ${message}`, options);
    this.name = 'ProtoDecodeError';
    this.typeName = typeName;
  }
}

/** Deepest nesting of messages (and groups) a decode accepts. */
export const MAX_DEPTH = 100;

class NestingError extends globalThis.Error {}

/** Shared zero-length default for bytes fields; it cannot be mutated. */
export const EMPTY_BYTES: Uint8Array = new Uint8Array(0);

/** Decodes a whole buffer with a generated reader function, turning every failure into ProtoDecodeError. */
export function decodeRoot<T>(
  bytes: Uint8Array,
  read: (reader: Reader, end: number, depth: number) => T,
  typeName: string,
): T {
  if (!(bytes instanceof Uint8Array)) {
    throw new ProtoDecodeError(typeName, 'input is not a Uint8Array');
  }
  try {
    // Buffers get protobufjs's BufferReader (native UTF-8 decoding), plain Uint8Arrays the portable Reader.
    const reader = Reader.create(bytes);
    return read(reader, reader.len, 0);
  } catch (err) {
    if (err instanceof ProtoDecodeError) throw err;
    const message =
      err instanceof NestingError
        ? `nesting deeper than ${MAX_DEPTH} levels`
        : err instanceof RangeError && /call stack/i.test(err.message)
          ? 'nesting too deep'
          : err instanceof globalThis.Error
            ? err.message
            : String(err);
    throw new ProtoDecodeError(typeName, message, { cause: err });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Varints, read as Go's protowire reads them: up to 10 bytes, the 10th at most 1, over- long forms accepted,
// 32-bit fields taking the low 32 bits of the 64-bit value. (protobufjs's own uint32() skips bytes past the 5th
// without looking at them, and truncates lengths and tags to 32 bits, which would read some crafted input
// differently from a Go peer.)

function varintTooLong(pos: number): RangeError {
  return new RangeError(`varint at offset ${pos} is longer than 10 bytes or overflows 64 bits`);
}

function varintPastEnd(pos: number): RangeError {
  return new RangeError(`varint at offset ${pos} runs past the end`);
}

/** The low 32 bits of a varint, unsigned. */
export function readUint32(reader: Reader): number {
  const buf = reader.buf;
  const len = reader.len;
  let pos = reader.pos;
  if (pos < len) {
    const b = buf[pos]!;
    if (b < 128) {
      reader.pos = pos + 1;
      return b;
    }
  }
  const start = pos;
  let value = 0;
  for (let i = 0; i < 10; i++) {
    if (pos >= len) throw varintPastEnd(start);
    const b = buf[pos++]!;
    if (i < 5) value |= (b & 127) << (7 * i);
    if (b < 128) {
      if (i === 9 && b > 1) throw varintTooLong(start);
      reader.pos = pos;
      return value >>> 0;
    }
  }
  throw varintTooLong(start);
}

/** An int32 (or enum): the low 32 bits, signed. */
export function readInt32(reader: Reader): number {
  return readUint32(reader) | 0;
}

/** A zigzag-encoded sint32. */
export function readSint32(reader: Reader): number {
  const v = readUint32(reader);
  return (v >>> 1) ^ -(v & 1);
}

/** The whole varint as a number: exact below 2^53, approximate (but large) above. */
function readVarintNumber(reader: Reader): number {
  const buf = reader.buf;
  const len = reader.len;
  let pos = reader.pos;
  const start = pos;
  let value = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= len) throw varintPastEnd(start);
    const b = buf[pos++]!;
    value += (b & 127) * mul;
    if (b < 128) {
      if (i === 9 && b > 1) throw varintTooLong(start);
      reader.pos = pos;
      return value;
    }
    mul *= 128;
  }
  throw varintTooLong(start);
}

/** A length prefix; anything past the end of the input (however large) is an error. */
function readLength(reader: Reader): number {
  const pos = reader.pos;
  if (pos < reader.len) {
    const b = reader.buf[pos]!;
    if (b < 128) {
      reader.pos = pos + 1;
      return b;
    }
  }
  return readVarintNumber(reader);
}

/** A field number that no message uses: tags whose number does not fit in 29 bits decode to it (then skipped). */
const FAR_FIELD = 0x1fffffff;
const TWO_POW_32_TAG = 4294967296;
const TWO_POW_34 = 17179869184;

/** A field tag (number << 3 | wire type). Numbers above MaxInt32 are an error, as in Go. */
export function readTag(reader: Reader): number {
  const pos = reader.pos;
  if (pos < reader.len) {
    const b = reader.buf[pos]!;
    if (b < 128) {
      reader.pos = pos + 1;
      return b;
    }
  }
  const save = reader.pos;
  const low = readUint32(reader);
  const end = reader.pos;
  if (end - save <= 4) return low;
  reader.pos = save;
  const v = readVarintNumber(reader);
  if (v >= TWO_POW_34) throw new RangeError(`invalid field number at offset ${save}`);
  if (v >= TWO_POW_32_TAG) return ((FAR_FIELD << 3) | (low & 7)) >>> 0;
  return low;
}

/** Checks a 64-bit varint at the reader's position the way Go does, before protobufjs reads it. */
function checkVarint64(reader: Reader): void {
  const save = reader.pos;
  readVarintNumber(reader);
  reader.pos = save;
}

/** Reads a length prefix and returns the end offset of the nested message, checking bounds and depth. */
export function subEnd(reader: Reader, depth: number): number {
  if (depth >= MAX_DEPTH) throw new NestingError('too deep');
  const len = readLength(reader);
  const end = reader.pos + len;
  if (end > reader.len) throw new RangeError(`length ${len} at offset ${reader.pos} runs past the end`);
  return end;
}

/** Called when a nested message's fields ran past its declared length. */
export function checkEnd(reader: Reader, end: number): void {
  if (reader.pos !== end)
    throw new RangeError(`message overruns its length (offset ${reader.pos}, end ${end})`);
}

/** Skips an unknown field (or a known field with an unexpected wire type), as Go does. */
export function skip(reader: Reader, tag: number, depth: number): void {
  const number = tag >>> 3;
  if (number === 0) throw new RangeError(`invalid field number 0 at offset ${reader.pos}`);
  switch (tag & 7) {
    case 0:
      readVarintNumber(reader);
      return;
    case 1:
      advance(reader, 8);
      return;
    case 2:
      advance(reader, readLength(reader));
      return;
    case 5:
      advance(reader, 4);
      return;
    case 3: {
      // a group: fields up to the end-group tag of the same number
      if (depth >= MAX_DEPTH) throw new NestingError('too deep');
      for (;;) {
        if (reader.pos >= reader.len) throw new RangeError('group runs past the end');
        const inner = readTag(reader);
        if ((inner & 7) === 4) {
          if (inner >>> 3 !== number) throw new RangeError(`mismatched end-group at offset ${reader.pos}`);
          return;
        }
        skip(reader, inner, depth + 1);
      }
    }
    case 4:
      throw new RangeError(`unexpected end-group at offset ${reader.pos}`);
    default:
      throw new RangeError(`invalid wire type ${tag & 7} at offset ${reader.pos}`);
  }
}

function advance(reader: Reader, n: number): void {
  const end = reader.pos + n;
  if (end > reader.len)
    throw new RangeError(`field of length ${n} at offset ${reader.pos} runs past the end`);
  reader.pos = end;
}

/** Reads a length-delimited bytes field as a plain Uint8Array view of the input (no copy). */
export function readBytes(reader: Reader): Uint8Array {
  const len = readLength(reader);
  const start = reader.pos;
  const end = start + len;
  if (end > reader.len) throw new RangeError(`bytes of length ${len} at offset ${start} run past the end`);
  reader.pos = end;
  if (len === 0) return EMPTY_BYTES;
  const buf = reader.buf;
  return new Uint8Array(buf.buffer, buf.byteOffset + start, len);
}

// Go's proto3 decoder rejects strings that are not valid UTF-8; so do we (a fatal decoder, BOM kept).
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Reads a string field, failing on invalid UTF-8 as Go does. */
export function readString(reader: Reader): string {
  const len = readLength(reader);
  const start = reader.pos;
  const end = start + len;
  if (end > reader.len) throw new RangeError(`string of length ${len} at offset ${start} runs past the end`);
  if (len === 0) return '';
  const buf = reader.buf;
  reader.pos = end;
  if (len <= 32) {
    // short ASCII strings (keys, names, ids) without a native call
    let out = '';
    for (let i = start; i < end; i++) {
      const c = buf[i]!;
      if (c >= 0x80) return decodeUtf8(buf, start, end);
      out += String.fromCharCode(c);
    }
    return out;
  }
  return decodeUtf8(buf, start, end);
}

function decodeUtf8(buf: Uint8Array, start: number, end: number): string {
  try {
    return utf8.decode(buf.subarray(start, end));
  } catch {
    throw new RangeError(`invalid UTF-8 in a string field at offset ${start}`);
  }
}

interface LongBits {
  low: number;
  high: number;
  unsigned: boolean;
}

/** A 64-bit value as protobufjs returns it (Long or number) to a JS number (exact up to 2^53). */
export function num64(value: LongBits | number): number {
  if (typeof value === 'number') return value;
  return (value.unsigned ? value.high >>> 0 : value.high) * 4294967296 + (value.low >>> 0);
}

/** Fast path for the varint of a uint64/int64 that fits in 5 bytes (< 2^35); -1 when it does not. */
function shortVarint(reader: Reader): number {
  const buf = reader.buf;
  let pos = reader.pos;
  if (pos + 5 > reader.len) return -1;
  let b = buf[pos++]!;
  let value = b & 127;
  if (b < 128) {
    reader.pos = pos;
    return value;
  }
  b = buf[pos++]!;
  value |= (b & 127) << 7;
  if (b < 128) {
    reader.pos = pos;
    return value;
  }
  b = buf[pos++]!;
  value |= (b & 127) << 14;
  if (b < 128) {
    reader.pos = pos;
    return value;
  }
  b = buf[pos++]!;
  value |= (b & 127) << 21;
  if (b < 128) {
    reader.pos = pos;
    return value;
  }
  b = buf[pos++]!;
  if (b >= 128) return -1;
  reader.pos = pos;
  return value + b * 268435456;
}

/** Reads a bool as Go does: true for any non-zero varint, even one whose low 32 bits are zero. */
export function readBool(reader: Reader): boolean {
  const pos = reader.pos;
  if (pos < reader.len) {
    const b = reader.buf[pos]!;
    if (b < 128) {
      reader.pos = pos + 1;
      return b !== 0;
    }
  }
  checkVarint64(reader);
  const v: LongBits | number = reader.uint64();
  return typeof v === 'number' ? v !== 0 : (v.low | v.high) !== 0;
}

/** Reads a uint64 varint as a number (exact up to 2^53). */
export function readUint64(reader: Reader): number {
  const v = shortVarint(reader);
  if (v >= 0) return v;
  checkVarint64(reader);
  return num64(reader.uint64());
}

/** Reads an int64 varint as a number (exact within ±2^53). */
export function readInt64(reader: Reader): number {
  const v = shortVarint(reader);
  if (v >= 0) return v;
  checkVarint64(reader);
  return num64(reader.int64());
}

/** A zigzag-encoded sint64. */
export function readSint64(reader: Reader): number {
  checkVarint64(reader);
  return num64(reader.sint64());
}

const TWO_POW_32 = 4294967296;
const TWO_POW_64 = 18446744073709551616;

/** Writes a uint64; values at or above 2^64 (such as a decoded MaxUint64) saturate to MaxUint64. */
export function writeUint64(writer: Writer, value: number): void {
  if (value <= Number.MAX_SAFE_INTEGER) {
    writer.uint64(value);
    return;
  }
  let bits: LongBits;
  if (value >= TWO_POW_64) bits = { low: 0xffffffff, high: 0xffffffff, unsigned: true };
  else {
    const high = Math.floor(value / TWO_POW_32);
    bits = { low: value - high * TWO_POW_32, high, unsigned: true };
  }
  // protobufjs takes any {low, high} object where it takes a Long.
  writer.uint64(bits as unknown as number);
}

/** Finishes a writer into a plain Uint8Array (a view of protobufjs's buffer, no copy). */
export function finish(writer: Writer): Uint8Array {
  const out = writer.finish();
  return Object.getPrototypeOf(out) === Uint8Array.prototype
    ? out
    : new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** Encoder output as a Buffer, as @grpc/grpc-js serializers must return. */
export function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Sets a map entry, also for the key `__proto__` (kept as an own property, never a prototype change). */
export function setEntry<V>(record: Record<string, V>, key: string, value: V): void {
  if (key === '__proto__') {
    Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    record[key] = value;
  }
}

/** Map keys arrive as strings; integer-keyed maps parse them back. */
export function mapKeyToNumber(key: string): number {
  return Number(key);
}

/** True when a double/float field must be written: anything but +0 (Go writes -0). */
export function nonZeroDouble(value: number): boolean {
  return value !== 0 || 1 / value < 0;
}
