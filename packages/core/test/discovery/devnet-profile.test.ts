// What a user of the zero-config peer does: fabric-network 2.2 with the dev network's own connection
// profile and discovery on (asLocalhost), against createPeer.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Gateway, Wallets, type X509Identity } from 'fabric-network';
import { common } from '@fabric-peer/protos';
import { BroadcastClient } from '../../src/orderer/index.js';
import { type Peer, createPeer } from '../../src/peer/index.js';
import { ASSET } from '../gateway/contract.js';
import { lifecycleTx } from '../gateway/harness.js';

describe('fabric-network with the dev network connection profile', () => {
  let peer: Peer;
  let gateway: Gateway;

  before(async () => {
    peer = await createPeer({}, { inMemory: true, chaincodes: { basic: ASSET } });
    await peer.start();
    const net = peer.devNetwork!;
    const admin = net.crypto!.peerOrg.admin.toMSP().getSigningIdentity();
    const h0 = peer.height(net.channelId);
    const orderer = new BroadcastClient(`127.0.0.1:${net.ports.orderer}`, { rootCerts: [net.ordererTlsCa] });
    try {
      const r = await orderer.broadcast(
        lifecycleTx(admin, net.peer.localMsp.getSigningIdentity(), net.channelId, 'basic'),
      );
      assert.equal(r.status, common.Status.SUCCESS, r.info);
    } finally {
      orderer.close();
    }
    for (let i = 0; i < 500 && peer.height(net.channelId) <= h0; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    const wallet = await Wallets.newInMemoryWallet();
    await wallet.put('user', {
      credentials: { certificate: net.user.certificate, privateKey: net.user.privateKey },
      mspId: net.user.mspId,
      type: 'X.509',
    } as X509Identity);
    gateway = new Gateway();
    await gateway.connect(net.connectionProfile as unknown as Record<string, unknown>, {
      wallet,
      identity: 'user',
      discovery: { enabled: true, asLocalhost: true },
    });
  });
  after(async () => {
    gateway?.disconnect();
    await peer?.stop();
  });

  test('submit and evaluate with discovery on', async () => {
    const contract = (await gateway.getNetwork(peer.devNetwork!.channelId)).getContract('basic');
    assert.equal((await contract.submitTransaction('put', 'dev', 'net')).toString(), 'net');
    assert.equal((await contract.evaluateTransaction('get', 'dev')).toString(), 'net');
  });
});
