import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { LoggingSystem } from '../../src/logging/index.js';
import { OperationsServer } from '../../src/operations/index.js';

// Real cryptogen TLS material: peer0.org1's server pair, org1's TLS CA, users' client pairs.
const CRYPTO = fileURLToPath(new URL('../../../../test/fixtures/fabric-2.5.12/crypto/', import.meta.url));
const org1 = join(CRYPTO, 'peerOrganizations/org1.example.com');
const org2 = join(CRYPTO, 'peerOrganizations/org2.example.com');
const serverTls = join(org1, 'peers/peer0.org1.example.com/tls');
const org1TlsCa = join(org1, 'tlsca/tlsca.org1.example.com-cert.pem');
const client = (org: string, name: string): { cert: Buffer; key: Buffer } => ({
  cert: readFileSync(join(org, 'users', name, 'tls/client.crt')),
  key: readFileSync(join(org, 'users', name, 'tls/client.key')),
});

interface Reply {
  status: number;
  body: string;
}

function get(
  server: OperationsServer,
  path: string,
  identity?: { cert: Buffer; key: Buffer },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${server.url}${path}`,
      { ca: readFileSync(org1TlsCa), agent: false, ...(identity ?? {}) },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const servers: OperationsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function tlsServer(clientAuthRequired: boolean): Promise<OperationsServer> {
  const server = new OperationsServer({
    listenAddress: '127.0.0.1:0',
    logging: new LoggingSystem({ spec: 'warn', writer: { write: () => undefined } }),
    tls: {
      enabled: true,
      certFile: join(serverTls, 'server.crt'),
      keyFile: join(serverTls, 'server.key'),
      clientAuthRequired,
      clientRootCAFiles: [org1TlsCa],
    },
  });
  servers.push(server);
  await server.start();
  return server;
}

describe('OperationsServer over TLS', () => {
  it('leaves /healthz open and guards /logspec with a verified client certificate', async () => {
    const server = await tlsServer(false);
    assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.equal((await get(server, '/healthz')).status, 200);
    assert.equal((await get(server, '/version')).status, 200);
    assert.equal((await get(server, '/logspec')).status, 401);
    // A certificate from another CA is refused outright, as Go's VerifyClientCertIfGiven does.
    await assert.rejects(get(server, '/healthz', client(org2, 'User1@org2.example.com')));
    const ok = await get(server, '/logspec', client(org1, 'User1@org1.example.com'));
    assert.equal(ok.status, 200);
    assert.deepEqual(JSON.parse(ok.body), { spec: 'warn' });
  });

  it('refuses the handshake without a client certificate when clientAuthRequired', async () => {
    const server = await tlsServer(true);
    await assert.rejects(get(server, '/healthz'));
    await assert.rejects(get(server, '/healthz', client(org2, 'User1@org2.example.com')));
    assert.equal((await get(server, '/healthz', client(org1, 'Admin@org1.example.com'))).status, 200);
  });

  it('reports unreadable TLS material as OperationsError', async () => {
    const server = new OperationsServer({
      listenAddress: '127.0.0.1:0',
      tls: { enabled: true, certFile: '/nonexistent/server.crt', keyFile: '/nonexistent/server.key' },
    });
    await assert.rejects(
      server.start(),
      (err: unknown) => (err as { code?: string }).code === 'OPERATIONS_TLS_CONFIG',
    );
  });
});
