// ECDSA keys on node:crypto (OpenSSL). A KeyObject is built once per key and kept: verifying
// with a cached KeyObject is ~3x faster than handing OpenSSL a PEM each time.
import {
  type KeyObject,
  createHash,
  createPrivateKey,
  createPublicKey,
  sign as nodeSign,
  verify as nodeVerify,
} from 'node:crypto';
import { CryptoError, MSPErrorCode, errorMessage } from '../errors.js';
import { type Curve, curveByNodeName, curveByOid } from './curves.js';
import { encodeSignature, fromP1363, isLowS, parseSignature, toLowS } from './signature.js';
import { DerError, Tag, bitStringBytes, children, expectTag, oidHex, readTlv } from '../x509/der.js';
import { isKnownGood, rememberGood, signatureKey } from './sigcache.js';

/** Hash functions of Fabric's SW BCCSP. Identities use SHA-256 (the SHA2 family) whatever the curve. */
export type HashAlgorithm = 'sha256' | 'sha384' | 'sha3-256' | 'sha3-384';

const EC_PUBLIC_KEY_OID = '2a8648ce3d0201';

export class PublicKey {
  /** Uncompressed point 04 || X || Y. */
  readonly point: Uint8Array;
  private skiCache: Uint8Array | undefined;
  private keyObjectCache: KeyObject | undefined;

  constructor(
    keyObject: KeyObject | undefined,
    readonly curve: Curve,
    point: Uint8Array,
  ) {
    this.keyObjectCache = keyObject;
    this.point = point;
  }

  /**
   * The OpenSSL key, imported on first use and kept: importing costs about as much as a verify,
   * so identities that are only deserialized and validated never pay it.
   */
  get keyObject(): KeyObject {
    if (!this.keyObjectCache) {
      const size = this.curve.size;
      const b64 = (from: number): string =>
        Buffer.from(this.point.buffer, this.point.byteOffset + from, size).toString('base64url');
      try {
        this.keyObjectCache = createPublicKey({
          key: { kty: 'EC', crv: this.curve.name, x: b64(1), y: b64(1 + size) },
          format: 'jwk',
        });
      } catch (err) {
        throw new CryptoError(MSPErrorCode.CRYPTO_INVALID_KEY, `invalid public key: ${errorMessage(err)}`, {
          cause: err,
        });
      }
    }
    return this.keyObjectCache;
  }

  /** Fabric's SKI: SHA-256 of the uncompressed point (how the keystore names `<ski>_sk`). */
  get ski(): Uint8Array {
    this.skiCache ??= createHash('sha256').update(this.point).digest();
    return this.skiCache;
  }

  /**
   * Verify a DER ECDSA signature as Fabric's BCCSP does: malformed DER, zero values and high S
   * are rejected with their own codes before OpenSSL looks at it.
   */
  verify(message: Uint8Array, signature: Uint8Array, hash: HashAlgorithm = 'sha256'): void {
    const known = signatureKey(this.point, hash, message, signature);
    if (isKnownGood(known)) return;
    const raw = parseSignature(signature);
    if (!isLowS(this.curve, raw.s)) {
      throw new CryptoError(
        MSPErrorCode.CRYPTO_SIGNATURE_HIGH_S,
        'invalid S: must be smaller than half the order',
      );
    }
    // OpenSSL takes the DER as is unless trailing bytes (ignored by Go) must be cut off.
    const der = raw.end === signature.length ? signature : encodeSignature(raw);
    if (
      raw.r.length > this.curve.size ||
      raw.s.length > this.curve.size ||
      !nodeVerify(hash, message, this.keyObject, der)
    ) {
      throw new CryptoError(MSPErrorCode.CRYPTO_SIGNATURE_INVALID, 'the signature is invalid');
    }
    rememberGood(known);
  }

  /** True when this very signature over this message was verified (or made) in this process before. */
  verifiedBefore(message: Uint8Array, signature: Uint8Array, hash: HashAlgorithm = 'sha256'): boolean {
    return isKnownGood(signatureKey(this.point, hash, message, signature));
  }

  /** The same check as `verify`, as a boolean (for callers that only count). */
  isValidSignature(message: Uint8Array, signature: Uint8Array, hash: HashAlgorithm = 'sha256'): boolean {
    try {
      this.verify(message, signature, hash);
      return true;
    } catch {
      return false;
    }
  }

  /** SubjectPublicKeyInfo DER. */
  toSpki(): Uint8Array {
    return this.keyObject.export({ format: 'der', type: 'spki' });
  }

  toPem(): string {
    return this.keyObject.export({ format: 'pem', type: 'spki' }).toString();
  }

  static fromSpki(spki: Uint8Array): PublicKey {
    const { curve, point } = parseEcSpki(spki);
    if (point.length === 1 + 2 * curve.size && point[0] === 4) return new PublicKey(undefined, curve, point);
    // compressed or odd encodings: let OpenSSL decode (and check) the point
    let keyObject: KeyObject;
    try {
      keyObject = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    } catch (err) {
      throw new CryptoError(MSPErrorCode.CRYPTO_INVALID_KEY, `invalid public key: ${errorMessage(err)}`, {
        cause: err,
      });
    }
    return new PublicKey(keyObject, curve, uncompressedPoint(keyObject, curve));
  }

  static fromKeyObject(keyObject: KeyObject): PublicKey {
    const curve = ecCurveOf(keyObject);
    return new PublicKey(keyObject, curve, uncompressedPoint(keyObject, curve));
  }
}

