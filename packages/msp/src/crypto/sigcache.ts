// A process-wide memory of signatures known to be good, so that one signature is verified once.
// In one transaction's life the same signature meets several checks: the endorser verifies the
// proposal and then its ACL policy verifies it again; the orderer checks the envelope against
// /Channel/Writers and the committer checks it once more; the committer verifies an endorsement this
// very peer signed a moment before. Each P-256 verify costs ~70 us; a lookup costs ~1 us.
// Safe by construction: an entry is (public key, hash, digest of the message, signature), recorded
// only after OpenSSL said yes or after our own private key produced it, so a hit means exactly what
// a fresh verify would say. Bounded: the oldest entries go first.
import { createHash } from 'node:crypto';
import type { HashAlgorithm } from './keys.js';

const DEFAULT_SIZE = 8192;

let capacity = DEFAULT_SIZE;
const known = new Map<string, true>();
let hits = 0;
let misses = 0;

function keyOf(point: Uint8Array, hash: HashAlgorithm, message: Uint8Array, signature: Uint8Array): string {
  const digest = createHash(hash).update(message).digest();
  // latin1 maps each byte to one char: a compact, exact key.
  return (
    hash +
    Buffer.from(point.buffer, point.byteOffset, point.byteLength).toString('latin1') +
    digest.toString('latin1') +
    Buffer.from(signature.buffer, signature.byteOffset, signature.byteLength).toString('latin1')
  );
}

/** A key for `isKnownGood` / `rememberGood`, or undefined when the cache is off. */
export function signatureKey(
  point: Uint8Array,
  hash: HashAlgorithm,
  message: Uint8Array,
  signature: Uint8Array,
): string | undefined {
  return capacity === 0 ? undefined : keyOf(point, hash, message, signature);
}

export function isKnownGood(key: string | undefined): boolean {
  if (key === undefined) return false;
  if (known.has(key)) {
    hits++;
    return true;
  }
  misses++;
  return false;
}

export function rememberGood(key: string | undefined): void {
  if (key === undefined || capacity === 0) return;
  known.set(key, true);
  if (known.size > capacity) known.delete(known.keys().next().value!);
}

/**
 * Size of the process-wide cache of good signatures (default 8192 entries, ~2 MB); 0 turns it off
 * and empties it. Benchmarks of signature verification turn it off so that they measure OpenSSL.
 */
export function setSignatureCacheSize(size: number): void {
  capacity = Math.max(0, Math.floor(size));
  while (known.size > capacity) known.delete(known.keys().next().value!);
}

/** Hits and misses since start (for metrics and benchmarks). */
export function signatureCacheStats(): { size: number; capacity: number; hits: number; misses: number } {
  return { size: known.size, capacity, hits, misses };
}
