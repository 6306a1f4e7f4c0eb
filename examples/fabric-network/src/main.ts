// `pnpm --filter fabric-network-example start`: the zero-config dev network in this process, the
// asset-transfer contract run in process and defined on the channel by start(), then the
// fabric-network app with discovery on.
import { createPeer } from '@fabric-peer/core';
import { contracts } from 'asset-transfer/contract';
import { runAssetTransfer } from './app.js';

async function main(): Promise<void> {
  const started = performance.now();
  const peer = await createPeer({}, { inMemory: true, chaincodes: { basic: { contracts } } });
  await peer.start();
  try {
    const dev = peer.devNetwork;
    if (dev === undefined) throw new Error('createPeer() with no MSP should run a dev network');
    // start() has defined `basic` on the channel already (approve + commit as Org1's admin).
    const profile = dev.connectionProfile as unknown as Record<string, unknown>;
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
