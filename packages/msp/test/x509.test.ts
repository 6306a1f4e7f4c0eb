// The DER certificate parser agrees with OpenSSL (node:crypto X509Certificate) on every fixture certificate.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Certificate, PublicKey, decodePemBlocks, encodePem } from '../src/index.js';
import { CRYPTO } from './fixtures.js';

function certFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) certFiles(p, out);
    else if (name.endsWith('.pem') || name.endsWith('.crt')) out.push(p);
  }
  return out;
}

describe('Certificate', () => {
  const files = certFiles(CRYPTO);

  it('parses every fixture certificate like OpenSSL does', () => {
    assert.ok(files.length > 50);
    for (const f of files) {
      const pem = readFileSync(f);
      const ours = Certificate.fromPem(pem);
      const node = new X509Certificate(pem);
      assert.equal(ours.serialNumber, node.serialNumber.toLowerCase().replace(/^0+/, ''), f);
      assert.equal(ours.notBefore.getTime(), new Date(node.validFrom).getTime(), f);
      assert.equal(ours.notAfter.getTime(), new Date(node.validTo).getTime(), f);
      assert.equal(ours.isCA, node.ca, f);
      assert.equal(ours.commonName, /CN=(.*)/.exec(node.subject)![1], f);
      assert.deepEqual(
        ours.organizationalUnits,
        [...node.subject.matchAll(/^OU=(.*)$/gm)].map((m) => m[1]),
        f,
      );
      const san = [
        ...ours.dnsNames.map((d) => `DNS:${d}`),
        ...ours.ipAddresses.map((i) => `IP Address:${i}`),
      ].join(', ');
      assert.equal(san, node.subjectAltName ?? '', f);
      assert.deepEqual(Buffer.from(ours.raw), node.raw, f);
      assert.equal(encodePem('CERTIFICATE', ours.raw), ours.toPem());
      const pub = PublicKey.fromSpki(ours.spki);
      assert.equal(
        pub.keyObject
          .export({ format: 'der', type: 'spki' })
          .equals(node.publicKey.export({ format: 'der', type: 'spki' })),
        true,
      );
      assert.deepEqual(Buffer.from(pub.toSpki()), Buffer.from(ours.spki));
    }
  });

  it('checks issuance like OpenSSL', () => {
    const certs = files.map((f) => ({
      ours: Certificate.fromPem(readFileSync(f)),
      node: new X509Certificate(readFileSync(f)),
    }));
    const cas = certs.filter((c) => c.ours.isCA);
    for (const leaf of certs) {
      for (const ca of cas) {
        assert.equal(leaf.ours.isSignedBy(ca.ours), leaf.node.verify(ca.node.publicKey));
      }
    }
  });

  it('reads several PEM blocks and ignores text around them', () => {
    const a = readFileSync(files[0]!, 'utf8');
    const b = readFileSync(files[1]!, 'utf8');
    const blocks = decodePemBlocks(`junk\n${a}between\n${b}trailer`);
    assert.equal(blocks.length, 2);
    assert.equal(blocks[0]!.type, 'CERTIFICATE');
    assert.equal(decodePemBlocks(a + b, 'PRIVATE KEY').length, 0);
  });
});
