// The dev network composed with createPeer as the no-MSP path would: a peer with the dev network's
// MSP and TLS joins mychannel and its deliver client pulls the embedded orderer's blocks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { common } from '@fabric-peer/protos';
import { createSignedEnvelope } from '../../src/configtx/index.js';
import { devPeerInputs, startDevNetwork } from '../../src/devnet/index.js';
import { createPeer } from '../../src/peer/index.js';
import { LoggingSystem } from '../../src/logging/index.js';

describe('dev network + createPeer', () => {
  it('a submitted transaction reaches the peer’s ledger in milliseconds', async () => {
    const dev = await startDevNetwork({ inMemory: true });
    const inputs = devPeerInputs(dev.network);
    const peer = await createPeer(inputs.config, {
      ...inputs.options,
      logging: new LoggingSystem({ spec: 'error', writer: { write: () => true } }),
    });
    try {
      await peer.start();
      if (!peer.channels().includes(inputs.channelId)) await peer.joinChannel(inputs.genesisBlock);
      const user = dev.network.crypto!.peerOrg.users[0]!.toMSP().getSigningIdentity();
      const env = createSignedEnvelope(
        common.HeaderType.ENDORSER_TRANSACTION,
        'mychannel',
        user,
        new Uint8Array(),
        {
          withTxId: true,
        },
      );
      const t0 = performance.now();
      assert.equal((await dev.orderer.broadcast(env)).status, common.Status.SUCCESS);
      while (peer.height('mychannel') < 2 && performance.now() - t0 < 5000)
        await new Promise((r) => setTimeout(r, 2));
      assert.equal(peer.height('mychannel'), 2);
    } finally {
      await peer.stop();
      await dev.stop();
    }
  });
});
