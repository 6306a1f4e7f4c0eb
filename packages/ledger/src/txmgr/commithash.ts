// Fabric's COMMIT_HASH (kvledger.addBlockCommitHash): SHA-256 over
//   varint(len(filter)) ++ filter ++ updateBytes ++ previous commit hash,
// where updateBytes is the protobuf txmgr.Updates{repeated KVWrite kvwrites = 1} of the block's
// public and hashed writes: namespaces sorted (the empty one skipped), in each its public writes by
// key then its collections by name with their writes by key hash; the namespace (and collection)
// is written only on the first entry of its run. KVWrite: namespace=1, collection=2, key=3,
// isDelete=4, value=5, version_bytes=6 (Fabric's orderPreserving(block) ++ orderPreserving(tx)).
import { createHash } from 'node:crypto';
import { compareUtf8, utf8, writeVarint } from '../internal/bytes.js';
import { type KeyUpdate } from '../statedb/updatebatch.js';
import { type BlockUpdates } from './updates.js';

const EMPTY = Buffer.alloc(0);

function varintLen(n: number): number {
  let len = 1;
  for (let v = n; v >= 0x80; v = Math.floor(v / 0x80)) len++;
  return len;
}

function putVarint(buf: Buffer, pos: number, n: number): number {
  let v = n;
  while (v >= 0x80) {
    buf[pos++] = (v % 0x80) | 0x80;
    v = Math.floor(v / 0x80);
  }
  buf[pos++] = v;
  return pos;
}

/** Length of Fabric's EncodeOrderPreservingVarUint64(n): a size byte, then n big-endian without leading zeros. */
function orderPreservingLen(n: number): number {
  let size = 0;
  for (let v = n; v > 0; v = Math.floor(v / 256)) size++;
  return 1 + size;
}

function putOrderPreserving(buf: Buffer, pos: number, n: number): number {
  const size = orderPreservingLen(n) - 1;
  buf[pos] = size;
  let v = n;
  for (let i = size; i >= 1; i--) {
    buf[pos + i] = v % 256;
    v = Math.floor(v / 256);
  }
  return pos + 1 + size;
}

/** One KVWrite of the Updates message: namespace and collection only on the first entry of their run. */
interface Entry {
  ns: Buffer;
  coll: Buffer;
  u: KeyUpdate;
  /** Length of the KVWrite message. */
  len: number;
}

const fieldLen = (n: number): number => (n === 0 ? 0 : 1 + varintLen(n) + n);

function entry(ns: Buffer, coll: Buffer, u: KeyUpdate): Entry {
  const ver = orderPreservingLen(u.version.blockNum) + orderPreservingLen(u.version.txNum);
  const len =
    fieldLen(ns.length) +
    fieldLen(coll.length) +
    fieldLen(u.keyBytes.length) +
    (u.value === null ? 2 : fieldLen(u.value.length)) +
    fieldLen(ver);
  return { ns, coll, u, len };
}

function putField(buf: Buffer, pos: number, tag: number, b: Uint8Array): number {
  if (b.length === 0) return pos;
  buf[pos++] = tag;
  pos = putVarint(buf, pos, b.length);
  buf.set(b, pos);
  return pos + b.length;
}

function putEntry(buf: Buffer, pos: number, e: Entry): number {
  buf[pos++] = 0x0a;
  pos = putVarint(buf, pos, e.len);
  pos = putField(buf, pos, 0x0a, e.ns);
  pos = putField(buf, pos, 0x12, e.coll);
  pos = putField(buf, pos, 0x1a, e.u.keyBytes);
  if (e.u.value === null) {
    buf[pos++] = 0x20;
    buf[pos++] = 0x01;
  } else {
    pos = putField(buf, pos, 0x2a, e.u.value);
  }
  const { blockNum, txNum } = e.u.version;
  buf[pos++] = 0x32;
  pos = putVarint(buf, pos, orderPreservingLen(blockNum) + orderPreservingLen(txNum));
  pos = putOrderPreserving(buf, pos, blockNum);
  return putOrderPreserving(buf, pos, txNum);
}

function entries(u: BlockUpdates): Entry[] {
  const collsByNs = new Map<string, Map<string, string>>(); // ns -> coll -> derived ns
  for (const [derived, [ns, coll]] of u.hashedColls) {
    if (u.hashed.sortedUpdates(derived).length === 0) continue;
    let m = collsByNs.get(ns);
    if (!m) collsByNs.set(ns, (m = new Map()));
    m.set(coll, derived);
  }
  const namespaces = [...new Set([...u.pub.namespaces(), ...collsByNs.keys()])].sort(compareUtf8);
  const out: Entry[] = [];
  for (const ns of namespaces) {
    if (ns === '') continue;
    const nsBytes = utf8(ns);
    let first = true;
    for (const w of u.pub.sortedUpdates(ns)) {
      out.push(entry(first ? nsBytes : EMPTY, EMPTY, w));
      first = false;
    }
    const colls = collsByNs.get(ns);
    for (const coll of [...(colls?.keys() ?? [])].sort(compareUtf8)) {
      const collBytes = utf8(coll);
      let firstInColl = true;
      for (const w of u.hashed.sortedUpdates(colls!.get(coll) as string)) {
        out.push(entry(first ? nsBytes : EMPTY, firstInColl ? collBytes : EMPTY, w));
        first = false;
        firstInColl = false;
      }
    }
  }
  return out;
}

/** The txmgr.Updates bytes of the block's public and hashed writes, written into one buffer. */
export function updateBytes(u: BlockUpdates): Buffer {
  const list = entries(u);
  let size = 0;
  for (const e of list) size += fieldLen(e.len);
  const buf = Buffer.allocUnsafe(size);
  let pos = 0;
  for (const e of list) pos = putEntry(buf, pos, e);
  return buf;
}

export function computeCommitHash(
  filter: Uint8Array,
  u: BlockUpdates,
  previous: Uint8Array | undefined,
): Buffer {
  const head: number[] = [];
  writeVarint(head, filter.length);
  return createHash('sha256')
    .update(Buffer.from(head))
    .update(filter)
    .update(updateBytes(u))
    .update(previous ?? new Uint8Array())
    .digest();
}
