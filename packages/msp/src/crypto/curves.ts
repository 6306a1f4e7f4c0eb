// The curves Fabric's SW BCCSP accepts for ECDSA identities: P-256 and P-384.
// Orders come from @noble/curves so the low-S bound is not a hand-copied constant.
import { p256 } from '@noble/curves/p256';
import { p384 } from '@noble/curves/p384';

export type CurveName = 'P-256' | 'P-384';

export interface Curve {
  readonly name: CurveName;
  /** OpenSSL's name, as node:crypto reports `namedCurve`. */
  readonly nodeName: string;
  /** Hex of the named-curve OID's content octets. */
  readonly oidHex: string;
  /** Field / scalar size in bytes. */
  readonly size: number;
  readonly n: bigint;
  /** floor(n / 2) as `size` big-endian bytes: S above this is "high". */
  readonly halfOrder: Uint8Array;
}

function toBytes(x: bigint, size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = size - 1; i >= 0; i--) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}

function curve(name: CurveName, nodeName: string, oidHex: string, size: number, n: bigint): Curve {
  return { name, nodeName, oidHex, size, n, halfOrder: toBytes(n >> 1n, size) };
}

export const P256 = curve('P-256', 'prime256v1', '2a8648ce3d030107', 32, p256.CURVE.n);
export const P384 = curve('P-384', 'secp384r1', '2b81040022', 48, p384.CURVE.n);

const byNodeName = new Map<string, Curve>([
  [P256.nodeName, P256],
  [P384.nodeName, P384],
]);
const byOid = new Map<string, Curve>([
  [P256.oidHex, P256],
  [P384.oidHex, P384],
]);

export function curveByNodeName(name: string | undefined): Curve | undefined {
  return name === undefined ? undefined : byNodeName.get(name);
}

export function curveByOid(oidHex: string): Curve | undefined {
  return byOid.get(oidHex);
}

export function bigintToBytes(x: bigint, size: number): Uint8Array {
  return toBytes(x, size);
}

export function bytesToBigint(b: Uint8Array): bigint {
  let x = 0n;
  for (const v of b) x = (x << 8n) | BigInt(v);
  return x;
}
