// createPeer as a library: bound ports, restart on the same folder (channels and heights come
// back), operations (/healthz, Fabric metrics), start/stop idempotence, a generated MSP handed in.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateOrg } from '@fabric-peer/msp';
import { common } from '@fabric-peer/protos';
import { createPeer, PeerError } from '../../src/index.js';
import {
  endorserClient,
  genesisBytes,
  ordererBlockBytes,
  processProposal,
  quietLogging,
  signedProposal,
  startPeer,
  tempDir,
  userOrg1,
} from '../peer/harness.js';

describe('createPeer', () => {
  it('restarted on the same folder, the peer comes back with its channels and heights', async () => {
    using tmp = tempDir();
    const peer = await startPeer({ dir: tmp.dir });
    await peer.joinChannel(genesisBytes());
    for (let n = 1; n <= 6; n++)
      await peer.commitBlock('mychannel', common.Block.decode(ordererBlockBytes(n)));
    assert.equal(peer.height('mychannel'), 7);
    await peer.stop();
    assert.equal(peer.running, false);
    assert.throws(() => peer.address, PeerError);

    // Same Peer object, started again.
    await peer.start();
    assert.deepEqual(peer.channels(), ['mychannel']);
    assert.equal(peer.height('mychannel'), 7);
    await peer.commitBlock('mychannel', common.Block.decode(ordererBlockBytes(7)));
    await peer.stop();

    // A new peer on the same folder.
    const again = await startPeer({ dir: tmp.dir });
    try {
      assert.deepEqual(again.channels(), ['mychannel']);
      assert.equal(again.height('mychannel'), 8);
      const user = await userOrg1();
      const client = endorserClient(again.address);
      const r = await processProposal(
        client,
        signedProposal({
          channel: 'mychannel',
          chaincode: 'qscc',
          args: ['GetChainInfo', 'mychannel'],
          signer: user,
        }),
      );
      client.close();
      assert.equal(r.getResponse()!.getStatus(), 200);
    } finally {
      await again.stop();
    }
  });

  it('exposes bound ports, /healthz and Fabric metrics on the operations server', async () => {
    await using peer = await startPeer({ config: { metrics: { provider: 'prometheus' } } });
    assert.match(peer.address, /^127\.0\.0\.1:\d+$/);
    assert.notEqual(peer.address, '127.0.0.1:0');
    assert.match(peer.chaincodeAddress, /^127\.0\.0\.1:\d+$/);
    assert.match(peer.operationsAddress, /^http:\/\/127\.0\.0\.1:\d+$/);
    await peer.joinChannel(genesisBytes());
    const user = await userOrg1();
    const client = endorserClient(peer.address);
    await processProposal(
      client,
      signedProposal({ channel: '', chaincode: 'cscc', args: ['GetChannels'], signer: user }),
    );
    client.close();
    const health = await fetch(`${peer.operationsAddress}/healthz`);
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as { status: string }).status, 'OK');
    const metrics = await (await fetch(`${peer.operationsAddress}/metrics`)).text();
    assert.match(metrics, /^endorser_proposals_received 1$/m);
    assert.match(metrics, /^ledger_blockchain_height\{channel="mychannel"\} 1$/m);
    assert.match(
      metrics,
      /^grpc_server_unary_requests_received\{service="protos_Endorser",method="ProcessProposal"\} 1$/m,
    );
    assert.match(
      metrics,
      /^grpc_server_unary_requests_completed\{service="protos_Endorser",method="ProcessProposal",code="OK"\} 1$/m,
    );
  });

  it('takes an MSP from generateOrg, and start()/stop() are idempotent', async () => {
    const org = await generateOrg({ kind: 'peer', domain: 'org1.example.com', mspId: 'Org1MSP' });
    const peer = await createPeer(
      { peer: { listenAddress: '127.0.0.1:0' }, operations: { listenAddress: '127.0.0.1:0' } },
      { inMemory: true, msp: org.nodes[0]!.toMSP(), logging: quietLogging(), pullBlocks: false },
    );
    await Promise.all([peer.start(), peer.start()]);
    assert.equal(peer.mspId, 'Org1MSP');
    assert.deepEqual(peer.channels(), []);
    await peer.stop();
    await peer.stop();
  });

  it('with no MSP named, runs inside a zero-config dev network (embedded orderer, joined channel), restartable', async () => {
    const peer = await createPeer({}, { inMemory: true, logging: quietLogging() });
    try {
      await peer.start();
      assert.ok(peer.devNetwork);
      assert.deepEqual(peer.channels(), [peer.devNetwork.channelId]);
      assert.equal(peer.height(peer.devNetwork.channelId), 1);
      assert.match(peer.address, /^127\.0\.0\.1:\d+$/);
      await peer.stop();
      await peer.start();
      // In memory nothing survives a stop: the dev channel is joined afresh.
      assert.deepEqual(peer.channels(), [peer.devNetwork.channelId]);
      assert.equal(peer.height(peer.devNetwork.channelId), 1);
    } finally {
      await peer.stop();
    }
  });

  it('refuses an idemix local MSP and a missing MSP folder, leaving nothing open', async () => {
    const idemix = await createPeer(
      { peer: { localMspType: 'idemix', listenAddress: '127.0.0.1:0' } },
      { inMemory: true, logging: quietLogging(), devNetwork: false },
    );
    await assert.rejects(idemix.start(), (err: PeerError) => err.code === 'PEER_MSP_TYPE_UNSUPPORTED');
    const missing = await createPeer(
      { peer: { mspConfigPath: '/nonexistent/msp', listenAddress: '127.0.0.1:0' } },
      { inMemory: true, logging: quietLogging() },
    );
    await assert.rejects(missing.start(), (err: PeerError) => err.code === 'PEER_MSP_LOAD_FAILED');
  });
});
