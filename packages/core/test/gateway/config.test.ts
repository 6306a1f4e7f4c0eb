// peer.gateway.enabled / peer.discovery.enabled: a disabled service is not served at all (UNIMPLEMENTED,
// as a Fabric peer with the gateway off answers).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { status } from '@grpc/grpc-js';
import { startTestNetwork } from './harness.js';
import { RawGateway } from './proposal.js';

test('gateway and discovery off: not registered, UNIMPLEMENTED', async () => {
  const t = await startTestNetwork({
    peer: { gateway: { enabled: false }, discovery: { enabled: false } } as never,
  });
  const raw = new RawGateway(t.peerAddress, t.net.peer.tls.ca);
  try {
    assert.equal(t.services.gateway, undefined);
    assert.equal(t.services.discovery, undefined);
    const err = await raw.refused('evaluate', {});
    assert.equal(err.code, status.UNIMPLEMENTED);
  } finally {
    raw.close();
    await t.close();
  }
});
