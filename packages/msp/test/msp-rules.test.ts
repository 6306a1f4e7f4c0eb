// Fabric MSP rules beyond the fixtures: intermediate CAs, the leaf-of-tree rule, OU pinning,
// OrganizationalUnitIdentifiers, P-384, every principal classification, keystore naming.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { common, msp as mspProto } from '@fabric-peer/protos';
import { Certificate, MSP, PrivateKey, loadSignerMaterial, type MSPError } from '../src/index.js';
import { makeCert, utf8, type TestCert } from './certs.js';
import { mspDir } from './fixtures.js';

function baseConfig(name: string, roots: TestCert[], mids: TestCert[] = []): mspProto.FabricMSPConfig {
  return {
    name,
    rootCerts: roots.map((r) => utf8(r.pem)),
    intermediateCerts: mids.map((m) => utf8(m.pem)),
    admins: [],
    revocationList: [],
    signingIdentity: undefined,
    organizationalUnitIdentifiers: [],
    cryptoConfig: undefined,
    tlsRootCerts: [],
    tlsIntermediateCerts: [],
    fabricNodeOus: undefined,
  };
}

function nodeOUs(pin?: string): mspProto.FabricNodeOUs {
  const ou = (name: string): mspProto.FabricOUIdentifier => ({
    certificate: pin ? utf8(pin) : new Uint8Array(),
    organizationalUnitIdentifier: name,
  });
  return {
    enable: true,
    clientOuIdentifier: ou('client'),
    peerOuIdentifier: ou('peer'),
    adminOuIdentifier: ou('admin'),
    ordererOuIdentifier: ou('orderer'),
  };
}

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as MSPError).code ?? String(err);
  }
  return 'NO_ERROR';
}

const principal = {
  role: (mspIdentifier: string, role: common.MSPRole_MSPRoleType): common.MSPPrincipal => ({
    principalClassification: common.MSPPrincipal_Classification.ROLE,
    principal: common.MSPRole.encode({ mspIdentifier, role }),
  }),
  ou: (mspIdentifier: string, ou: string, certifiersIdentifier: Uint8Array): common.MSPPrincipal => ({
    principalClassification: common.MSPPrincipal_Classification.ORGANIZATION_UNIT,
    principal: common.OrganizationUnit.encode({
      mspIdentifier,
      organizationalUnitIdentifier: ou,
      certifiersIdentifier,
    }),
  }),
  identity: (serialized: Uint8Array): common.MSPPrincipal => ({
    principalClassification: common.MSPPrincipal_Classification.IDENTITY,
    principal: serialized,
  }),
  anonymity: (t: number): common.MSPPrincipal => ({
    principalClassification: common.MSPPrincipal_Classification.ANONYMITY,
    principal: common.MSPIdentityAnonymity.encode({ anonymityType: t }),
  }),
  combined: (principals: common.MSPPrincipal[]): common.MSPPrincipal => ({
    principalClassification: common.MSPPrincipal_Classification.COMBINED,
    principal: common.CombinedPrincipal.encode({ principals }),
  }),
};
const Role = common.MSPRole_MSPRoleType;

