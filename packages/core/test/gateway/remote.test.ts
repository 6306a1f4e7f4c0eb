// Asking another peer: RemoteEndorser over gRPC + TLS against a running peer's Endorser, and a peer
// that cannot be dialled within peer.gateway.dialTimeout reported as UNAVAILABLE (another may be tried).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { status } from '@grpc/grpc-js';
import { RemoteEndorser, responseStatus } from '../../src/gateway/index.js';
import { ASSET } from './contract.js';
import { type TestNetwork, startTestNetwork } from './harness.js';
import { signedProposal } from './proposal.js';

describe('remote endorsers', () => {
  let t: TestNetwork;

  before(async () => {
    t = await startTestNetwork();
    await t.defineChaincode('basic', ASSET);
  });
  after(async () => {
    await t.close();
  });

  test('a reachable peer endorses over gRPC with TLS', async () => {
    const remote = new RemoteEndorser(t.peerAddress, 'Org1MSP', { rootCerts: [t.net.peer.tls.ca] }, 2000);
    try {
      const signer = t.net.crypto!.peerOrg.users[0]!.toMSP().getSigningIdentity();
      const { sp } = signedProposal(signer, t.channelId, 'basic', ['put', 'r1', 'remote']);
      const pr = await remote.processProposal(sp, 5000);
      assert.equal(pr.response?.status, 200);
      assert.ok(pr.endorsement !== undefined);
      assert.equal(responseStatus(pr).code, status.OK);
    } finally {
      remote.close();
    }
  });

  test('an unreachable peer fails within the dial timeout as UNAVAILABLE, to be retried elsewhere', async () => {
    const remote = new RemoteEndorser('127.0.0.1:1', 'Org2MSP', undefined, 300);
    const t0 = performance.now();
    const err = await remote
      .processProposal({ proposalBytes: Buffer.from('x'), signature: Buffer.alloc(0) }, 5000)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    remote.close();
    assert.ok(err instanceof Error);
    assert.match(err.message, /failed to connect to 127.0.0.1:1/);
    assert.ok(performance.now() - t0 < 3000);
    const st = responseStatus(undefined, err);
    assert.equal(st.code, status.UNAVAILABLE);
    assert.equal(st.retry, true);
  });
});

describe('commit status waits', () => {
  test('a wait for a transaction not yet committed ends as UNAVAILABLE when the gateway closes', async () => {
    const t = await startTestNetwork();
    try {
      const wait = t.services.gateway!.commits.status(t.channelId, 'f'.repeat(64));
      const outcome = wait.then(
        () => 'resolved',
        (err: Error) => err.message,
      );
      await new Promise((r) => setTimeout(r, 50));
      t.services.gateway!.commits.close();
      assert.equal(await outcome, 'the peer is shutting down');
    } finally {
      await t.close();
    }
  });
});
