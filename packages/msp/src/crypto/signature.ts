// ECDSA signatures as Fabric carries them: DER SEQUENCE { r INTEGER, s INTEGER }, S in the
// lower half of the order. Parsing follows Go's encoding/asn1 (strict integers, trailing bytes
// after the SEQUENCE ignored) so that what Fabric accepts we accept, and nothing more.
import { CryptoError, MSPErrorCode } from '../errors.js';
import { type Curve, bigintToBytes, bytesToBigint } from './curves.js';
import {
  DerError,
  Tag,
  encodeTlv,
  encodeUnsignedInteger,
  expectTag,
  readTlv,
  unsignedInteger,
} from '../x509/der.js';

export interface RawSignature {
  /** Big-endian magnitudes without leading zeros. */
  readonly r: Uint8Array;
  readonly s: Uint8Array;
  /** Where the DER SEQUENCE ended in the parsed input (bytes after it are ignored, as Go does). */
  readonly end?: number;
}

export function parseSignature(sig: Uint8Array): RawSignature {
  try {
    const seq = expectTag(readTlv(sig, 0), Tag.SEQUENCE, 'signature');
    const rt = readTlv(sig, seq.body, seq.end);
    const st = readTlv(sig, rt.end, seq.end);
    if (st.end !== seq.end) throw new DerError('expected two integers');
    const r = unsignedInteger(sig, rt);
    const s = unsignedInteger(sig, st);
    if (isZero(r)) throw new DerError('R must be larger than zero');
    if (isZero(s)) throw new DerError('S must be larger than zero');
    return { r, s, end: seq.end };
  } catch (err) {
    throw new CryptoError(
      MSPErrorCode.CRYPTO_SIGNATURE_MALFORMED,
      `malformed ECDSA signature: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
}

function isZero(b: Uint8Array): boolean {
  for (const x of b) if (x !== 0) return false;
  return true;
}

export function encodeSignature(sig: RawSignature): Uint8Array {
  return encodeTlv(Tag.SEQUENCE, encodeUnsignedInteger(sig.r), encodeUnsignedInteger(sig.s));
}

/** Compare a magnitude with a fixed-size big-endian bound: -1, 0, 1. */
function compareMagnitude(a: Uint8Array, bound: Uint8Array): number {
  if (a.length !== bound.length) return a.length < bound.length ? -1 : 1;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== bound[i]) return a[i]! < bound[i]! ? -1 : 1;
  }
  return 0;
}

export function isLowS(curve: Curve, s: Uint8Array): boolean {
  return compareMagnitude(s, curve.halfOrder) <= 0;
}

/** Returns the same signature with S replaced by n - S when S is high. */
export function toLowS(curve: Curve, sig: RawSignature): RawSignature {
  if (isLowS(curve, sig.s)) return sig;
  const s = curve.n - bytesToBigint(sig.s);
  return { r: sig.r, s: stripZeros(bigintToBytes(s, curve.size)) };
}

function stripZeros(b: Uint8Array): Uint8Array {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}

/** Re-encode any DER ECDSA signature as low-S DER (what Fabric's signers emit). */
export function normalizeSignature(curve: Curve, der: Uint8Array): Uint8Array {
  return encodeSignature(toLowS(curve, parseSignature(der)));
}

/** r || s, each left-padded to the curve size, or undefined when a value cannot be below n. */
export function toP1363(curve: Curve, sig: RawSignature): Uint8Array | undefined {
  const size = curve.size;
  if (sig.r.length > size || sig.s.length > size) return undefined;
  const out = new Uint8Array(2 * size);
  out.set(sig.r, size - sig.r.length);
  out.set(sig.s, 2 * size - sig.s.length);
  return out;
}

export function fromP1363(curve: Curve, raw: Uint8Array): RawSignature {
  const size = curve.size;
  if (raw.length !== 2 * size) {
    throw new CryptoError(
      MSPErrorCode.CRYPTO_SIGNATURE_MALFORMED,
      `expected ${2 * size} signature bytes, got ${raw.length}`,
    );
  }
  return { r: stripZeros(raw.subarray(0, size)), s: stripZeros(raw.subarray(size)) };
}
