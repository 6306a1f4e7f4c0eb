// The peer's gRPC server: TLS with the fixture's cryptogen certificates, mutual TLS with Fabric's TLS
// cert hash binding on Deliver, grpc.health.v1, and peer.limits.concurrency.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import * as fp from '@hyperledger/fabric-protos';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { grpc as g } from '@fabric-peer/protos';
import {
  CLIENT_CERT_HASH,
  credentials,
  deliverClient,
  deliverOnce,
  endorserClient,
  FIXTURE,
  genesisBytes,
  processProposal,
  seekEnvelope,
  signedProposal,
  startPeer,
  tempDir,
  TLS_CA,
  userOrg1,
} from '../peer/harness.js';
import { clientCredentials } from '../../src/server/index.js';

const HealthClient = grpc.makeGenericClientConstructor(g.health.v1.HealthService, 'Health');

function healthCheck(
  address: string,
  creds: grpc.ChannelCredentials,
  service = '',
): Promise<g.health.v1.HealthCheckResponse> {
  const c = new HealthClient(address, creds) as unknown as grpc.Client & {
    check(
      req: g.health.v1.HealthCheckRequest,
      cb: (err: grpc.ServiceError | null, res?: g.health.v1.HealthCheckResponse) => void,
    ): void;
  };
  return new Promise((resolve, reject) =>
    c.check(g.health.v1.HealthCheckRequest.create({ service }), (err, res) => {
      c.close();
      if (err) reject(err);
      else resolve(res!);
    }),
  );
}

describe('gRPC server', () => {
  it('serves over TLS with the cryptogen certificates; plaintext clients get nothing', async () => {
    const peer = await startPeer({ tls: true });
    try {
      const user = await userOrg1();
      const ok = endorserClient(peer.address, true);
      const r = await processProposal(
        ok,
        signedProposal({ channel: '', chaincode: 'cscc', args: ['GetChannels'], signer: user }),
      );
      assert.equal(r.getResponse()!.getStatus(), 200);
      ok.close();
      const plain = endorserClient(peer.address, false);
      await assert.rejects(
        processProposal(
          plain,
          signedProposal({ channel: '', chaincode: 'cscc', args: ['GetChannels'], signer: user }),
        ),
        (err: grpc.ServiceError) => err.code === grpc.status.UNAVAILABLE,
      );
      plain.close();
      const h = await healthCheck(peer.address, credentials(true));
      assert.equal(h.status, g.health.v1.HealthCheckResponse_ServingStatus.SERVING);
      assert.equal((await healthCheck(peer.address, credentials(true), 'protos.Endorser')).status, 1);
    } finally {
      await peer.stop();
    }
  });

  it('mutual TLS: no client certificate, no call; Deliver checks the TLS cert hash binding', async () => {
    const peer = await startPeer({ mutualTls: true });
    try {
      await peer.joinChannel(genesisBytes());
      const user = await userOrg1();
      const noCert = endorserClient(peer.address, true, false);
      await assert.rejects(
        processProposal(
          noCert,
          signedProposal({ channel: '', chaincode: 'cscc', args: ['GetChannels'], signer: user }),
        ),
      );
      noCert.close();
      const client = deliverClient(peer.address, true, true);
      const unbound = await deliverOnce(
        client,
        'deliver',
        seekEnvelope({ channel: 'mychannel', start: 0, stop: 0, signer: user }),
      );
      assert.equal(unbound.status, fp.common.Status.BAD_REQUEST);
      unbound.call.end();
      const wrong = await deliverOnce(
        client,
        'deliver',
        seekEnvelope({
          channel: 'mychannel',
          start: 0,
          stop: 0,
          signer: user,
          tlsCertHash: new Uint8Array(32),
        }),
      );
      assert.equal(wrong.status, fp.common.Status.BAD_REQUEST);
      wrong.call.end();
      const bound = await deliverOnce(
        client,
        'deliver',
        seekEnvelope({
          channel: 'mychannel',
          start: 0,
          stop: 0,
          signer: user,
          tlsCertHash: CLIENT_CERT_HASH(),
        }),
      );
      assert.equal(bound.status, fp.common.Status.SUCCESS);
      assert.equal(bound.blocks.length, 1);
      bound.call.end();
      client.close();
    } finally {
      await peer.stop();
    }
  });

  it("mutual TLS admits the joined channels' orgs' TLS CAs (from the next start)", async () => {
    using tmp = tempDir();
    const peer = await startPeer({ mutualTls: true, dir: tmp.dir });
    const org2Tls = join(
      FIXTURE,
      'crypto/peerOrganizations/org2.example.com/peers/peer0.org2.example.com/tls',
    );
    const org2Creds = clientCredentials({
      rootCerts: [TLS_CA],
      key: readFileSync(join(org2Tls, 'server.key')),
      cert: readFileSync(join(org2Tls, 'server.crt')),
    });
    const user = await userOrg1();
    const ask = async (): Promise<number> => {
      const c = new fp.peer.EndorserClient(peer.address, org2Creds);
      try {
        const r = await processProposal(
          c,
          signedProposal({ channel: '', chaincode: 'cscc', args: ['GetChannels'], signer: user }),
        );
        return r.getResponse()!.getStatus();
      } finally {
        c.close();
      }
    };
    try {
      await assert.rejects(ask(), (err: grpc.ServiceError) => err.code === grpc.status.UNAVAILABLE);
      await peer.joinChannel(genesisBytes());
      await peer.stop();
      await peer.start();
      assert.equal(await ask(), 200);
    } finally {
      await peer.stop();
    }
  });

  it('peer.limits.concurrency.deliverService: a stream over the limit gets RESOURCE_EXHAUSTED', async () => {
    const peer = await startPeer({ config: { peer: { limits: { concurrency: { deliverService: 1 } } } } });
    try {
      await peer.joinChannel(genesisBytes());
      const user = await userOrg1();
      const client = deliverClient(peer.address);
      // The first stream waits forever for block 1 and holds the only slot.
      const first = client.deliver();
      first.on('error', () => undefined);
      const firstData = new Promise((resolve) => first.once('data', resolve));
      first.write(seekEnvelope({ channel: 'mychannel', start: 0, stop: 'max', signer: user }));
      await firstData;
      await assert.rejects(
        deliverOnce(
          client,
          'deliver',
          seekEnvelope({ channel: 'mychannel', start: 0, stop: 0, signer: user }),
        ),
        (err: grpc.ServiceError) => {
          assert.equal(err.code, grpc.status.RESOURCE_EXHAUSTED);
          assert.match(
            err.details,
            /too many requests for \/protos.Deliver, exceeding concurrency limit \(1\)/,
          );
          return true;
        },
      );
      first.cancel();
      await new Promise((r) => setTimeout(r, 50));
      const again = await deliverOnce(
        client,
        'deliver',
        seekEnvelope({ channel: 'mychannel', start: 0, stop: 0, signer: user }),
      );
      assert.equal(again.status, fp.common.Status.SUCCESS);
      again.call.end();
      client.close();
    } finally {
      await peer.stop();
    }
  });
});
