// Client TLS towards an IP-literal address: no IP in the SNI server name (RFC 6066; Node's DEP0123
// warning), yet the server certificate is still checked against that IP, as Go's TLS does.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { grpc as g } from '@fabric-peer/protos';
import { type DevOrg, generateOrg } from '@fabric-peer/msp';
import { GrpcServer, clientChannelOptions, clientCredentials } from '../../src/server/index.js';

const HealthClient = grpc.makeGenericClientConstructor(g.health.v1.HealthService, 'Health');

function check(address: string, creds: grpc.ChannelCredentials, options: object): Promise<void> {
  const c = new HealthClient(address, creds, options) as unknown as grpc.Client & {
    check(
      req: g.health.v1.HealthCheckRequest,
      o: { deadline: number },
      cb: (err: grpc.ServiceError | null) => void,
    ): void;
  };
  return new Promise((resolve, reject) =>
    c.check(g.health.v1.HealthCheckRequest.create({}), { deadline: Date.now() + 5000 }, (err) => {
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
      assert.equal(
        clientChannelOptions(tls, address)['grpc.ssl_target_name_override'],
        '1.0.0.127.in-addr.arpa',
      );
      await check(address, clientCredentials(tls), clientChannelOptions(tls, address));
      await check(`dns:${address}`, clientCredentials(tls), clientChannelOptions(tls, `dns:${address}`));
      // An explicit override still wins, and names the certificate's DNS SAN.
      const named = { ...tls, serverNameOverride: 'localhost' };
      await check(address, clientCredentials(named), clientChannelOptions(named, address));
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(
        warnings.filter((w) => w.startsWith('DEP0123')),
        [],
      );
    } finally {
      await server.stop(0);
    }
  });

  it('IPv6: the same with the ip6.arpa name', async () => {
    const { server, port } = await serve(org, '::1');
    try {
      const address = `[::1]:${port}`;
      const tls = { rootCerts: [org.tlsCa.certificate] };
      const name = String(clientChannelOptions(tls, address)['grpc.ssl_target_name_override']);
      assert.match(name, /^1\.0(\.0){30}\.ip6\.arpa$/);
      await check(address, clientCredentials(tls), clientChannelOptions(tls, address));
    } finally {
      await server.stop(0);
    }
  });

  it('a certificate without that IP in its SANs is still refused', async () => {
    const { server, port } = await serve(dnsOnly, '127.0.0.1');
    try {
      const address = `127.0.0.1:${port}`;
      const tls = { rootCerts: [dnsOnly.tlsCa.certificate] };
      await assert.rejects(check(address, clientCredentials(tls), clientChannelOptions(tls, address)));
      // Same CA, same server: by its DNS name it is fine.
      const named = { ...tls, serverNameOverride: 'localhost' };
      await check(address, clientCredentials(named), clientChannelOptions(named, address));
    } finally {
      await server.stop(0);
    }
  });

  it('host names and plaintext are left alone', () => {
    const tls = { rootCerts: [org.tlsCa.certificate] };
    assert.equal(clientChannelOptions(tls, 'localhost:7050')['grpc.ssl_target_name_override'], undefined);
    assert.equal(
      clientChannelOptions(undefined, '127.0.0.1:7050')['grpc.ssl_target_name_override'],
      undefined,
    );
    assert.equal(clientChannelOptions(tls)['grpc.ssl_target_name_override'], undefined);
  });
});
