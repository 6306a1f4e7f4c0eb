// X.509 certificates parsed straight from DER into the fields Fabric's MSP looks at.
import { type KeyObject, createHash, createPublicKey, verify as nodeVerify } from 'node:crypto';
import { CertificateError, MSPErrorCode, errorMessage } from '../errors.js';
import { PublicKey } from '../crypto/keys.js';
import * as der from './der.js';
import { Tag } from './der.js';
import { decodeFirstPem, encodePem } from './pem.js';

export const OID = {
  commonName: '550403',
  country: '550406',
  locality: '550407',
  province: '550408',
  organization: '55040a',
  organizationalUnit: '55040b',
  subjectKeyIdentifier: '551d0e',
  keyUsage: '551d0f',
  subjectAltName: '551d11',
  basicConstraints: '551d13',
  authorityKeyIdentifier: '551d23',
  extKeyUsage: '551d25',
  ekuAny: '551d2500',
  ekuServerAuth: '2b06010505070301',
  ekuClientAuth: '2b06010505070302',
} as const;

/** Signature algorithm OID -> digest used by node:crypto to check a certificate or CRL signature. */
const SIGNATURE_HASH: Record<string, string> = {
  '2a8648ce3d040302': 'sha256', // ecdsa-with-SHA256
  '2a8648ce3d040303': 'sha384',
  '2a8648ce3d040304': 'sha512',
  '2a864886f70d01010b': 'sha256', // sha256WithRSAEncryption
  '2a864886f70d01010c': 'sha384',
  '2a864886f70d01010d': 'sha512',
};
const ECDSA_SIGNATURE_OIDS = new Set(['2a8648ce3d040302', '2a8648ce3d040303', '2a8648ce3d040304']);

export interface NameAttribute {
  /** Hex of the attribute type OID's content octets (see OID). */
  readonly type: string;
  readonly value: string;
}

export function parseName(buf: Uint8Array, t: der.Tlv): NameAttribute[] {
  const out: NameAttribute[] = [];
  for (const rdn of der.children(buf, der.expectTag(t, Tag.SEQUENCE, 'name'))) {
    for (const atv of der.children(buf, der.expectTag(rdn, Tag.SET, 'relative distinguished name'))) {
      const [type, value] = der.children(buf, der.expectTag(atv, Tag.SEQUENCE, 'attribute'));
      if (!type || !value) throw new der.DerError('attribute: missing fields');
      out.push({ type: der.oidHex(buf, type), value: der.directoryString(buf, value) });
    }
  }
  return out;
}

export function signatureHash(algorithmOid: string): string | undefined {
  return SIGNATURE_HASH[algorithmOid];
}

export class Certificate {
  readonly raw: Uint8Array;
  readonly tbs: Uint8Array;
  /** Serial number magnitude as lowercase hex without leading zeros. */
  readonly serialNumber: string;
  readonly issuerRaw: Uint8Array;
  readonly subjectRaw: Uint8Array;
  readonly issuer: readonly NameAttribute[];
  readonly subject: readonly NameAttribute[];
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly spki: Uint8Array;
  readonly signatureAlgorithm: string;
  readonly signatureAlgorithmRaw: Uint8Array;
  readonly signature: Uint8Array;
  readonly basicConstraintsValid: boolean;
  readonly isCA: boolean;
  readonly maxPathLen: number | undefined;
  readonly subjectKeyId: Uint8Array | undefined;
  readonly authorityKeyId: Uint8Array | undefined;
  readonly keyUsage: number | undefined;
  readonly extKeyUsage: readonly string[];
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
  private keyObjectCache: KeyObject | undefined;
  private publicKeyCache: PublicKey | undefined;

