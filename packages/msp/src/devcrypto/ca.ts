// Certificate authorities shaped like cryptogen's (internal/cryptogen/ca): P-256 keys, 128-bit
// serials, NotBefore rounded to the minute minus 5 minutes, ten years of validity, SKI = SHA-256
// of the public point, and cryptogen's extensions in cryptogen's order. Keys come from node:crypto
// (OpenSSL) and the certificates are DER-encoded here directly: a dev network needs 14 of each, and
// a general ASN.1 schema library spent tens of milliseconds per network on what is a fixed template.
// Signatures are made low-S, so the bytes are what Fabric's MSP would keep after sanitizing.
import { type KeyObject, createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { P256 } from '../crypto/curves.js';
import { normalizeSignature } from '../crypto/signature.js';
import { Tag, encodeTlv, encodeUnsignedInteger } from '../x509/der.js';
import { encodePem } from '../x509/pem.js';

const TEN_YEARS_MS = 3650 * 24 * 3600 * 1000;

// ---- DER pieces ----------------------------------------------------------------------------------

const hex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));
const seq = (...parts: Uint8Array[]): Uint8Array => encodeTlv(Tag.SEQUENCE, ...parts);
const oid = (h: string): Uint8Array => encodeTlv(Tag.OID, hex(h));
const ascii = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));

const ECDSA_WITH_SHA256 = seq(oid('2a8648ce3d040302'));
const VERSION_3 = encodeTlv(0xa0, encodeTlv(Tag.INTEGER, new Uint8Array([2])));
const TRUE = encodeTlv(Tag.BOOLEAN, new Uint8Array([0xff]));
/** AlgorithmIdentifier { id-ecPublicKey, prime256v1 }. */
const EC_P256_ALGORITHM = seq(oid('2a8648ce3d0201'), oid(P256.oidHex));

export interface KeyMaterial {
  /** The private key (node:crypto), for signing without re-parsing the PEM. */
  readonly privateKey: KeyObject;
  /** PKCS#8 PEM, as cryptogen writes priv_sk. */
  readonly privateKeyPem: string;
  /** SubjectPublicKeyInfo DER. */
  readonly spki: Uint8Array;
  /** SHA-256 of the uncompressed public point. */
  readonly ski: Uint8Array;
}

export interface IssuedCertificate {
  readonly certificatePem: string;
  readonly key: KeyMaterial;
}

/** A fresh P-256 key (every call a new one: nothing is shared between identities or networks). */
export function generateKey(): KeyMaterial {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: P256.nodeName });
  // The JWK export is several times cheaper than OpenSSL's DER / PEM encoders; the SPKI and PKCS#8
  // around the numbers are fixed templates for P-256.
  const jwk = privateKey.export({ format: 'jwk' });
  const b64 = (v: string | undefined): Uint8Array => new Uint8Array(Buffer.from(v ?? '', 'base64url'));
  const point = new Uint8Array(1 + 2 * P256.size);
  point[0] = 4;
  point.set(b64(jwk.x), 1);
  point.set(b64(jwk.y), 1 + P256.size);
  const pointBits = encodeTlv(Tag.BIT_STRING, new Uint8Array([0]), point);
  const pkcs8 = seq(
    encodeTlv(Tag.INTEGER, new Uint8Array([0])),
    EC_P256_ALGORITHM,
    // RFC 5915 ECPrivateKey, curve given by the algorithm (as OpenSSL writes it)
    encodeTlv(
      Tag.OCTET_STRING,
      seq(
        encodeTlv(Tag.INTEGER, new Uint8Array([1])),
        encodeTlv(Tag.OCTET_STRING, b64(jwk.d)),
        encodeTlv(0xa1, pointBits),
      ),
    ),
  );
  return {
    privateKey,
    privateKeyPem: encodePem('PRIVATE KEY', pkcs8),
    spki: seq(EC_P256_ALGORITHM, pointBits),
    ski: createHash('sha256').update(point).digest(),
  };
}

