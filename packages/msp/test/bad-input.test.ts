// Bad input never crashes: each case has its typed error and stable code.
import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync, webcrypto } from 'node:crypto';
import { before, describe, it } from 'node:test';
import * as x509 from '@peculiar/x509';
import { common, msp as mspProto } from '@fabric-peer/protos';
import { p256 } from '@noble/curves/p256';
import {
  Certificate,
  MSP,
  MSPManager,
  PrivateKey,
  PublicKey,
  SignaturePolicy,
  generateOrg,
  type DevOrg,
  type MSPError,
} from '../src/index.js';
import { mspDir } from './fixtures.js';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const DAY = 86400_000;

/** A certificate issued by `org`'s CA with whatever shape a test needs. */
async function issue(
  org: DevOrg,
  opts: { subject: string; curve?: string; ca?: boolean; eku?: string[]; notBefore?: Date; notAfter?: Date },
): Promise<{ pem: string; serial: string }> {
  const caKey = await webcrypto.subtle.importKey(
    'pkcs8',
    pemDer(org.ca.privateKey),
    { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['sign'],
  );
  const keys = (await webcrypto.subtle.generateKey(
    { name: 'ECDSA', namedCurve: opts.curve ?? 'P-256' },
    true,
    ['sign', 'verify'],
  )) as webcrypto.CryptoKeyPair;
  const caCert = Certificate.fromPem(org.ca.certificate);
  const serial = '1a2b3c4d5e';
  const exts: x509.Extension[] = [
    new x509.BasicConstraintsExtension(opts.ca ?? false, undefined, true),
    new x509.AuthorityKeyIdentifierExtension(Buffer.from(caCert.subjectKeyId!).toString('hex')),
  ];
  if (opts.eku) exts.push(new x509.ExtendedKeyUsageExtension(opts.eku));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial,
    subject: opts.subject,
    issuer: 'C=US, ST=California, L=San Francisco, O=' + org.domain + ', CN=ca.' + org.domain,
    notBefore: opts.notBefore ?? caCert.notBefore,
    notAfter: opts.notAfter ?? new Date(caCert.notBefore.getTime() + 365 * DAY),
    signingAlgorithm: ALG,
    publicKey: keys.publicKey,
    signingKey: caKey,
    extensions: exts,
  });
  return { pem: cert.toString('pem'), serial };
}

function pemDer(pem: string): Uint8Array {
  return new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));
}

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof Error && 'code' in err, `not a typed error: ${String(err)}`);
    return (err as MSPError).code;
  }
  return 'NO_ERROR';
}

