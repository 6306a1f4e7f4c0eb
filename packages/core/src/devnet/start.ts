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