/** cryptogen's NotBefore: now rounded to the minute, minus five minutes. */
export function defaultNotBefore(now = Date.now()): Date {
  return new Date(Math.round(now / 60000) * 60000 - 5 * 60000);
}

/** KeyUsage bits (RFC 5280 4.2.1.3), as flags: bit n of the BIT STRING is 1 << n. */
export const KeyUsage = {
  digitalSignature: 1,
  nonRepudiation: 2,
  keyEncipherment: 4,
  dataEncipherment: 8,
  keyAgreement: 16,
  keyCertSign: 32,
  cRLSign: 64,
} as const;

/** Extended key usages, as the hex of their OIDs' content octets. */
export const ExtendedKeyUsage = {
  serverAuth: '2b06010505070301',
  clientAuth: '2b06010505070302',
} as const;

/** Attribute types a subject may carry (the ones cryptogen writes). */
export type NameAttributeType = 'C' | 'ST' | 'L' | 'O' | 'OU' | 'CN';
/** One attribute of a distinguished name; a Name is one attribute per RDN, in the order given. */
export type NameAttribute = readonly [NameAttributeType, string];

export interface CAOptions {
  /** The CA's subject, which is also the issuer of what it signs. */
  readonly subject: readonly NameAttribute[];
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** KeyUsage flags, or-ed (keyCertSign belongs here for a CA). */
  readonly keyUsage: number;
  /** ExtendedKeyUsage OIDs (hex); none, no extension. */
  readonly extendedKeyUsage?: readonly string[];
}

export interface LeafOptions {
  readonly commonName: string;
  readonly organizationalUnits?: readonly string[];
  /** What precedes the OUs and the CN in the subject; cryptogen's C=US, ST=California, L=San Francisco when absent. */
  readonly subjectPrefix?: readonly NameAttribute[];
  /** Validity; the CA's own period when absent (as cryptogen issues). */
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  /** DNS names or IP addresses (an IP when it parses as one, as cryptogen decides). */
  readonly alternateNames?: readonly string[];
  /** KeyUsage flags, or-ed. */
  readonly keyUsage: number;
  /** ExtendedKeyUsage OIDs (hex). */
  readonly extendedKeyUsage?: readonly string[];
}

const ATTR: Record<NameAttributeType, string> = {
  C: '550406',
  ST: '550408',
  L: '550407',
  O: '55040a',
  OU: '55040b',
  CN: '550403',
};

/** Go's encoding of a name attribute: PrintableString when every character allows it, else UTF8String. */
function directoryString(s: string): Uint8Array {
  return /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(s)
    ? encodeTlv(Tag.PRINTABLE_STRING, ascii(s))
    : encodeTlv(Tag.UTF8_STRING, new Uint8Array(Buffer.from(s, 'utf8')));
}

/** A Name: one attribute per RDN, in the order given. */
function encodeName(attrs: readonly NameAttribute[]): Uint8Array {
  return seq(...attrs.map(([k, v]) => encodeTlv(Tag.SET, seq(oid(ATTR[k]), directoryString(v)))));
}