describe('bad input', () => {
  let org: DevOrg;
  let orgMsp: MSP;
  before(async () => {
    org = await generateOrg({ kind: 'peer', domain: 'bad.example.com', mspId: 'BadMSP' });
    orgMsp = org.toMSP();
  });

  it('malformed PEM and DER', () => {
    assert.equal(
      code(() => orgMsp.identityFromCertificate('not a pem')),
      'MSP_PEM_INVALID',
    );
    assert.equal(
      code(() =>
        orgMsp.identityFromCertificate('-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n'),
      ),
      'MSP_PEM_INVALID',
    );
    assert.equal(
      code(() =>
        orgMsp.identityFromCertificate('-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----\n'),
      ),
      'MSP_CERT_MALFORMED',
    );
    const good = org.users[0]!.certificate;
    const der = pemDer(good);
    assert.equal(
      code(() => Certificate.fromDer(der.subarray(0, der.length - 10))),
      'MSP_CERT_MALFORMED',
    );
    assert.equal(
      code(() => PrivateKey.fromPem('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n')),
      'CRYPTO_INVALID_KEY',
    );
    assert.equal(
      code(() => PrivateKey.fromPem(good)),
      'CRYPTO_INVALID_KEY',
    );
  });

  it('a malformed SerializedIdentity', () => {
    assert.equal(
      code(() => orgMsp.deserializeIdentity(new Uint8Array([0x0a, 0xff]))),
      'MSP_IDENTITY_MALFORMED',
    );
    assert.equal(
      code(() => new MSPManager([orgMsp]).deserializeIdentity(new Uint8Array([0x12, 0x05, 1]))),
      'MSP_IDENTITY_MALFORMED',
    );
    // id_bytes must be PEM, as Fabric's pem.Decode requires (DER is only accepted by identityFromCertificate)
    const der = pemDer(org.users[0]!.certificate);
    const sid = mspProto.SerializedIdentity.encode({ mspid: 'BadMSP', idBytes: der });
    assert.equal(
      code(() => orgMsp.deserializeIdentity(sid)),
      'MSP_PEM_INVALID',
    );
    orgMsp.identityFromCertificate(der).validate();
  });

  it('unknown curves and key types', async () => {
    const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
    assert.equal(
      code(() => PrivateKey.fromPem(k1.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString())),
      'CRYPTO_UNSUPPORTED_CURVE',
    );
    assert.equal(
      code(() => PublicKey.fromSpki(k1.publicKey.export({ format: 'der', type: 'spki' }))),
      'CRYPTO_UNSUPPORTED_CURVE',
    );
    const ed = generateKeyPairSync('ed25519');
    assert.equal(
      code(() => PrivateKey.fromPem(ed.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString())),
      'CRYPTO_UNSUPPORTED_KEY',
    );
    const p521 = await issue(org, { subject: 'CN=p521, OU=client', curve: 'P-521' });
    assert.equal(
      code(() => orgMsp.identityFromCertificate(p521.pem)),
      'CRYPTO_UNSUPPORTED_CURVE',
    );
    // SEC1 "EC PRIVATE KEY" (Fabric CA) and P-384 are fine
    const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
    const sec1 = PrivateKey.fromPem(p384.privateKey.export({ format: 'pem', type: 'sec1' }).toString());
    assert.equal(sec1.curve.name, 'P-384');
    const msg = Buffer.from('m');
    sec1.publicKey.verify(msg, sec1.sign(msg));
    sec1.publicKey.verify(msg, sec1.sign(msg, 'sha384'), 'sha384');
    assert.equal(PublicKey.fromKeyObject(createPublicKey(p384.privateKey)).curve.name, 'P-384');
  });

  it('expired and not yet valid certificates', async () => {
    const old = await generateOrg({
      kind: 'peer',
      domain: 'old.example.com',
      mspId: 'OldMSP',
      notBefore: new Date(Date.now() - 3660 * DAY),
    });
    const m = old.toMSP();
    const id = m.identityFromCertificate(old.users[0]!.certificate);
    assert.equal(
      code(() => id.validate()),
      'MSP_IDENTITY_EXPIRED',
    );
    id.validate({ checkExpiry: false }); // Fabric's own rule: validity is not checked against the clock
    id.validate({ now: new Date(Date.now() - 3000 * DAY) });
    assert.equal(
      code(() => old.users[0]!.toMSP()),
      'MSP_IDENTITY_EXPIRED',
    ); // an expired local signer is refused
    const early = await issue(org, {
      subject: 'CN=early, OU=client',
      notBefore: new Date(Date.now() + 10 * DAY),
      notAfter: new Date(Date.now() + 20 * DAY),
    });
    assert.equal(
      code(() => orgMsp.identityFromCertificate(early.pem).validate()),
      'MSP_IDENTITY_NOT_YET_VALID',
    );
  });

  it('a foreign certificate, a wrong MSP id, an unknown MSP', async () => {
    const fixtureOrg1 = await MSP.fromFolder(mspDir.org1, 'Org1MSP');
    const org2Peer = (await MSP.fromFolder(mspDir.peer0org2, 'Org2MSP')).getSigningIdentity();
    const asOrg1 = mspProto.SerializedIdentity.encode({
      mspid: 'Org1MSP',
      idBytes: Buffer.from(org2Peer.toPem()),
    });
    assert.equal(
      code(() => fixtureOrg1.deserializeIdentity(asOrg1)),
      'MSP_IDENTITY_UNKNOWN_AUTHORITY',
    );
    assert.equal(
      code(() => fixtureOrg1.deserializeIdentity(org2Peer.serialize())),
      'MSP_IDENTITY_MSPID_MISMATCH',
    );
    assert.equal(
      code(() => new MSPManager([fixtureOrg1]).deserializeIdentity(org2Peer.serialize())),
      'MSP_IDENTITY_UNKNOWN_MSP',
    );
  });

  it('a revoked certificate (CRL signed by the CA, AKI = CA SKI)', async () => {
    const victim = await issue(org, { subject: 'CN=victim, OU=client' });
    const caKey = await webcrypto.subtle.importKey(
      'pkcs8',
      pemDer(org.ca.privateKey),
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['sign'],
    );
    const caCert = Certificate.fromPem(org.ca.certificate);
    const crl = await x509.X509CrlGenerator.create({
      issuer: 'C=US, ST=California, L=San Francisco, O=bad.example.com, CN=ca.bad.example.com',
      thisUpdate: new Date(),
      nextUpdate: new Date(Date.now() + DAY),
      entries: [{ serialNumber: victim.serial, revocationDate: new Date() }],
      signingAlgorithm: ALG,
      signingKey: caKey,
      extensions: [
        new x509.AuthorityKeyIdentifierExtension(Buffer.from(caCert.subjectKeyId!).toString('hex')),
      ],
    });
    const config = { ...org.mspConfig, revocationList: [Buffer.from(crl.toString('pem'))] };
    const withCrl = MSP.fromConfig(config);
    assert.equal(
      code(() => withCrl.identityFromCertificate(victim.pem).validate()),
      'MSP_IDENTITY_REVOKED',
    );
    withCrl.identityFromCertificate(org.users[0]!.certificate).validate();
    assert.equal(
      code(() => MSP.fromConfig({ ...org.mspConfig, revocationList: [Buffer.from('junk')] })),
      'MSP_CONFIG_INVALID',
    );
  });

  it('signatures: high-S, truncated, garbage, wrong key', () => {
    const signer = org.users[0]!.toMSP().getSigningIdentity();
    const id = orgMsp.identityFromCertificate(org.users[0]!.certificate);
    const msg = Buffer.from('payload');
    const sig = signer.sign(msg);
    id.verify(msg, sig);
    const low = p256.Signature.fromDER(sig);
    assert.equal(low.hasHighS(), false);
    const high = new p256.Signature(low.r, p256.CURVE.n - low.s).toDERRawBytes();
    assert.equal(
      code(() => id.verify(msg, high)),
      'CRYPTO_SIGNATURE_HIGH_S',
    );
    assert.equal(
      code(() => id.verify(msg, sig.subarray(0, sig.length - 3))),
      'CRYPTO_SIGNATURE_MALFORMED',
    );
    assert.equal(
      code(() => id.verify(msg, new Uint8Array(0))),
      'CRYPTO_SIGNATURE_MALFORMED',
    );
    assert.equal(
      code(() => id.verify(msg, Buffer.from('3006020100020101', 'hex'))),
      'CRYPTO_SIGNATURE_MALFORMED',
    ); // r = 0
    const other = org.admin.toMSP().getSigningIdentity().sign(msg);
    assert.equal(
      code(() => id.verify(msg, other)),
      'CRYPTO_SIGNATURE_INVALID',
    );
    // Go's asn1.Unmarshal ignores bytes after the signature; so do we
    id.verify(msg, Buffer.concat([sig, Buffer.from([0, 0])]));
  });

  it('identity shapes Fabric refuses: CA certificate, no NodeOU, two NodeOUs, client-auth-only EKU', async () => {
    const caId = orgMsp.identityFromCertificate(org.ca.certificate);
    assert.equal(
      code(() => caId.validate()),
      'MSP_IDENTITY_IS_CA',
    );
    const noOU = await issue(org, { subject: 'CN=nobody' });
    assert.equal(
      code(() => orgMsp.identityFromCertificate(noOU.pem).validate()),
      'MSP_IDENTITY_OU_INVALID',
    );
    const twoOU = await issue(org, { subject: 'OU=client, OU=peer, CN=both' });
    assert.equal(
      code(() => orgMsp.identityFromCertificate(twoOU.pem).validate()),
      'MSP_IDENTITY_OU_INVALID',
    );
    const clientOnly = await issue(org, { subject: 'OU=client, CN=tlsish', eku: ['1.3.6.1.5.5.7.3.2'] });
    assert.equal(
      code(() => orgMsp.identityFromCertificate(clientOnly.pem)),
      'MSP_IDENTITY_INVALID_CHAIN',
    );
    const withServer = await issue(org, {
      subject: 'OU=client, CN=tlsish2',
      eku: ['1.3.6.1.5.5.7.3.2', '1.3.6.1.5.5.7.3.1'],
    });
    orgMsp.identityFromCertificate(withServer.pem).validate();
  });

  it('principals of another MSP and malformed policies', () => {
    const id = orgMsp.identityFromCertificate(org.nodes[0]!.certificate);
    const role = (mspIdentifier: string, r: common.MSPRole_MSPRoleType): common.MSPPrincipal => ({
      principalClassification: common.MSPPrincipal_Classification.ROLE,
      principal: common.MSPRole.encode({ mspIdentifier, role: r }),
    });
    id.satisfiesPrincipal(role('BadMSP', common.MSPRole_MSPRoleType.PEER));
    id.satisfiesPrincipal(role('BadMSP', common.MSPRole_MSPRoleType.MEMBER));
    assert.equal(
      code(() => id.satisfiesPrincipal(role('OtherMSP', common.MSPRole_MSPRoleType.MEMBER))),
      'MSP_PRINCIPAL_NOT_SATISFIED',
    );
    assert.equal(
      code(() => id.satisfiesPrincipal(role('BadMSP', common.MSPRole_MSPRoleType.ADMIN))),
      'MSP_PRINCIPAL_NOT_SATISFIED',
    );
    assert.equal(
      code(() =>
        id.satisfiesPrincipal({
          principalClassification: 9 as common.MSPPrincipal_Classification,
          principal: new Uint8Array(),
        }),
      ),
      'MSP_PRINCIPAL_INVALID',
    );
    const mgr = new MSPManager([orgMsp]);
    assert.equal(
      code(() => new SignaturePolicy({ version: 0, rule: { signedBy: 3 }, identities: [] }, mgr)),
      'POLICY_INVALID',
    );
    assert.equal(
      code(() => new SignaturePolicy({ version: 1, rule: { signedBy: 0 }, identities: [] }, mgr)),
      'POLICY_INVALID',
    );
    assert.equal(
      code(() => new SignaturePolicy({ version: 0, rule: undefined, identities: [] }, mgr)),
      'POLICY_INVALID',
    );
  });
});