describe('intermediate CAs', () => {
  let root: TestCert;
  let mid: TestCert;
  let viaMid: TestCert;
  let viaRoot: TestCert;
  before(async () => {
    root = await makeCert({ subject: 'O=corp, CN=root', ca: true });
    mid = await makeCert({ subject: 'O=corp, CN=mid', ca: true, issuer: root });
    viaMid = await makeCert({ subject: 'OU=client, CN=alice', issuer: mid });
    viaRoot = await makeCert({ subject: 'OU=client, CN=bob', issuer: root });
  });

  it('validates identities issued by the intermediate, with the chain as certifier id', () => {
    const m = MSP.fromConfig({ ...baseConfig('CorpMSP', [root], [mid]), fabricNodeOus: nodeOUs() });
    const alice = m.identityFromCertificate(viaMid.pem);
    alice.validate();
    assert.equal(alice.chain.length, 3);
    // the chain holds the sanitized (low-S) CA certificates: same TBS as the configured ones
    assert.deepEqual(Buffer.from(alice.chain[1]!.tbs), Buffer.from(Certificate.fromPem(mid.pem).tbs));
    assert.deepEqual(Buffer.from(alice.chain[2]!.tbs), Buffer.from(Certificate.fromPem(root.pem).tbs));
    const expected = createHash('sha256').update(alice.chain[1]!.raw).update(alice.chain[2]!.raw).digest();
    assert.deepEqual(Buffer.from(alice.organizationalUnits[0]!.certifiersIdentifier), expected);
  });

  it('refuses identities hanging off a CA that issued an intermediate', () => {
    const m = MSP.fromConfig(baseConfig('CorpMSP', [root], [mid]));
    assert.equal(
      code(() => m.identityFromCertificate(viaRoot.pem).validate()),
      'MSP_IDENTITY_INVALID_CHAIN',
    );
    // without the intermediate in the MSP, the root is a leaf CA again
    MSP.fromConfig(baseConfig('CorpMSP', [root]))
      .identityFromCertificate(viaRoot.pem)
      .validate();
    assert.equal(
      code(() => MSP.fromConfig(baseConfig('CorpMSP', [root])).identityFromCertificate(viaMid.pem)),
      'MSP_IDENTITY_UNKNOWN_AUTHORITY',
    );
  });

  it('NodeOU certificate pinning: pinned to the intermediate counts, pinned to the root does not', () => {
    MSP.fromConfig({ ...baseConfig('CorpMSP', [root], [mid]), fabricNodeOus: nodeOUs(mid.pem) })
      .identityFromCertificate(viaMid.pem)
      .validate();
    const pinnedRoot = MSP.fromConfig({
      ...baseConfig('CorpMSP', [root], [mid]),
      fabricNodeOus: nodeOUs(root.pem),
    });
    assert.equal(
      code(() => pinnedRoot.identityFromCertificate(viaMid.pem).validate()),
      'MSP_IDENTITY_OU_INVALID',
    );
    const stranger = makeCert({ subject: 'CN=x', ca: true });
    return stranger.then((s) =>
      assert.equal(
        code(() => MSP.fromConfig({ ...baseConfig('CorpMSP', [root]), fabricNodeOus: nodeOUs(s.pem) })),
        'MSP_CONFIG_INVALID',
      ),
    );
  });

  it('OrganizationalUnitIdentifiers: identities must carry one of them', async () => {
    const cop = await makeCert({ subject: 'OU=COP, OU=client, CN=carol', issuer: root });
    const m = MSP.fromConfig({
      ...baseConfig('CorpMSP', [root]),
      organizationalUnitIdentifiers: [{ certificate: utf8(root.pem), organizationalUnitIdentifier: 'COP' }],
    });
    m.identityFromCertificate(cop.pem).validate();
    assert.equal(
      code(() => m.identityFromCertificate(viaRoot.pem).validate()),
      'MSP_IDENTITY_OU_INVALID',
    );
  });

  it('P-384 identities verify over SHA-256 (Fabric hashes with the SHA2 family, whatever the curve)', async () => {
    const root384 = await makeCert({ subject: 'CN=root384', ca: true, curve: 'P-384' });
    const leaf = await makeCert({ subject: 'OU=peer, CN=p', issuer: root384, curve: 'P-384' });
    const m = MSP.fromConfig(
      { ...baseConfig('BigMSP', [root384]), fabricNodeOus: nodeOUs() },
      {
        signer: { certificate: utf8(leaf.pem), key: PrivateKey.fromPem(leaf.keyPem) },
      },
    );
    const s = m.getSigningIdentity();
    s.validate();
    assert.equal(s.publicKey.curve.name, 'P-384');
    const msg = Buffer.from('x');
    const sig = s.sign(msg);
    s.publicKey.verify(msg, sig, 'sha256');
    assert.equal(
      code(() => s.publicKey.verify(msg, sig, 'sha384')),
      'CRYPTO_SIGNATURE_INVALID',
    );
    assert.equal(m.nodeRole(s), 'peer');
  });
});

