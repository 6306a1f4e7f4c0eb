// The chaincode listener's own TLS authority (Fabric's tlsgen CA in core/chaincode/accesscontrol):
// the peer makes a CA when it starts, issues a client certificate to every chaincode it launches,
// and its listener accepts only clients with a certificate from that CA (mutual TLS). The server
// side uses the peer's TLS certificate when it is given, else one this CA issues.
import { randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 24 * 3600 * 1000;

export interface KeyPairPem {
  certPem: string;
  keyPem: string;
}

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${b64}${b64.endsWith('\n') ? '' : '\n'}-----END ${label}-----\n`;
}

const serial = (): string => {
  const b = randomBytes(16);
  b[0] = (b[0]! & 0x7f) | 0x01;
  return b.toString('hex');
};

const isIp = (s: string): boolean =>
  /^\d{1,3}(\.\d{1,3}){3}$/.test(s) || /^[0-9a-fA-F:]+:[0-9a-fA-F:]*$/.test(s);

/** A P-256 CA that issues TLS client and server certificates (valid one year, back-dated 5 min). */
export class TLSCA {
  private constructor(
    private readonly cert: x509.X509Certificate,
    private readonly keys: webcrypto.CryptoKeyPair,
    readonly certPem: string,
  ) {}

  static async create(commonName = 'fabric-peer chaincode TLS CA'): Promise<TLSCA> {
    const keys = (await webcrypto.subtle.generateKey(ALG, true, [
      'sign',
      'verify',
    ])) as webcrypto.CryptoKeyPair;
    const notBefore = new Date(Date.now() - 5 * 60_000);
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: serial(),
      name: `CN=${commonName}`,
      notBefore,
      notAfter: new Date(notBefore.getTime() + 365 * DAY_MS),
      keys,
      signingAlgorithm: ALG,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ],
    });
    return new TLSCA(cert, keys, cert.toString('pem') + '\n');
  }

  /** A client certificate (what a launched chaincode presents to the listener). */
  newClientCert(commonName: string): Promise<KeyPairPem> {
    return this.issue(commonName, [], [x509.ExtendedKeyUsage.clientAuth]);
  }

  /** A server certificate for the given host names and IPs. */
  newServerCert(hosts: readonly string[]): Promise<KeyPairPem> {
    return this.issue(hosts[0] ?? 'localhost', hosts, [
      x509.ExtendedKeyUsage.serverAuth,
      x509.ExtendedKeyUsage.clientAuth,
    ]);
  }

  private async issue(commonName: string, hosts: readonly string[], eku: string[]): Promise<KeyPairPem> {
    const keys = (await webcrypto.subtle.generateKey(ALG, true, [
      'sign',
      'verify',
    ])) as webcrypto.CryptoKeyPair;
    const notBefore = new Date(Date.now() - 5 * 60_000);
    const extensions: x509.Extension[] = [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
        true,
      ),
      new x509.ExtendedKeyUsageExtension(eku, false),
      await x509.AuthorityKeyIdentifierExtension.create(this.cert, false),
    ];
    if (hosts.length > 0) {
      extensions.push(
        new x509.SubjectAlternativeNameExtension(
          hosts.map((h) => (isIp(h) ? { type: 'ip', value: h } : { type: 'dns', value: h })),
          false,
        ),
      );
    }
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serial(),
      subject: `CN=${commonName}`,
      issuer: this.cert.subject,
      notBefore,
      notAfter: new Date(notBefore.getTime() + 365 * DAY_MS),
      publicKey: keys.publicKey,
      signingKey: this.keys.privateKey,
      signingAlgorithm: ALG,
      extensions,
    });
    const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
    return { certPem: cert.toString('pem') + '\n', keyPem: pem('PRIVATE KEY', pkcs8) };
  }
}
