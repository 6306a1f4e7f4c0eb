// `pnpm --filter fabric-network-example start`: the zero-config dev network in this process, the
// asset-transfer contract run in process and defined on the channel, then the fabric-network app with
// discovery on.
import { createPeer } from '@fabric-peer/core';
import { contracts } from 'asset-transfer/contract';
import { Gateway } from 'fabric-network';
import { runAssetTransfer, userWallet } from './app.js';
import { defineChaincode } from './define.js';

async function main(): Promise<void> {
  const started = performance.now();
  const peer = await createPeer({}, { inMemory: true, chaincodes: { basic: { contracts } } });
  await peer.start();
  try {
    const dev = peer.devNetwork;
    if (dev === undefined) throw new Error('createPeer() with no MSP should run a dev network');
    const profile = dev.connectionProfile as unknown as Record<string, unknown>;

    // Approve and commit the definition as Org1's admin, talking to the profile's peer and orderer
    // directly (discovery lists only user chaincodes, so it would not offer the peer for _lifecycle).
    const admin = new Gateway();
    await admin.connect(profile, {
      wallet: await userWallet(dev.admin, 'Admin'),
      identity: 'Admin',
      discovery: { enabled: false },
    });
    try {
      await defineChaincode(await admin.getNetwork(dev.channelId), dev.admin.mspId, { name: 'basic' });
    } finally {
      admin.disconnect();
    }

    const result = await runAssetTransfer({
      profile,
      identity: dev.user,
      channelName: dev.channelId,
      chaincodeName: 'basic',
    });
    console.log(`done: ${result.events.length} contract events for ${result.assetId}`);
  } finally {
    await peer.stop();
  }
  console.log(`fabric-network example ran in ${Math.round(performance.now() - started)} ms`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
