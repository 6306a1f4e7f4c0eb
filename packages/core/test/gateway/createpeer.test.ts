// The gateway as createPeer serves it: the zero-config dev network in memory (embedded orderer, TLS),
// the asset contract in process, and the real fabric-gateway client in its own process.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Peer, createPeer } from '../../src/peer/index.js';
import { runScenario } from './client.js';
import { ASSET } from './contract.js';

describe('gateway served by createPeer on the dev network', () => {
  let peer: Peer;

  before(async () => {
    peer = await createPeer({}, { inMemory: true, chaincodes: { basic: ASSET } });
    await peer.start();
    // start() defines `basic` on the dev channel (Org1 Admin's approve + commit through _lifecycle).
  });
  after(async () => {
    await peer?.stop();
  });

  test('evaluate, submit, async commit status and a chaincode error through the real client', async () => {
    const net = peer.devNetwork!;
    const r = await runScenario<{
      submitted: string;
      evaluated: string;
      async: { code: number; successful: boolean };
      missing: { error?: { code: number; details?: { mspId: string }[] } };
    }>('basic', {
      address: `localhost:${peer.address.split(':').pop()!}`,
      tlsCa: net.peer.tls.ca,
      mspId: net.user.mspId,
      certificate: net.user.certificate,
      privateKey: net.user.privateKey,
      channel: net.channelId,
      chaincode: 'basic',
    });
    assert.equal(r.submitted, 'v1');
    assert.equal(r.evaluated, 'v1');
    assert.deepEqual(r.async.code, 0);
    assert.equal(r.missing.error?.code, 2);
    assert.equal(r.missing.error?.details?.[0]?.mspId, 'Org1MSP');
  });
});
