// Signature verification for the validator, batched: every signature of a block (creators,
// endorsers) is collected first and verified in one go, either inline or on the worker pool.
import { type Identity } from '@fabric-peer/msp';

export interface VerifyJob {
  identity: Identity;
  data: Uint8Array;
  signature: Uint8Array;
}

export interface SignatureVerifier {
  /** One byte per job: 1 = the signature verifies, 0 = it does not (malformed, high S, wrong key...). */
  verifyBatch(jobs: readonly VerifyJob[]): Promise<Uint8Array>;
  close(): Promise<void>;
}

export function verifyInline(job: VerifyJob): boolean {
  try {
    job.identity.verify(job.data, job.signature);
    return true;
  } catch {
    return false;
  }
}

const yieldToIO = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Verifies on the calling thread through the MSP (its cached OpenSSL keys), in slices of `slice`
 * signatures with the event loop let through in between: the committer verifies the next block
 * while the current one waits for its writes, and those writes' callbacks are not held up.
 */
export class InlineVerifier implements SignatureVerifier {
  constructor(private readonly slice = 32) {}

  async verifyBatch(jobs: readonly VerifyJob[]): Promise<Uint8Array> {
    const out = new Uint8Array(jobs.length);
    for (let i = 0; i < jobs.length; i++) {
      if (i > 0 && i % this.slice === 0) await yieldToIO();
      out[i] = verifyInline(jobs[i]!) ? 1 : 0;
    }
    return out;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * Fabric's BCCSP rules checked before OpenSSL sees the bytes (workers only run OpenSSL): a strict
 * DER SEQUENCE of two positive minimal INTEGERs, S in the lower half of the order. Returns the DER
 * without trailing bytes (Go ignores them), or undefined when the signature must fail.
 */
export function canonicalDer(sig: Uint8Array, halfOrder: Uint8Array): Uint8Array | undefined {
  if (sig.length < 8 || sig[0] !== 0x30) return undefined;
  let pos = 1;
  let len = sig[pos++]!;
  if (len & 0x80) {
    if (len !== 0x81) return undefined;
    len = sig[pos++]!;
    if (len < 0x80) return undefined;
  }
  const end = pos + len;
  if (end > sig.length) return undefined;
  const ints: Uint8Array[] = [];
  for (let k = 0; k < 2; k++) {
    if (sig[pos++] !== 0x02) return undefined;
    const l = sig[pos++]!;
    if (l === 0 || l & 0x80 || pos + l > end) return undefined;
    const v = sig.subarray(pos, pos + l);
    if (v[0]! & 0x80) return undefined; // negative
    if (l > 1 && v[0] === 0 && !(v[1]! & 0x80)) return undefined; // not minimal
    pos += l;
    ints.push(v[0] === 0 ? v.subarray(1) : v);
  }
  if (pos !== end) return undefined;
  for (const v of ints) if (v.every((b) => b === 0)) return undefined;
  const s = ints[1]!;
  if (s.length > halfOrder.length) return undefined;
  if (s.length === halfOrder.length) {
    for (let i = 0; i < s.length; i++) {
      if (s[i] !== halfOrder[i]) {
        if (s[i]! > halfOrder[i]!) return undefined;
        break;
      }
    }
  }
  return sig.subarray(0, end);
}
