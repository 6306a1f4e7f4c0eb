// Dev crypto: cryptogen's layout and certificate shapes, loadable as MSPs, usable for TLS.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer, type TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  Certificate,
  MSP,
  generateOrg,
  ipBytes,
  loadMSPConfigBytes,
  writeOrg,
  type DevOrg,
} from '../src/index.js';
import { ORDERER_ORG, ORG1 } from './fixtures.js';

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

describe('generateOrg', () => {
  let org1: DevOrg;
  let ordererOrg: DevOrg;
  let tmp: string;
  let elapsed = 0;

  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'msp-devcrypto-'));
    await generateOrg({ kind: 'peer', domain: 'warm.example.com', mspId: 'WarmMSP' }); // load modules once
    const t0 = performance.now();
    [org1, ordererOrg] = await Promise.all([
      generateOrg({ kind: 'peer', domain: 'org1.example.com', mspId: 'Org1MSP' }),
      generateOrg({ kind: 'orderer', domain: 'example.com', mspId: 'OrdererMSP' }),
    ]);
    elapsed = performance.now() - t0;
    await writeOrg(org1, tmp);
    await writeOrg(ordererOrg, tmp);
  });

  after(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('is fast: Org1 + OrdererOrg well under a second', () => {
    assert.ok(elapsed < 1000, `took ${elapsed.toFixed(0)} ms`);
  });

  it('writes exactly the files cryptogen writes', () => {
    assert.deepEqual(listFiles(join(tmp, 'peerOrganizations/org1.example.com')), listFiles(ORG1));
    assert.deepEqual(listFiles(join(tmp, 'ordererOrganizations/example.com')), listFiles(ORDERER_ORG));
    assert.deepEqual([...org1.files.keys()].sort(), listFiles(ORG1));
    // config.yaml byte for byte as cryptogen writes it
    for (const f of [
      'msp/config.yaml',
      'peers/peer0.org1.example.com/msp/config.yaml',
      'users/Admin@org1.example.com/msp/config.yaml',
    ]) {
      assert.equal(org1.files.get(f), readFileSync(join(ORG1, f), 'utf8'), f);
    }
  });

  it('mirrors cryptogen certificate shapes', () => {
    const ca = Certificate.fromPem(org1.ca.certificate);
    assert.equal(ca.commonName, 'ca.org1.example.com');
    assert.deepEqual(ca.subjectValues('55040a'), ['org1.example.com']);
    assert.equal(ca.isCA, true);
    assert.equal(ca.keyUsage, 0b1100101); // digitalSignature, keyEncipherment, keyCertSign, cRLSign
    assert.equal(
      Buffer.from(ca.subjectKeyId!).toString('hex'),
      Buffer.from(ca.publicKey.ski).toString('hex'),
    );
    assert.equal(ca.notAfter.getTime() - ca.notBefore.getTime(), 3650 * 86400 * 1000);

    const peer = Certificate.fromPem(org1.nodes[0]!.certificate);
    assert.equal(peer.commonName, 'peer0.org1.example.com');
    assert.deepEqual(peer.organizationalUnits, ['peer']);
    assert.equal(peer.isCA, false);
    assert.equal(peer.basicConstraintsValid, true);
    assert.equal(peer.keyUsage, 1);
    assert.deepEqual(peer.authorityKeyId, ca.subjectKeyId);

    const tls = Certificate.fromPem(org1.nodes[0]!.tls.certificate);
    assert.deepEqual(tls.dnsNames, ['peer0.org1.example.com', 'peer0', 'localhost']);
    assert.deepEqual(tls.ipAddresses, ['127.0.0.1']);
    assert.deepEqual(tls.extKeyUsage, ['2b06010505070301', '2b06010505070302']);
    assert.deepEqual(Certificate.fromPem(org1.admin.certificate).organizationalUnits, ['admin']);
    assert.deepEqual(Certificate.fromPem(org1.users[0]!.certificate).organizationalUnits, ['client']);
    assert.deepEqual(Certificate.fromPem(ordererOrg.nodes[0]!.certificate).organizationalUnits, ['orderer']);
    assert.equal(ordererOrg.nodes[0]!.name, 'orderer.example.com');
  });

  it('loads from disk and from memory into the same MSP, classifying every identity', async () => {
    const dir = join(tmp, org1.path);
    assert.deepEqual(
      Buffer.from(await loadMSPConfigBytes(join(dir, 'msp'), 'Org1MSP')),
      Buffer.from(org1.toMSP().toMSPConfigBytes()),
    );
    const orgMsp = await MSP.fromFolder(join(dir, 'msp'), 'Org1MSP');
    for (const ident of [...org1.nodes, org1.admin, ...org1.users]) {
      const fromDisk = await MSP.fromFolder(join(dir, ident.dir, 'msp'), 'Org1MSP');
      const signer = fromDisk.getSigningIdentity();
      const id = orgMsp.deserializeIdentity(signer.serialize());
      id.validate();
      assert.equal(orgMsp.nodeRole(id), ident.role);
      const mem = ident.toMSP().getSigningIdentity();
      assert.equal(mem.id, signer.id);
      const msg = Buffer.from('x');
      id.verify(msg, mem.sign(msg));
    }
  });

  it('TLS SANs: IPv4 and IPv6 literals become IP addresses, the rest DNS names', async () => {
    const org = await generateOrg({
      kind: 'orderer',
      domain: 'sans.example.com',
      mspId: 'SansMSP',
      sans: ['localhost', '127.0.0.1', '::1', '2001:db8::10', 'fe80:0:0:0:1:2:3:4', '1.2.3.999'],
    });
    const tls = Certificate.fromPem(org.nodes[0]!.tls.certificate);
    assert.deepEqual(tls.dnsNames, ['orderer.sans.example.com', 'orderer', 'localhost', '1.2.3.999']);
    assert.equal(tls.ipAddresses.length, 4);
    assert.equal(tls.ipAddresses[0], '127.0.0.1');
    const x = new X509Certificate(org.nodes[0]!.tls.certificate);
    for (const ip of ['127.0.0.1', '::1', '2001:db8::10', 'fe80::1:2:3:4']) assert.equal(x.checkIP(ip), ip);
    assert.equal(x.verify(new X509Certificate(org.tlsCa.certificate).publicKey), true);
  });

  it('ipBytes reads IP literals as Go net.ParseIP does, embedded IPv4 included', () => {
    const hex = (s: string): string | undefined => {
      const b = ipBytes(s);
      return b && Buffer.from(b).toString('hex');
    };
    assert.equal(hex('127.0.0.1'), '7f000001');
    assert.equal(hex('::1'), '00000000000000000000000000000001');
    assert.equal(hex('2001:db8::8:800:200c:417a'), '20010db80000000000080800200c417a');
    assert.equal(hex('::ffff:1.2.3.4'), '00000000000000000000ffff01020304');
    for (const bad of ['host', '1.2.3.256', '1::2::3', '::ffff:1.2.3', '1:2:3:4:5:6:7'])
      assert.equal(hex(bad), undefined);
  });

  it('without NodeOUs puts the admin in admincerts and still tells admins apart', async () => {
    const org = await generateOrg({
      kind: 'peer',
      domain: 'plain.example.com',
      mspId: 'PlainMSP',
      nodeOUs: false,
    });
    assert.ok(org.files.has('msp/admincerts/Admin@plain.example.com-cert.pem'));
    assert.ok(![...org.files.keys()].some((f) => f.endsWith('config.yaml')));
    const m = org.toMSP();
    const admin = m.deserializeIdentity(org.admin.toMSP().getSigningIdentity().serialize());
    const user = m.deserializeIdentity(org.users[0]!.toMSP().getSigningIdentity().serialize());
    assert.equal(m.isInAdmins(admin), true);
    assert.equal(m.isInAdmins(user), false);
    user.validate();
  });

  it('TLS certificates work with node:tls (server auth by name and IP, mutual TLS)', async () => {
    const peer = org1.nodes[0]!;
    const user = org1.users[0]!;
    const server = createServer(
      {
        cert: peer.tls.certificate,
        key: peer.tls.privateKey,
        ca: peer.tls.ca,
        requestCert: true,
        rejectUnauthorized: true,
      },
      (s) => s.end(`hello ${(s.getPeerCertificate().subject as { CN?: string }).CN}`),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const talk = (servername: string | undefined): Promise<string> =>
      new Promise((resolve, reject) => {
        const sock: TLSSocket = connect(
          {
            host: '127.0.0.1',
            port,
            servername,
            ca: user.tls.ca,
            cert: user.tls.certificate,
            key: user.tls.privateKey,
          },
          () => {
            let data = '';
            sock.on('data', (d) => (data += d));
            sock.on('end', () => resolve(data));
          },
        );
        sock.on('error', reject);
      });
    try {
      assert.equal(await talk('peer0.org1.example.com'), 'hello User1@org1.example.com');
      assert.equal(await talk('localhost'), 'hello User1@org1.example.com');
      assert.equal(await talk(undefined), 'hello User1@org1.example.com'); // checked against IP SAN 127.0.0.1
      await assert.rejects(talk('peer1.org1.example.com'), /does not match|altnames/i);
    } finally {
      server.close();
    }
  });
});
