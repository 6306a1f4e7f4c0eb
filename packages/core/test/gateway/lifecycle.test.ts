// `_lifecycle` through the Gateway with the real fabric-gateway client and no endorsing organizations
// named: the gateway plans system chaincode calls as Fabric's does (every peer runs `_lifecycle`; its
// plan comes from the channel's LifecycleEndorsement policy), so approve, check readiness, commit and
// query run as they would against a Fabric peer, and the chaincode defined that way is then invoked.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Peer, createPeer } from '../../src/peer/index.js';
import { runScenario } from './client.js';
import { ASSET } from './contract.js';

describe('_lifecycle through the gateway', () => {
  let peer: Peer;

  before(async () => {
    // In process but not defined by start(): the client defines it.
    peer = await createPeer({}, { inMemory: true, chaincodes: { mine: { ...ASSET, define: false } } });
    await peer.start();
  });
  after(async () => {
    await peer?.stop();
  });

  test('approve, commit readiness, commit and query as Org1 Admin, then invoke', async () => {
    const net = peer.devNetwork!;
    const r = await runScenario<Record<string, unknown>>('lifecycle', {
      address: `localhost:${peer.address.split(':').pop()!}`,
      tlsCa: net.peer.tls.ca,
      mspId: net.admin.mspId,
      certificate: net.admin.certificate,
      privateKey: net.admin.privateKey,
      channel: net.channelId,
      chaincode: 'mine',
    });
    assert.deepEqual(r.approve, { ok: { code: 0, successful: true } });
    assert.deepEqual(r.readiness, { ok: { Org1MSP: true } });
    assert.deepEqual(r.commit, { ok: { code: 0, successful: true } });
    assert.deepEqual(r.defined, { ok: { sequence: 1, version: '1.0', approvals: { Org1MSP: true } } });
    assert.deepEqual(r.invoked, { ok: 'v' });
  });
});
