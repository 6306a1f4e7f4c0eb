import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateOrg } from '@fabric-peer/msp';
import { common } from '@fabric-peer/protos';
import { createSignedEnvelope } from '../../src/configtx/index.js';
import { fetchBlock } from '../../src/deliverclient/index.js';
import { type RunningDevNetwork, startDevNetwork } from '../../src/devnet/index.js';

describe('fetchBlock (peer channel fetch)', () => {
  let dev: RunningDevNetwork;
  before(async () => {
    dev = await startDevNetwork({ inMemory: true });
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
    await dev.orderer.broadcast(env);
    for await (const b of dev.orderer.registrar.getChain('mychannel')!.store.blocksFrom(1)) if (b) break;
  });
  after(() => dev.stop());

  const fetch = (position: 'newest' | 'oldest' | 'config' | number, signer = dev.network.peer.localMsp) =>
    fetchBlock({
      address: `localhost:${dev.network.ports.orderer}`,
      tls: {
        rootCerts: [dev.network.ordererTlsCa],
        cert: dev.network.peer.tls.cert,
        key: dev.network.peer.tls.key,
        serverNameOverride: 'orderer.example.com',
      },
      channelId: 'mychannel',
      signer: signer.getSigningIdentity(),
      position,
    });

  it('fetches newest, oldest, a number and the config block', async () => {
    assert.equal((await fetch('newest')).header!.number, 1);
    assert.equal((await fetch('oldest')).header!.number, 0);
    assert.equal((await fetch(1)).header!.number, 1);
    assert.equal((await fetch('config')).header!.number, 0);
  });

  it('rejects with the orderer status when the signer is no reader', async () => {
    const stranger = (await generateOrg({ kind: 'peer', domain: 'org9.example.com', mspId: 'Org9MSP' }))
      .nodes[0]!;
    await assert.rejects(fetch('newest', stranger.toMSP()), /FORBIDDEN/);
  });
});
