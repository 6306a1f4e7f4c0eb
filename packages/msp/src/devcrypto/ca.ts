// Certificate authorities shaped like cryptogen's (internal/cryptogen/ca): P-256 keys, 128-bit
// serials, NotBefore rounded to the minute minus 5 minutes, ten years of validity, SKI = SHA-256
// of the public point. Built with @peculiar/x509 on Node's WebCrypto; every certificate is then
// given a low-S signature so its bytes are what Fabric's MSP would keep after sanitizing.
import { createHash, randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { Certificate } from '../x509/certificate.js';
import { encodePem } from '../x509/pem.js';
import { sanitizeCertificate } from '../x509/sanitize.js';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const TEN_YEARS_MS = 3650 * 24 * 3600 * 1000;

/** cryptogen's default subject fields. */
const BASE_SUBJECT = 'C=US, ST=California, L=San Francisco';

export interface KeyMaterial {
  readonly cryptoKeys: webcrypto.CryptoKeyPair;
  /** PKCS#8 PEM, as cryptogen writes priv_sk. */
  readonly privateKeyPem: string;
  /** SHA-256 of the uncompressed public point. */
  readonly ski: Uint8Array;
}

export interface IssuedCertificate {
  readonly certificate: Certificate;
  readonly certificatePem: string;
  readonly key: KeyMaterial;
}

export async function generateKey(): Promise<KeyMaterial> {
  const cryptoKeys = (await webcrypto.subtle.generateKey(ALG, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const [pkcs8, raw] = await Promise.all([
    webcrypto.subtle.exportKey('pkcs8', cryptoKeys.privateKey),
    webcrypto.subtle.exportKey('raw', cryptoKeys.publicKey),
  ]);
  return {
    cryptoKeys,
    privateKeyPem: encodePem('PRIVATE KEY', new Uint8Array(pkcs8)),
    ski: createHash('sha256').update(new Uint8Array(raw)).digest(),
  };
}

function serialNumber(): string {
  const b = randomBytes(16);
  b[0]! &= 0x7f; // positive
  b[0]! |= 0x01; // and not re-encoded shorter
  return b.toString('hex');
}

/** cryptogen's NotBefore: now rounded to the minute, minus five minutes. */
export function defaultNotBefore(now = Date.now()): Date {
  return new Date(Math.round(now / 60000) * 60000 - 5 * 60000);
}

export interface LeafOptions {
  readonly commonName: string;
  readonly organizationalUnits?: readonly string[];
  /** DNS names or IP addresses (an IP when it parses as one, as cryptogen decides). */
  readonly alternateNames?: readonly string[];
  readonly keyUsage: number;
  readonly extendedKeyUsage?: readonly string[];
}

function isIp(s: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(s) || (s.includes(':') && /^[0-9a-fA-F:]+$/.test(s));
}

export class DevCA {
  private constructor(
    readonly issued: IssuedCertificate,
    readonly subject: string,
    private readonly notBefore: Date,
  ) {}

  get certificatePem(): string {
    return this.issued.certificatePem;
  }

  get privateKeyPem(): string {
    return this.issued.key.privateKeyPem;
  }

  /** A self-signed CA: CN=<name>, O=<org>, CA:TRUE, digitalSignature|keyEncipherment|certSign|cRLSign, client+server auth. */
  static async create(name: string, org: string, notBefore: Date = defaultNotBefore()): Promise<DevCA> {
    const key = await generateKey();
    const subject = `${BASE_SUBJECT}, O=${org}, CN=${name}`;
    const skiHex = Buffer.from(key.ski).toString('hex');
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serialNumber(),
      subject,
      issuer: subject,
      notBefore,
      notAfter: new Date(notBefore.getTime() + TEN_YEARS_MS),
      signingAlgorithm: ALG,
      publicKey: key.cryptoKeys.publicKey,
      signingKey: key.cryptoKeys.privateKey,
      extensions: [
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.digitalSignature |
            x509.KeyUsageFlags.keyEncipherment |
            x509.KeyUsageFlags.keyCertSign |
            x509.KeyUsageFlags.cRLSign,
          true,
        ),
        new x509.ExtendedKeyUsageExtension([
          x509.ExtendedKeyUsage.clientAuth,
          x509.ExtendedKeyUsage.serverAuth,
        ]),
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.SubjectKeyIdentifierExtension(skiHex),
      ],
    });
    const parsed = Certificate.fromDer(new Uint8Array(cert.rawData));
    const clean = sanitizeCertificate(parsed, parsed);
    return new DevCA({ certificate: clean, certificatePem: clean.toPem(), key }, subject, notBefore);
  }

  /** A leaf certificate signed by this CA (AKI = the CA's SKI, CA:FALSE). */
  async issue(options: LeafOptions): Promise<IssuedCertificate> {
    const key = await generateKey();
    const ous = (options.organizationalUnits ?? []).map((ou) => `OU=${ou}, `).join('');
    const extensions: x509.Extension[] = [
      new x509.KeyUsagesExtension(options.keyUsage, true),
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.AuthorityKeyIdentifierExtension(Buffer.from(this.issued.key.ski).toString('hex')),
    ];
    if (options.extendedKeyUsage?.length)
      extensions.splice(1, 0, new x509.ExtendedKeyUsageExtension([...options.extendedKeyUsage]));
    if (options.alternateNames?.length) {
      extensions.push(
        new x509.SubjectAlternativeNameExtension(
          options.alternateNames.map((v) => ({
            type: isIp(v) ? ('ip' as const) : ('dns' as const),
            value: v,
          })),
        ),
      );
    }
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serialNumber(),
      subject: `${BASE_SUBJECT}, ${ous}CN=${options.commonName}`,
      issuer: this.subject,
      notBefore: this.notBefore,
      notAfter: new Date(this.notBefore.getTime() + TEN_YEARS_MS),
      signingAlgorithm: ALG,
      publicKey: key.cryptoKeys.publicKey,
      signingKey: this.issued.key.cryptoKeys.privateKey,
      extensions,
    });
    const clean = sanitizeCertificate(
      Certificate.fromDer(new Uint8Array(cert.rawData)),
      this.issued.certificate,
    );
    return { certificate: clean, certificatePem: clean.toPem(), key };
  }
}

export const KeyUsage = x509.KeyUsageFlags;
export const ExtendedKeyUsage = x509.ExtendedKeyUsage;