describe('well-formed serialized identities (Fabric IsWellFormed)', () => {
  it('accepts the fixture identities and refuses trailing bytes, other PEM types, non-canonical signatures', async () => {
    const { withSignature } = await import('../src/x509/sanitize.js');
    const local = await MSP.fromFolder(mspDir.peer0org1, 'Org1MSP');
    const mgr = new MSPManager([local]);
    const id = local.getSigningIdentity();
    mgr.checkWellFormed(id.serialize());
    const sid = (idBytes: string | Uint8Array): Uint8Array =>
      mspProto.SerializedIdentity.encode({ mspid: 'Org1MSP', idBytes: Buffer.from(idBytes) });
    assert.equal(
      code(() => mgr.checkWellFormed(sid(id.toPem() + 'x'))),
      'MSP_IDENTITY_MALFORMED',
    );
    assert.equal(
      code(() => mgr.checkWellFormed(sid(id.toPem().replace(/CERTIFICATE/g, 'PUBLIC KEY')))),
      'MSP_IDENTITY_MALFORMED',
    );
    assert.equal(
      code(() => mgr.checkWellFormed(sid('nothing'))),
      'MSP_IDENTITY_MALFORMED',
    );
    // r with a superfluous leading zero: same value, not canonical DER
    const sig = Buffer.from(id.certificate.signature);
    const rLen = sig[3]!;
    const r = sig.subarray(4, 4 + rLen);
    const rest = sig.subarray(4 + rLen);
    const body = Buffer.concat([Buffer.from([0x02, rLen + 1, 0]), r, rest]);
    const odd = withSignature(id.certificate, Buffer.concat([Buffer.from([0x30, body.length]), body]));
    assert.equal(
      code(() => mgr.checkWellFormed(sid(odd.toPem()))),
      'MSP_IDENTITY_MALFORMED',
    );
    assert.equal(
      code(() =>
        mgr.checkWellFormed(
          mspProto.SerializedIdentity.encode({ mspid: 'Nope', idBytes: Buffer.from(id.toPem()) }),
        ),
      ),
      'MSP_IDENTITY_UNKNOWN_MSP',
    );
  });
});

describe('DER in id_bytes through the MSPManager', () => {
  it('is refused as Fabric refuses it', async () => {
    const org = await generateOrg({ kind: 'peer', domain: 'der.example.com', mspId: 'DerMSP' });
    const sid = mspProto.SerializedIdentity.encode({
      mspid: 'DerMSP',
      idBytes: pemDer(org.users[0]!.certificate),
    });
    assert.equal(
      code(() => new MSPManager([org.toMSP()]).deserializeIdentity(sid)),
      'MSP_PEM_INVALID',
    );
  });
});
