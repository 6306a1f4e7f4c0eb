// `pnpm --filter asset-transfer start`: a whole Fabric network in this process (createPeer with no MSP
// brings up the zero-config dev network: one org, an embedded orderer, channel mychannel), the contract
// run in process, then the fabric-gateway app against it, then everything stopped.
import './shim-first.js';
import { createPeer } from '@fabric-peer/core';
import { runAssetTransfer } from './app.js';
import { connectGateway, grpcClientFor } from './connect.js';
import { contracts } from './contract.js';
import { defineChaincode } from './define.js';

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

    const client = grpcClientFor(dev.connectionProfile);
    // Define the chaincode on the channel (approve + commit, as Org1's admin), then run the app as User1.
    const admin = connectGateway(client, dev.admin);
    try {
      await defineChaincode(admin.getNetwork(dev.channelId), dev.admin.mspId, { name: 'basic' });
    } finally {
      admin.close();
    }
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
