// The chaincode TLS CA: what its certificates carry, and that node's TLS accepts them both ways.
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { connect, createServer, type TLSSocket } from 'node:tls';
import { describe, it } from 'node:test';
import { TLSCA } from '../../src/chaincode/index.js';

const YEAR_MS = 365 * 24 * 3600 * 1000;
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

describe('TLSCA', () => {
  it('makes a CA certificate: CA:TRUE, self-signed, one year back-dated five minutes', async () => {
    const t0 = Date.now();
    const ca = await TLSCA.create('my chaincode CA');
    const cert = new X509Certificate(ca.certPem);
    assert.equal(cert.ca, true);
    assert.equal(cert.subject, 'CN=my chaincode CA');
    assert.equal(cert.issuer, cert.subject);
    assert.ok(cert.verify(cert.publicKey));
    const notBefore = Date.parse(cert.validFrom);
    const notAfter = Date.parse(cert.validTo);
    assert.ok(Math.abs(t0 - 5 * 60_000 - notBefore) < 2000, cert.validFrom);
    assert.equal(notAfter - notBefore, YEAR_MS);
    assert.equal(cert.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
  });

  it('issues server certificates with every host in the SAN, server and client auth', async () => {
    const ca = await TLSCA.create();
    const caCert = new X509Certificate(ca.certPem);
    const server = await ca.newServerCert(['localhost', '127.0.0.1', '::1', 'peer0.org1.example.com']);
    const cert = new X509Certificate(server.certPem);
    assert.equal(cert.subject, 'CN=localhost');
    assert.equal(cert.ca, false);
    assert.ok(cert.checkIssued(caCert));
    assert.ok(cert.verify(caCert.publicKey));
    assert.equal(
      cert.subjectAltName,
      'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:peer0.org1.example.com',
    );
    assert.deepEqual([...(cert.keyUsage ?? [])].sort(), [SERVER_AUTH, CLIENT_AUTH]);
    assert.ok(cert.checkHost('localhost'));
    assert.ok(cert.checkIP('127.0.0.1'));
    assert.ok(cert.checkIP('::1'));
    assert.equal(Date.parse(cert.validTo) - Date.parse(cert.validFrom), YEAR_MS);
    // the key is PKCS#8 and belongs to the certificate
    assert.ok(server.keyPem.startsWith('-----BEGIN PRIVATE KEY-----\n'));
    assert.ok(cert.checkPrivateKey(createPrivateKey(server.keyPem)));
  });

  it('issues client certificates: client auth only, no SAN, a fresh key each', async () => {
    const ca = await TLSCA.create();
    const a = await ca.newClientCert('mycc:1.0');
    const b = await ca.newClientCert('mycc:1.0');
    const cert = new X509Certificate(a.certPem);
    assert.equal(cert.subject, 'CN=mycc:1.0');
    assert.equal(cert.subjectAltName, undefined);
    assert.deepEqual(cert.keyUsage, [CLIENT_AUTH]);
    assert.ok(cert.checkIssued(new X509Certificate(ca.certPem)));
    assert.notEqual(a.keyPem, b.keyPem);
    assert.notEqual(cert.serialNumber, new X509Certificate(b.certPem).serialNumber);
  });

  it('is what a mutual TLS handshake accepts, and a stranger CA is refused', async () => {
    const ca = await TLSCA.create();
    const server = await ca.newServerCert(['localhost', '127.0.0.1']);
    const client = await ca.newClientCert('mycc');
    const tls = createServer(
      {
        cert: server.certPem,
        key: server.keyPem,
        ca: ca.certPem,
        requestCert: true,
        rejectUnauthorized: true,
      },
      (s) => {
        s.end((s.getPeerCertificate() as { subject?: { CN?: string } }).subject?.CN ?? '');
      },
    );
    const refused: Error[] = [];
    tls.on('tlsClientError', (err) => refused.push(err));
    tls.listen(0, '127.0.0.1');
    await once(tls, 'listening');
    const port = (tls.address() as AddressInfo).port;
    const dial = async (pair: { certPem: string; keyPem: string }, host: string): Promise<string> => {
      const socket: TLSSocket = connect({
        host: '127.0.0.1',
        port,
        servername: host,
        ca: ca.certPem,
        cert: pair.certPem,
        key: pair.keyPem,
      });
      let data = '';
      socket.setEncoding('utf8');
      socket.on('data', (d: string) => (data += d));
      await once(socket, 'end');
      socket.destroy();
      return data;
    };
    try {
      assert.equal(await dial(client, 'localhost'), 'mycc');
      const stranger = await (await TLSCA.create('someone else')).newClientCert('mycc');
      // TLS 1.3: the client may finish its side before the server rejects its certificate
      const answer = await dial(stranger, 'localhost').catch(() => 'refused');
      assert.notEqual(answer, 'mycc');
      assert.equal(refused.length, 1);
      assert.equal(await dial(client, 'localhost'), 'mycc');
    } finally {
      tls.close();
    }
  });
});
