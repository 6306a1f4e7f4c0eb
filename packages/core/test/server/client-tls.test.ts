// Client TLS towards an IP-literal address: no IP in the SNI server name (RFC 6066; Node's DEP0123
// warning), yet the server certificate is still checked against that IP, as Go's TLS does.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createServer as createTlsServer } from 'node:tls';
import * as grpc from '@grpc/grpc-js';
import { grpc as g } from '@fabric-peer/protos';
import { type DevOrg, generateOrg } from '@fabric-peer/msp';
import {
  type ClientTlsOptions,
  GrpcServer,
  clientChannelOptions,
  clientCredentials,
} from '../../src/server/index.js';

const HealthClient = grpc.makeGenericClientConstructor(g.health.v1.HealthService, 'Health');

function check(
  address: string,
  creds: grpc.ChannelCredentials,
  options: object,
  timeoutMs = 5000,
): Promise<void> {
  const c = new HealthClient(address, creds, options) as unknown as grpc.Client & {
    check(
      req: g.health.v1.HealthCheckRequest,
      o: { deadline: number },
      cb: (err: grpc.ServiceError | null) => void,
    ): void;
  };
  return new Promise((resolve, reject) =>
    c.check(g.health.v1.HealthCheckRequest.create({}), { deadline: Date.now() + timeoutMs }, (err) => {
      c.close();
      if (err) reject(err);
      else resolve();
    }),
  );
}

async function serve(org: DevOrg, host: string): Promise<{ server: GrpcServer; port: number }> {
  const cert = org.nodes[0]!.tls;
  const server = new GrpcServer({
    listenAddress: `${host.includes(':') ? `[${host}]` : host}:0`,
    tls: { cert: cert.certificate, key: cert.privateKey },
  });
  await server.start();
  return { server, port: server.port };
}

describe('client TLS to an IP address', () => {
  let org: DevOrg;
  let dnsOnly: DevOrg;
  const warnings: string[] = [];
  const onWarning = (w: Error & { code?: string }): void => void warnings.push(`${w.code}: ${w.message}`);

  before(async () => {
    org = await generateOrg({
      kind: 'orderer',
      domain: 'ip.example.com',
      mspId: 'IpMSP',
      sans: ['localhost', '127.0.0.1', '::1'],
    });
    dnsOnly = await generateOrg({
      kind: 'orderer',
      domain: 'dns.example.com',
      mspId: 'DnsMSP',
      sans: ['localhost'],
    });
    process.on('warning', onWarning);
  });
  after(() => {
    process.off('warning', onWarning);
  });

  it('IPv4: the handshake succeeds against the IP SAN and Node does not warn', async () => {
    const { server, port } = await serve(org, '127.0.0.1');
    try {
      const address = `127.0.0.1:${port}`;
      const tls = { rootCerts: [org.tlsCa.certificate] };
      await check(address, clientCredentials(tls), clientChannelOptions(tls));
      await check(`dns:${address}`, clientCredentials(tls), clientChannelOptions(tls));
      // An explicit override still wins, and names the certificate's DNS SAN.
      const named = { ...tls, serverNameOverride: 'localhost' };
      await check(address, clientCredentials(named), clientChannelOptions(named));
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(
        warnings.filter((w) => w.startsWith('DEP0123')),
        [],
      );
    } finally {
      await server.stop(0);
    }
  });

  it('IPv6: the same', async () => {
    const { server, port } = await serve(org, '::1');
    try {
      const address = `[::1]:${port}`;
      const tls = { rootCerts: [org.tlsCa.certificate] };
      await check(address, clientCredentials(tls), clientChannelOptions(tls));
    } finally {
      await server.stop(0);
    }
  });

  it('a certificate without that IP in its SANs is still refused', async () => {
    const { server, port } = await serve(dnsOnly, '127.0.0.1');
    try {
      const address = `127.0.0.1:${port}`;
      const tls = { rootCerts: [dnsOnly.tlsCa.certificate] };
      await assert.rejects(check(address, clientCredentials(tls), clientChannelOptions(tls)));
      // Same CA, same server: by its DNS name it is fine.
      const named = { ...tls, serverNameOverride: 'localhost' };
      await check(address, clientCredentials(named), clientChannelOptions(named));
    } finally {
      await server.stop(0);
    }
  });

  it('the server name sent: the reverse-DNS name for an IP, else the host or the override', async () => {
    // A bare TLS server that records the SNI of each handshake, then hangs up.
    const seen: (string | false)[] = [];
    const cert = org.nodes[0]!.tls;
    const server = createTlsServer(
      { cert: cert.certificate, key: cert.privateKey, ALPNProtocols: ['h2'] },
      (socket) => {
        seen.push(socket.servername ?? false);
        socket.destroy();
      },
    );
    await new Promise<void>((r) => server.listen(0, '::', r)); // both 127.0.0.1 and ::1
    const port = (server.address() as AddressInfo).port;
    const dial = async (address: string, tls: ClientTlsOptions): Promise<void> => {
      await check(address, clientCredentials(tls), clientChannelOptions(tls), 300).catch(() => undefined);
    };
    try {
      const tls = { rootCerts: [org.tlsCa.certificate] };
      await dial(`127.0.0.1:${port}`, tls);
      await dial(`dns:127.0.0.1:${port}`, tls);
      await dial(`[::1]:${port}`, tls);
      await dial(`localhost:${port}`, tls);
      await dial(`127.0.0.1:${port}`, { ...tls, serverNameOverride: 'orderer.ip.example.com' });
      assert.deepEqual(
        [...new Set(seen)],
        ['1.0.0.127.in-addr.arpa', `1${'.0'.repeat(31)}.ip6.arpa`, 'localhost', 'orderer.ip.example.com'],
      );
    } finally {
      server.close();
    }
  });
});