  private constructor(raw: Uint8Array) {
    this.raw = raw;
    const cert = der.expectTag(der.readTlv(raw, 0), Tag.SEQUENCE, 'certificate');
    const [tbs, sigAlg, sig] = der.children(raw, cert);
    if (!tbs || !sigAlg || !sig) throw new der.DerError('certificate: missing fields');
    this.tbs = der.whole(raw, der.expectTag(tbs, Tag.SEQUENCE, 'tbsCertificate'));
    this.signatureAlgorithmRaw = der.whole(raw, sigAlg);
    this.signatureAlgorithm = der.oidHex(
      raw,
      der.children(raw, der.expectTag(sigAlg, Tag.SEQUENCE, 'algorithm'))[0]!,
    );
    this.signature = der.bitStringBytes(raw, sig);

    const f = der.children(raw, tbs);
    let i = 0;
    if (f[0]?.tag === 0xa0) i++; // explicit version
    const serial = f[i++];
    const innerAlg = f[i++];
    const issuer = f[i++];
    const validity = f[i++];
    const subject = f[i++];
    const spki = f[i++];
    if (!serial || !innerAlg || !issuer || !validity || !subject || !spki)
      throw new der.DerError('tbsCertificate: missing fields');
    this.serialNumber = serialHex(raw, serial);
    this.issuerRaw = der.whole(raw, issuer);
    this.subjectRaw = der.whole(raw, subject);
    this.issuer = parseName(raw, issuer);
    this.subject = parseName(raw, subject);
    const [nb, na] = der.children(raw, der.expectTag(validity, Tag.SEQUENCE, 'validity'));
    if (!nb || !na) throw new der.DerError('validity: missing fields');
    this.notBefore = der.time(raw, nb);
    this.notAfter = der.time(raw, na);
    this.spki = der.whole(raw, der.expectTag(spki, Tag.SEQUENCE, 'subjectPublicKeyInfo'));

    let bcValid = false;
    let isCA = false;
    let maxPathLen: number | undefined;
    let ski: Uint8Array | undefined;
    let aki: Uint8Array | undefined;
    let keyUsage: number | undefined;
    const eku: string[] = [];
    const dns: string[] = [];
    const ips: string[] = [];
    for (; i < f.length; i++) {
      if (f[i]!.tag !== 0xa3) continue;
      const [exts] = der.children(raw, f[i]!);
      for (const ext of der.children(raw, der.expectTag(exts!, Tag.SEQUENCE, 'extensions'))) {
        const parts = der.children(raw, ext);
        const id = der.oidHex(raw, parts[0]!);
        const value = der.expectTag(parts[parts.length - 1]!, Tag.OCTET_STRING, 'extension value');
        const inner = der.readTlv(raw, value.body, value.end);
        switch (id) {
          case OID.subjectKeyIdentifier:
            ski = der.content(raw, der.expectTag(inner, Tag.OCTET_STRING, 'subject key identifier'));
            break;
          case OID.authorityKeyIdentifier:
            for (const c of der.children(raw, inner)) if (c.tag === 0x80) aki = der.content(raw, c);
            break;
          case OID.basicConstraints: {
            bcValid = true;
            for (const c of der.children(raw, inner)) {
              if (c.tag === Tag.BOOLEAN) isCA = der.bool(raw, c);
              else if (c.tag === Tag.INTEGER) maxPathLen = der.smallInteger(raw, c);
            }
            break;
          }
          case OID.keyUsage: {
            const bits = der.content(raw, der.expectTag(inner, Tag.BIT_STRING, 'key usage'));
            let ku = 0;
            // bit 0 (digitalSignature) is the most significant bit of the first byte
            for (let b = 0; b < 9; b++) if ((bits[1 + (b >> 3)] ?? 0) & (0x80 >> (b & 7))) ku |= 1 << b;
            keyUsage = ku;
            break;
          }
          case OID.extKeyUsage:
            for (const c of der.children(raw, inner)) eku.push(der.oidHex(raw, c));
            break;
          case OID.subjectAltName:
            for (const c of der.children(raw, inner)) {
              const v = der.content(raw, c);
              if (c.tag === 0x82) dns.push(Buffer.from(v).toString('latin1'));
              else if (c.tag === 0x87) ips.push(ipString(v));
            }
            break;
        }
      }
    }
    this.basicConstraintsValid = bcValid;
    this.isCA = isCA;
    this.maxPathLen = maxPathLen;
    this.subjectKeyId = ski;
    this.authorityKeyId = aki;
    this.keyUsage = keyUsage;
    this.extKeyUsage = eku;
    this.dnsNames = dns;
    this.ipAddresses = ips;
  }

  static fromDer(raw: Uint8Array): Certificate {
    try {
      return new Certificate(raw);
    } catch (err) {
      throw new CertificateError(
        MSPErrorCode.CERT_MALFORMED,
        `malformed X.509 certificate: ${errorMessage(err)}`,
        { cause: err },
      );
    }
  }

  /** The first PEM block of `pem` (of any type, as Go's pem.Decode), parsed as a certificate. */
  static fromPem(pem: string | Uint8Array): Certificate {
    return Certificate.fromDer(decodeFirstPem(pem).der);
  }

  toPem(): string {
    return encodePem('CERTIFICATE', this.raw);
  }

  /** Attribute values of one type in subject order (Go's pkix.Name fields). */
  subjectValues(type: string): string[] {
    return this.subject.filter((a) => a.type === type).map((a) => a.value);
  }

  get commonName(): string {
    return this.subjectValues(OID.commonName)[0] ?? '';
  }

  get organizationalUnits(): string[] {
    return this.subjectValues(OID.organizationalUnit);
  }

  get isEcdsaSigned(): boolean {
    return ECDSA_SIGNATURE_OIDS.has(this.signatureAlgorithm);
  }

  /** A node:crypto key for any algorithm (RSA CAs may still sign chains). */
  get keyObject(): KeyObject {
    this.keyObjectCache ??=
      this.publicKeyCache?.keyObject ??
      createPublicKey({ key: Buffer.from(this.spki), format: 'der', type: 'spki' });
    return this.keyObjectCache;
  }

  /** The ECDSA public key; throws CRYPTO_UNSUPPORTED_* for other algorithms or curves. */
  get publicKey(): PublicKey {
    this.publicKeyCache ??= PublicKey.fromSpki(this.spki);
    return this.publicKeyCache;
  }

  /** Whether `issuer`'s key signed this certificate. */
  isSignedBy(issuer: Certificate): boolean {
    const hash = SIGNATURE_HASH[this.signatureAlgorithm];
    if (!hash) return false;
    try {
      return nodeVerify(hash, this.tbs, issuer.keyObject, this.signature);
    } catch {
      return false;
    }
  }

  /** SHA-256 of the DER, hex: Fabric's identity identifier. */
  sha256Hex(): string {
    return createHash('sha256').update(this.raw).digest('hex');
  }
}

export function serialHex(buf: Uint8Array, t: der.Tlv): string {
  const b = der.content(buf, der.expectTag(t, Tag.INTEGER, 'serial number'));
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return Buffer.from(b.subarray(i)).toString('hex');
}

function ipString(v: Uint8Array): string {
  if (v.length === 4) return Array.from(v).join('.');
  const parts: string[] = [];
  for (let i = 0; i + 1 < v.length; i += 2) parts.push(((v[i]! << 8) | v[i + 1]!).toString(16));
  return parts.join(':');
}
