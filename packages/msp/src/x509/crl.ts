// X.509 CRLs (what an MSP's crls/ folder and FabricMSPConfig.revocation_list hold).
import { verify as nodeVerify } from 'node:crypto';
import { CertificateError, MSPErrorCode, errorMessage } from '../errors.js';
import {
  type Certificate,
  OID,
  parseName,
  serialHex,
  signatureHash,
  type NameAttribute,
} from './certificate.js';
import * as der from './der.js';
import { Tag } from './der.js';
import { decodeFirstPem } from './pem.js';

export class CRL {
  readonly raw: Uint8Array;
  readonly tbs: Uint8Array;
  readonly issuer: readonly NameAttribute[];
  readonly issuerRaw: Uint8Array;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date | undefined;
  readonly authorityKeyId: Uint8Array | undefined;
  /** Revoked serial numbers, lowercase hex without leading zeros. */
  readonly revokedSerials: ReadonlySet<string>;
  private readonly signatureAlgorithm: string;
  private readonly signature: Uint8Array;

  private constructor(raw: Uint8Array) {
    this.raw = raw;
    const top = der.expectTag(der.readTlv(raw, 0), Tag.SEQUENCE, 'CRL');
    const [tbs, alg, sig] = der.children(raw, top);
    if (!tbs || !alg || !sig) throw new der.DerError('CRL: missing fields');
    this.tbs = der.whole(raw, tbs);
    this.signatureAlgorithm = der.oidHex(raw, der.children(raw, alg)[0]!);
    this.signature = der.bitStringBytes(raw, sig);
    const f = der.children(raw, der.expectTag(tbs, Tag.SEQUENCE, 'tbsCertList'));
    let i = 0;
    if (f[0]?.tag === Tag.INTEGER) i++; // version
    i++; // inner signature algorithm
    const issuer = f[i++];
    const thisUpdate = f[i++];
    if (!issuer || !thisUpdate) throw new der.DerError('tbsCertList: missing fields');
    this.issuerRaw = der.whole(raw, issuer);
    this.issuer = parseName(raw, issuer);
    this.thisUpdate = der.time(raw, thisUpdate);
    let next: Date | undefined;
    if (f[i] && (f[i]!.tag === Tag.UTC_TIME || f[i]!.tag === Tag.GENERALIZED_TIME))
      next = der.time(raw, f[i++]!);
    this.nextUpdate = next;
    const revoked = new Set<string>();
    if (f[i]?.tag === Tag.SEQUENCE) {
      for (const entry of der.children(raw, f[i++]!)) {
        const [serial] = der.children(raw, entry);
        if (serial) revoked.add(serialHex(raw, serial));
      }
    }
    this.revokedSerials = revoked;
    let aki: Uint8Array | undefined;
    if (f[i]?.tag === 0xa0) {
      const [exts] = der.children(raw, f[i]!);
      for (const ext of der.children(raw, exts!)) {
        const parts = der.children(raw, ext);
        if (der.oidHex(raw, parts[0]!) !== OID.authorityKeyIdentifier) continue;
        const value = parts[parts.length - 1]!;
        const inner = der.readTlv(raw, value.body, value.end);
        for (const c of der.children(raw, inner)) if (c.tag === 0x80) aki = der.content(raw, c);
      }
    }
    this.authorityKeyId = aki;
  }

  static fromDer(raw: Uint8Array): CRL {
    try {
      return new CRL(raw);
    } catch (err) {
      throw new CertificateError(MSPErrorCode.CRL_MALFORMED, `malformed CRL: ${errorMessage(err)}`, {
        cause: err,
      });
    }
  }

  /** PEM ("X509 CRL") or DER, as Go's x509.ParseCRL accepts both. */
  static parse(data: Uint8Array): CRL {
    const text = Buffer.from(data).toString('latin1');
    return CRL.fromDer(text.includes('-----BEGIN') ? decodeFirstPem(text).der : data);
  }

  isSignedBy(issuer: Certificate): boolean {
    const hash = signatureHash(this.signatureAlgorithm);
    if (!hash) return false;
    try {
      return nodeVerify(hash, this.tbs, issuer.keyObject, this.signature);
    } catch {
      return false;
    }
  }
}