/** UTCTime through 2049, GeneralizedTime after (RFC 5280 4.1.2.5). */
function encodeTime(d: Date): Uint8Array {
  const p = (n: number): string => String(n).padStart(2, '0');
  const y = d.getUTCFullYear();
  const rest = `${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  return y < 2050
    ? encodeTlv(Tag.UTC_TIME, ascii(`${p(y % 100)}${rest}`))
    : encodeTlv(Tag.GENERALIZED_TIME, ascii(`${String(y).padStart(4, '0')}${rest}`));
}

function extension(oidHex: string, critical: boolean, value: Uint8Array): Uint8Array {
  return critical
    ? seq(oid(oidHex), TRUE, encodeTlv(Tag.OCTET_STRING, value))
    : seq(oid(oidHex), encodeTlv(Tag.OCTET_STRING, value));
}

/** KeyUsage as a DER BIT STRING with trailing zero bits dropped. */
function keyUsageExtension(flags: number): Uint8Array {
  let bits = 0; // number of significant bits
  for (let i = 0; i < 9; i++) if (flags & (1 << i)) bits = i + 1;
  const bytes = new Uint8Array(Math.ceil(bits / 8));
  for (let i = 0; i < bits; i++) if (flags & (1 << i)) bytes[i >> 3]! |= 0x80 >> (i & 7);
  const unused = bytes.length * 8 - bits;
  return extension('551d0f', true, encodeTlv(Tag.BIT_STRING, new Uint8Array([unused]), bytes));
}

const extKeyUsageExtension = (ekus: readonly string[]): Uint8Array =>
  extension('551d25', false, seq(...ekus.map(oid)));

const basicConstraintsExtension = (isCA: boolean): Uint8Array =>
  extension('551d13', true, isCA ? seq(TRUE) : seq());

const subjectKeyIdExtension = (ski: Uint8Array): Uint8Array =>
  extension('551d0e', false, encodeTlv(Tag.OCTET_STRING, ski));

const authorityKeyIdExtension = (ski: Uint8Array): Uint8Array =>
  extension('551d23', false, seq(encodeTlv(0x80, ski)));

function subjectAltNameExtension(names: readonly string[]): Uint8Array {
  return extension(
    '551d11',
    false,
    seq(
      ...names.map((n) => {
        const ip = ipBytes(n);
        return ip ? encodeTlv(0x87, ip) : encodeTlv(0x82, ascii(n));
      }),
    ),
  );
}

function ipv4Bytes(s: string): Uint8Array | undefined {
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(s)) return undefined;
  const parts = s.split('.').map(Number);
  return parts.every((n) => n <= 255) ? new Uint8Array(parts) : undefined;
}

/**
 * The 4 or 16 bytes of an IPv4 / IPv6 literal (an IPv6 may end in an embedded IPv4, ::ffff:1.2.3.4,
 * as Go's net.ParseIP reads it), or undefined for a host name.
 */
export function ipBytes(s: string): Uint8Array | undefined {
  const v4 = ipv4Bytes(s);
  if (v4 || !s.includes(':')) return v4;
  const lastColon = s.lastIndexOf(':');
  const embedded = s.includes('.', lastColon) ? ipv4Bytes(s.slice(lastColon + 1)) : undefined;
  if (s.includes('.', lastColon) && !embedded) return undefined;
  // The embedded IPv4 stands for the last two groups.
  const text = embedded ? `${s.slice(0, lastColon + 1)}0:0` : s;
  if (!/^[0-9a-fA-F:]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string): string[] => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const fill = 8 - head.length - tail.length;
  if ((halves.length === 1 && fill !== 0) || fill < 0) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? fill : 0).fill('0'), ...tail];
  if (all.some((g) => g.length === 0 || g.length > 4)) return undefined;
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    const v = parseInt(g, 16);
    out[2 * i] = v >> 8;
    out[2 * i + 1] = v & 0xff;
  });
  if (embedded) out.set(embedded, 12);
  return out;
}

function serialNumber(): Uint8Array {
  const b = randomBytes(16);
  b[0]! &= 0x7f; // positive
  b[0]! |= 0x01; // and not re-encoded shorter
  return encodeUnsignedInteger(b);
}

const BASE_SUBJECT: readonly NameAttribute[] = [
  ['C', 'US'],
  ['ST', 'California'],
  ['L', 'San Francisco'],
];

const encodeValidity = (notBefore: Date, notAfter: Date): Uint8Array =>
  seq(encodeTime(notBefore), encodeTime(notAfter));

/** TBSCertificate -> Certificate PEM, signed (low-S) by `signer`. */
function signCertificate(tbs: Uint8Array, signer: KeyObject): string {
  const signature = normalizeSignature(P256, new Uint8Array(sign('sha256', tbs, signer)));
  const cert = seq(tbs, ECDSA_WITH_SHA256, encodeTlv(Tag.BIT_STRING, new Uint8Array([0]), signature));
  return encodePem('CERTIFICATE', cert);
}

export class DevCA {
  private constructor(
    readonly issued: IssuedCertificate,
    /** The DER of this CA's subject (the issuer of what it signs). */
    private readonly subject: Uint8Array,
    readonly notBefore: Date,
    readonly notAfter: Date,
    /** The DER of this CA's validity (what its leaves get by default). */
    private readonly validity: Uint8Array,
  ) {}

  get certificatePem(): string {
    return this.issued.certificatePem;
  }

  get privateKeyPem(): string {
    return this.issued.key.privateKeyPem;
  }

  /** cryptogen's CA: C/ST/L, O=<org>, CN=<name>, ten years, digitalSignature|keyEncipherment|certSign|cRLSign, client+server auth. */
  static create(name: string, org: string, notBefore: Date = defaultNotBefore()): DevCA {
    return DevCA.selfSigned({
      subject: [...BASE_SUBJECT, ['O', org], ['CN', name]],
      notBefore,
      notAfter: new Date(notBefore.getTime() + TEN_YEARS_MS),
      keyUsage:
        KeyUsage.digitalSignature | KeyUsage.keyEncipherment | KeyUsage.keyCertSign | KeyUsage.cRLSign,
      extendedKeyUsage: [ExtendedKeyUsage.clientAuth, ExtendedKeyUsage.serverAuth],
    });
  }

  /** A self-signed CA with a fresh key: CA:TRUE, SKI = SHA-256 of its public point. */
  static selfSigned(options: CAOptions): DevCA {
    const key = generateKey();
    const subject = encodeName(options.subject);
    const validity = encodeValidity(options.notBefore, options.notAfter);
    const extensions = [keyUsageExtension(options.keyUsage)];
    if (options.extendedKeyUsage?.length) extensions.push(extKeyUsageExtension(options.extendedKeyUsage));
    extensions.push(basicConstraintsExtension(true), subjectKeyIdExtension(key.ski));
    const tbs = seq(
      VERSION_3,
      serialNumber(),
      ECDSA_WITH_SHA256,
      subject,
      validity,
      subject,
      key.spki,
      encodeTlv(0xa3, seq(...extensions)),
    );
    return new DevCA(
      { certificatePem: signCertificate(tbs, key.privateKey), key },
      subject,
      new Date(options.notBefore.getTime()),
      new Date(options.notAfter.getTime()),
      validity,
    );
  }

  /** A leaf certificate signed by this CA (AKI = the CA's SKI, CA:FALSE), with a fresh key. */
  issue(options: LeafOptions): IssuedCertificate {
    const key = generateKey();
    const subject = encodeName([
      ...(options.subjectPrefix ?? BASE_SUBJECT),
      ...(options.organizationalUnits ?? []).map((ou): NameAttribute => ['OU', ou]),
      ['CN', options.commonName],
    ]);
    const validity =
      options.notBefore || options.notAfter
        ? encodeValidity(options.notBefore ?? this.notBefore, options.notAfter ?? this.notAfter)
        : this.validity;
    const extensions = [keyUsageExtension(options.keyUsage)];
    if (options.extendedKeyUsage?.length) extensions.push(extKeyUsageExtension(options.extendedKeyUsage));
    extensions.push(basicConstraintsExtension(false), authorityKeyIdExtension(this.issued.key.ski));
    if (options.alternateNames?.length) extensions.push(subjectAltNameExtension(options.alternateNames));
    const tbs = seq(
      VERSION_3,
      serialNumber(),
      ECDSA_WITH_SHA256,
      this.subject,
      validity,
      subject,
      key.spki,
      encodeTlv(0xa3, seq(...extensions)),
    );
    return { certificatePem: signCertificate(tbs, this.issued.key.privateKey), key };
  }
}
