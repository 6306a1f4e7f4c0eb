// Key metadata (for key-level endorsement: the `VALIDATION_PARAMETER` entry and friends):
// a map of name -> bytes, kept with the key's value. Stored sorted by name, length-prefixed.
import { ByteReader, compareUtf8, toBuffer, utf8, writeVarint } from '../internal/bytes.js';

export type KeyMetadata = Record<string, Uint8Array>;

export function encodeMetadata(m: KeyMetadata): Buffer | undefined {
  const names = Object.keys(m).sort(compareUtf8);
  if (names.length === 0) return undefined;
  const parts: Buffer[] = [];
  for (const name of names) {
    const n = utf8(name);
    const v = toBuffer(m[name] as Uint8Array);
    const head: number[] = [];
    writeVarint(head, n.length);
    parts.push(Buffer.from(head), n);
    const vh: number[] = [];
    writeVarint(vh, v.length);
    parts.push(Buffer.from(vh), v);
  }
  return Buffer.concat(parts);
}

export function decodeMetadata(raw: Buffer | undefined): KeyMetadata | undefined {
  if (raw === undefined || raw.length === 0) return undefined;
  const r = new ByteReader(raw);
  const out: KeyMetadata = {};
  while (!r.done) {
    const name = r.lenPrefixed().toString('utf8');
    out[name] = Buffer.from(r.lenPrefixed());
  }
  return out;
}