export class PrivateKey {
  readonly publicKey: PublicKey;

  constructor(
    readonly keyObject: KeyObject,
    readonly curve: Curve,
  ) {
    this.publicKey = PublicKey.fromKeyObject(createPublicKey(keyObject));
  }

  /** DER ECDSA signature, always low-S (as Fabric's signer does, and as Fabric's verifier demands). */
  sign(message: Uint8Array, hash: HashAlgorithm = 'sha256'): Uint8Array {
    const p1363 = nodeSign(hash, message, { key: this.keyObject, dsaEncoding: 'ieee-p1363' });
    const signature = encodeSignature(toLowS(this.curve, fromP1363(this.curve, p1363)));
    // Our own signature is good by construction: whoever checks it in this process need not verify.
    rememberGood(signatureKey(this.publicKey.point, hash, message, signature));
    return signature;
  }

  get ski(): Uint8Array {
    return this.publicKey.ski;
  }

  /** PKCS#8 PEM ("PRIVATE KEY"), as cryptogen writes keystore/priv_sk. */
  toPem(): string {
    return this.keyObject.export({ format: 'pem', type: 'pkcs8' }).toString();
  }

  /**
   * A private key from PEM: PKCS#8 ("PRIVATE KEY", cryptogen) or SEC1 ("EC PRIVATE KEY", Fabric CA).
   * Encrypted keys are not supported (Fabric's keystore does not write them either).
   */
  static fromPem(pem: string | Uint8Array): PrivateKey {
    const text = typeof pem === 'string' ? pem : Buffer.from(pem).toString('utf8');
    if (!/-----BEGIN (EC )?PRIVATE KEY-----/.test(text)) {
      throw new CryptoError(
        MSPErrorCode.CRYPTO_INVALID_KEY,
        'no PRIVATE KEY or EC PRIVATE KEY PEM block found',
      );
    }
    let keyObject: KeyObject;
    try {
      keyObject = createPrivateKey({ key: text, format: 'pem' });
    } catch (err) {
      throw new CryptoError(MSPErrorCode.CRYPTO_INVALID_KEY, `invalid private key: ${errorMessage(err)}`, {
        cause: err,
      });
    }
    return new PrivateKey(keyObject, ecCurveOf(keyObject));
  }

  static fromKeyObject(keyObject: KeyObject): PrivateKey {
    return new PrivateKey(keyObject, ecCurveOf(keyObject));
  }
}

function ecCurveOf(keyObject: KeyObject): Curve {
  if (keyObject.asymmetricKeyType !== 'ec') {
    throw new CryptoError(
      MSPErrorCode.CRYPTO_UNSUPPORTED_KEY,
      `unsupported key type ${keyObject.asymmetricKeyType ?? 'unknown'}: only ECDSA keys are supported`,
    );
  }
  const name = keyObject.asymmetricKeyDetails?.namedCurve;
  const curve = curveByNodeName(name);
  if (!curve) {
    throw new CryptoError(
      MSPErrorCode.CRYPTO_UNSUPPORTED_CURVE,
      `unsupported curve ${name ?? 'unknown'}: only P-256 and P-384`,
    );
  }
  return curve;
}

function uncompressedPoint(keyObject: KeyObject, curve: Curve): Uint8Array {
  const jwk = keyObject.export({ format: 'jwk' });
  const x = Buffer.from(jwk.x ?? '', 'base64url');
  const y = Buffer.from(jwk.y ?? '', 'base64url');
  const out = new Uint8Array(1 + 2 * curve.size);
  out[0] = 4;
  out.set(x, 1 + curve.size - x.length);
  out.set(y, 1 + 2 * curve.size - y.length);
  return out;
}

/** SPKI SEQUENCE { SEQUENCE { OID ecPublicKey, OID curve }, BIT STRING point } */
function parseEcSpki(spki: Uint8Array): { curve: Curve; point: Uint8Array } {
  let algOid: string;
  let curveOid: string | undefined;
  let point: Uint8Array;
  try {
    const seq = expectTag(readTlv(spki, 0), Tag.SEQUENCE, 'SubjectPublicKeyInfo');
    const [alg, key] = children(spki, seq);
    if (!alg || !key) throw new DerError('SubjectPublicKeyInfo: missing fields');
    const algParts = children(spki, expectTag(alg, Tag.SEQUENCE, 'algorithm'));
    algOid = oidHex(spki, algParts[0]!);
    curveOid = algParts[1]?.tag === Tag.OID ? oidHex(spki, algParts[1]) : undefined;
    point = bitStringBytes(spki, key);
  } catch (err) {
    throw new CryptoError(MSPErrorCode.CRYPTO_INVALID_KEY, `malformed public key: ${errorMessage(err)}`, {
      cause: err,
    });
  }
  if (algOid !== EC_PUBLIC_KEY_OID) {
    throw new CryptoError(
      MSPErrorCode.CRYPTO_UNSUPPORTED_KEY,
      'unsupported public key algorithm: only ECDSA keys are supported',
    );
  }
  const curve = curveOid === undefined ? undefined : curveByOid(curveOid);
  if (!curve)
    throw new CryptoError(MSPErrorCode.CRYPTO_UNSUPPORTED_CURVE, 'unsupported curve: only P-256 and P-384');
  return { curve, point };
}
