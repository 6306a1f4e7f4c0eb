// `pnpm --filter asset-transfer start`: a whole Fabric network in this process (createPeer with no MSP
// brings up the zero-config dev network: one org, an embedded orderer, channel mychannel), the contract
// run in process and defined on the channel by start(), then the fabric-gateway app against it, then
// everything stopped.
import { createPeer } from '@fabric-peer/core';
import { runAssetTransfer } from './app.js';
import { connectGateway, grpcClientFor } from './connect.js';
import { contracts } from './contract.js';

async function main(): Promise<void> {
  const started = performance.now();
  const peer = await createPeer({}, { inMemory: true, chaincodes: { basic: { contracts } } });
  await peer.start();
  try {
    const dev = peer.devNetwork;
    if (dev === undefined) throw new Error('createPeer() with no MSP should run a dev network');
    console.log(
      `peer ${peer.address} serving ${dev.channelId} in ${Math.round(performance.now() - started)} ms`,
    );

    // start() has defined `basic` on the channel already (approve + commit as Org1's admin): run the
    // app as User1.
    const client = grpcClientFor(dev.connectionProfile);
    const gateway = connectGateway(client, dev.user);
    try {
      const result = await runAssetTransfer(gateway, { channelName: dev.channelId, chaincodeName: 'basic' });
      console.log(`done: ${result.events.length} chaincode events for ${result.assetId}`);
    } finally {
      gateway.close();
      client.close();
    }
  } finally {
    await peer.stop();
  }
  console.log(`asset-transfer ran in ${Math.round(performance.now() - started)} ms`);
}

main().catch((err: unknown) => {
  console.error(err);
  // fabric-gateway's errors carry each endorser's own message.
  for (const d of (err as { details?: { address: string; message: string }[] }).details ?? [])
    console.error(`  ${d.address}: ${d.message}`);
  process.exitCode = 1;
});
