// The state DB's vocabulary, in Fabric's words: a version is the height (block, tx) of the
// transaction that last wrote a key; a VersionedValue is what a key holds.
import { ByteReader, toBuffer, writeVarint } from '../internal/bytes.js';

export interface Height {
  blockNum: number;
  txNum: number;
}

export function sameVersion(a: Height | undefined, b: Height | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.blockNum === b.blockNum && a.txNum === b.txNum;
}

export interface VersionedValue {
  value: Buffer;
  version: Height;
  /** Serialized key metadata (see statedb/metadata.ts), absent when the key has none. */
  metadata: Buffer | undefined;
}

export interface VersionedKV extends VersionedValue {
  key: string;
}

/** Namespace of the hashes of a collection's private data, as Fabric names it. */
export function hashedNamespace(ns: string, coll: string): string {
  return `${ns}$$h${coll}`;
}

/** Namespace of a collection's private data, as Fabric names it (kept for later). */
export function privateNamespace(ns: string, coll: string): string {
  return `${ns}$$p${coll}`;
}

// value record: varint blockNum, varint txNum, varint len(metadata), metadata, value
export function encodeVersionedValue(v: VersionedValue): Buffer {
  const head: number[] = [];
  writeVarint(head, v.version.blockNum);
  writeVarint(head, v.version.txNum);
  const metaLen = v.metadata?.length ?? 0;
  writeVarint(head, metaLen);
  const out = Buffer.allocUnsafe(head.length + metaLen + v.value.length);
  for (let i = 0; i < head.length; i++) out[i] = head[i] as number;
  if (v.metadata) v.metadata.copy(out, head.length);
  v.value.copy(out, head.length + metaLen);
  return out;
}

export function decodeVersionedValue(raw: Uint8Array): VersionedValue {
  const r = new ByteReader(toBuffer(raw));
  const blockNum = r.varint();
  const txNum = r.varint();
  const meta = r.lenPrefixed();
  const value = r.rest();
  return { version: { blockNum, txNum }, metadata: meta.length > 0 ? meta : undefined, value };
}