describe('principals', () => {
  let org1: MSP;
  let user: Uint8Array;
  let admin: Uint8Array;
  before(async () => {
    org1 = await MSP.fromFolder(mspDir.org1, 'Org1MSP');
    user = (await MSP.fromFolder(mspDir.user1Org1, 'Org1MSP')).getSigningIdentity().serialize();
    admin = (await MSP.fromFolder(mspDir.adminOrg1, 'Org1MSP')).getSigningIdentity().serialize();
  });

  it('ROLE: member, client, admin (admin OU), peer, orderer', () => {
    const u = org1.deserializeIdentity(user);
    const a = org1.deserializeIdentity(admin);
    u.satisfiesPrincipal(principal.role('Org1MSP', Role.MEMBER));
    u.satisfiesPrincipal(principal.role('Org1MSP', Role.CLIENT));
    a.satisfiesPrincipal(principal.role('Org1MSP', Role.ADMIN));
    a.satisfiesPrincipal(principal.role('Org1MSP', Role.MEMBER));
    for (const r of [Role.ADMIN, Role.PEER, Role.ORDERER])
      assert.equal(
        code(() => u.satisfiesPrincipal(principal.role('Org1MSP', r))),
        'MSP_PRINCIPAL_NOT_SATISFIED',
      );
    assert.equal(
      code(() => u.satisfiesPrincipal(principal.role('Org2MSP', Role.MEMBER))),
      'MSP_PRINCIPAL_NOT_SATISFIED',
    );
  });

  it('IDENTITY: only the very same certificate', () => {
    const u = org1.deserializeIdentity(user);
    u.satisfiesPrincipal(principal.identity(user));
    assert.equal(
      code(() => u.satisfiesPrincipal(principal.identity(admin))),
      'MSP_PRINCIPAL_NOT_SATISFIED',
    );
  });

  it('ORGANIZATION_UNIT: OU name and certifiers identifier must both match', () => {
    const u = org1.deserializeIdentity(user);
    const certifiers = u.organizationalUnits[0]!.certifiersIdentifier;
    u.satisfiesPrincipal(principal.ou('Org1MSP', 'client', certifiers));
    assert.equal(
      code(() => u.satisfiesPrincipal(principal.ou('Org1MSP', 'client', new Uint8Array(32)))),
      'MSP_PRINCIPAL_NOT_SATISFIED',
    );
    assert.equal(
      code(() => u.satisfiesPrincipal(principal.ou('Org1MSP', 'peer', certifiers))),
      'MSP_PRINCIPAL_NOT_SATISFIED',
    );
  });

  it('ANONYMITY and COMBINED (evaluated with the 1.3 rules, as Fabric)', () => {
    const u = org1.deserializeIdentity(user);
    const a = org1.deserializeIdentity(admin);
    u.satisfiesPrincipal(principal.anonymity(0));
    assert.equal(
      code(() => u.satisfiesPrincipal(principal.anonymity(1))),
      'MSP_PRINCIPAL_NOT_SATISFIED',
    );
    u.satisfiesPrincipal(
      principal.combined([
        principal.role('Org1MSP', Role.MEMBER),
        principal.anonymity(0),
        principal.role('Org1MSP', Role.CLIENT),
      ]),
    );
    assert.equal(
      code(() =>
        u.satisfiesPrincipal(
          principal.combined([principal.role('Org1MSP', Role.MEMBER), principal.role('Org1MSP', Role.PEER)]),
        ),
      ),
      'MSP_PRINCIPAL_NOT_SATISFIED',
    );
    // inside COMBINED, ADMIN means admincerts only (Fabric's V1.3 path), so the admin OU is not enough
    assert.equal(
      code(() => a.satisfiesPrincipal(principal.combined([principal.role('Org1MSP', Role.ADMIN)]))),
      'MSP_PRINCIPAL_NOT_SATISFIED',
    );
    assert.equal(
      code(() => u.satisfiesPrincipal(principal.combined([]))),
      'MSP_PRINCIPAL_INVALID',
    );
  });

  it('without NodeOUs, CLIENT/PEER cannot be told apart', async () => {
    const root = await makeCert({ subject: 'CN=r', ca: true });
    const leaf = await makeCert({ subject: 'OU=client, CN=l', issuer: root });
    const m = MSP.fromConfig(baseConfig('NoOUMSP', [root]));
    const id = m.identityFromCertificate(leaf.pem);
    id.satisfiesPrincipal(principal.role('NoOUMSP', Role.MEMBER));
    assert.equal(
      code(() => id.satisfiesPrincipal(principal.role('NoOUMSP', Role.CLIENT))),
      'MSP_PRINCIPAL_NOT_SATISFIED',
    );
    assert.equal(m.nodeRole(id), undefined);
  });
});

describe('MSP folders', () => {
  it('finds a Fabric CA style key (<ski>_sk, SEC1) among other files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'msp-folder-'));
    try {
      await cp(mspDir.user1Org1, dir, { recursive: true });
      const key = PrivateKey.fromPem(await readFile(join(dir, 'keystore/priv_sk'), 'utf8'));
      await unlink(join(dir, 'keystore/priv_sk'));
      const other = await makeCert({ subject: 'CN=decoy', ca: true });
      await writeFile(join(dir, 'keystore/aaaa_sk'), other.keyPem);
      await writeFile(join(dir, 'keystore/notes.txt'), 'not a key');
      await writeFile(
        join(dir, `keystore/${Buffer.from(key.ski).toString('hex')}_sk`),
        key.keyObject.export({ format: 'pem', type: 'sec1' }),
      );
      const material = await loadSignerMaterial(dir, 'Org1MSP');
      assert.deepEqual(Buffer.from(material.key.publicKey.point), Buffer.from(key.publicKey.point));
      await unlink(join(dir, `keystore/${Buffer.from(key.ski).toString('hex')}_sk`));
      await assert.rejects(MSP.fromFolder(dir, 'Org1MSP', { signer: true }), { code: 'MSP_KEY_NOT_FOUND' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports a folder without CA certificates, or without signcerts when a signer is required', async () => {
    await assert.rejects(MSP.fromFolder(join(tmpdir(), 'no-such-msp-folder'), 'X'), {
      code: 'MSP_FOLDER_INVALID',
    });
    await assert.rejects(MSP.fromFolder(mspDir.org1, 'Org1MSP', { signer: true }), {
      code: 'MSP_FOLDER_INVALID',
    });
  });

  it('refuses an MSPConfig of another type (idemix) and malformed bytes', () => {
    assert.equal(
      code(() => MSP.fromMSPConfigBytes(mspProto.MSPConfig.encode({ type: 1, config: new Uint8Array([1]) }))),
      'MSP_CONFIG_INVALID',
    );
    assert.equal(
      code(() => MSP.fromMSPConfigBytes(new Uint8Array([0xff, 0xff]))),
      'MSP_CONFIG_INVALID',
    );
    assert.equal(
      code(() => MSP.fromConfig({ ...baseConfig('X', []) })),
      'MSP_CONFIG_INVALID',
    );
  });
});
