// startDevNetwork: the dev network with its orderer running, in one call. This is the piece createPeer
// needs when the config names no MSP: it then builds the peer from `network.peerConfig` /
// `network.peer.localMsp`, joins `network.genesisBlock`, and pulls blocks from `orderer.address`.
import { type EmbeddedOrderer } from '../orderer/index.js';
import { type DevNetwork, type DevNetworkOptions, createDevOrderer, ensureDevNetwork } from './network.js';

export interface RunningDevNetwork {
  network: DevNetwork;
  orderer: EmbeddedOrderer;
  /** Stops the orderer (its chains are kept on disk unless in memory). */
  stop(): Promise<void>;
}

export async function startDevNetwork(options: DevNetworkOptions): Promise<RunningDevNetwork> {
  const network = await ensureDevNetwork(options);
  const orderer = createDevOrderer(network);
  await orderer.start();
  return { network, orderer, stop: () => orderer.stop() };
}

/**
 * What createPeer takes for the dev network, shaped like its (config, options) arguments without
 * devnet importing peer/: `createPeer(i.config, { ...i.options, ...yours })`, then
 * `if (!peer.channels().includes(i.channelId)) await peer.joinChannel(i.genesisBlock)`.
 */
export function devPeerInputs(network: DevNetwork): {
  config: DevNetwork['peerConfig'];
  options: { inMemory: boolean; msp: DevNetwork['peer']['localMsp']; tls: { cert: string; key: string } };
  channelId: string;
  genesisBlock: DevNetwork['genesisBlock'];
  summary: string;
} {
  return {
    config: network.peerConfig,
    options: {
      inMemory: network.dataDir === undefined,
      msp: network.peer.localMsp,
      tls: { cert: network.peer.tls.cert, key: network.peer.tls.key },
    },
    channelId: network.channelId,
    genesisBlock: network.genesisBlock,
    summary: network.summary,
  };
}
