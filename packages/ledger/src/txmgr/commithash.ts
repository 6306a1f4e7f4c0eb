// Fabric's COMMIT_HASH (kvledger.addBlockCommitHash): SHA-256 over
//   varint(len(filter)) ++ filter ++ updateBytes ++ previous commit hash,
// where updateBytes is the protobuf txmgr.Updates{repeated KVWrite kvwrites = 1} of the block's
// public and hashed writes: namespaces sorted (the empty one skipped), in each its public writes by
// key then its collections by name with their writes by key hash; the namespace (and collection)
// is written only on the first entry of its run. KVWrite: namespace=1, collection=2, key=3,
// isDelete=4, value=5, version_bytes=6 (Fabric's orderPreserving(block) ++ orderPreserving(tx)).
import { createHash } from 'node:crypto';
import { compareUtf8, orderPreservingVarUint64, utf8, writeVarint } from '../internal/bytes.js';
import { type KeyUpdate } from '../statedb/updatebatch.js';
import { type BlockUpdates } from './updates.js';

function field(out: Buffer[], tag: number, b: Buffer): void {
  if (b.length === 0) return;
  const head: number[] = [tag];
  writeVarint(head, b.length);
  out.push(Buffer.from(head), b);
}

function kvWrite(ns: string, coll: string, u: KeyUpdate): Buffer {
  const parts: Buffer[] = [];
  field(parts, 0x0a, utf8(ns));
  field(parts, 0x12, utf8(coll));
  field(parts, 0x1a, u.keyBytes);
  if (u.value === null) parts.push(Buffer.from([0x20, 0x01]));
  if (u.value !== null) field(parts, 0x2a, u.value);
  field(
    parts,
    0x32,
    Buffer.concat([orderPreservingVarUint64(u.version.blockNum), orderPreservingVarUint64(u.version.txNum)]),
  );
  return Buffer.concat(parts);
}

export function updateBytes(u: BlockUpdates): Buffer {
  const collsByNs = new Map<string, Map<string, string>>(); // ns -> coll -> derived ns
  for (const [derived, [ns, coll]] of u.hashedColls) {
    if (u.hashed.sortedUpdates(derived).length === 0) continue;
    let m = collsByNs.get(ns);
    if (!m) collsByNs.set(ns, (m = new Map()));
    m.set(coll, derived);
  }
  const namespaces = [...new Set([...u.pub.namespaces(), ...collsByNs.keys()])].sort(compareUtf8);
  const out: Buffer[] = [];
  for (const ns of namespaces) {
    if (ns === '') continue;
    let first = true;
    for (const w of u.pub.sortedUpdates(ns)) {
      field(out, 0x0a, kvWrite(first ? ns : '', '', w));
      first = false;
    }
    const colls = collsByNs.get(ns);
    for (const coll of [...(colls?.keys() ?? [])].sort(compareUtf8)) {
      let firstInColl = true;
      for (const w of u.hashed.sortedUpdates(colls!.get(coll) as string)) {
        field(out, 0x0a, kvWrite(first ? ns : '', firstInColl ? coll : '', w));
        first = false;
        firstInColl = false;
      }
    }
  }
  return Buffer.concat(out);
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
