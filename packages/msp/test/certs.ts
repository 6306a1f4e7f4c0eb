// Test certificates of any shape (intermediate CAs, OUs, P-384), signed with @peculiar/x509.
import { createHash, randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export interface TestCert {
  readonly pem: string;
  readonly subject: string;
  readonly keys: webcrypto.CryptoKeyPair;
  readonly ski: string;
  readonly keyPem: string;
  readonly curve: 'P-256' | 'P-384';
}

const DAY = 86400_000;

export async function makeCert(opts: {
  subject: string;
  issuer?: TestCert;
  ca?: boolean;
  curve?: 'P-256' | 'P-384';
  notBefore?: Date;
}): Promise<TestCert> {
  const curve = opts.curve ?? 'P-256';
  const keys = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: curve }, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const raw = new Uint8Array(await webcrypto.subtle.exportKey('raw', keys.publicKey));
  const ski = createHash('sha256').update(raw).digest('hex');
  const issuer = opts.issuer;
  const signingCurve = issuer?.curve ?? curve;
  const exts: x509.Extension[] = [new x509.BasicConstraintsExtension(opts.ca ?? false, undefined, true)];
  if (opts.ca)
    exts.push(
      new x509.SubjectKeyIdentifierExtension(ski),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    );
  else exts.push(new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true));
  if (issuer) exts.push(new x509.AuthorityKeyIdentifierExtension(issuer.ski));
  const notBefore = opts.notBefore ?? new Date(Date.now() - DAY);
  const serial = randomBytes(8);
  serial[0]! &= 0x7f;
  serial[0]! |= 1;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial.toString('hex'),
    subject: opts.subject,
    issuer: issuer?.subject ?? opts.subject,
    notBefore,
    notAfter: new Date(notBefore.getTime() + 365 * DAY),
    signingAlgorithm: { name: 'ECDSA', hash: signingCurve === 'P-384' ? 'SHA-384' : 'SHA-256' },
    publicKey: keys.publicKey,
    signingKey: (issuer ?? { keys }).keys.privateKey,
    extensions: exts,
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64');
  const keyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n`;
  return { pem: cert.toString('pem'), subject: opts.subject, keys, ski, keyPem, curve };
}

export const utf8 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s));
