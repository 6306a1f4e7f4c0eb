// devnet/: the zero-config one-org development network (crypto in test-network's layout, the channel
// genesis, the embedded orderer's options, connection profiles, the summary). The only door.
export {
  createDevOrderer,
  ensureDevNetwork,
  type DevNetwork,
  type DevNetworkOptions,
  type DevTls,
} from './network.js';
export { devPeerInputs, startDevNetwork, type RunningDevNetwork } from './start.js';
export { freePort, resolvePorts, type DevPorts } from './ports.js';
export { LAYOUT, connectionProfile, summaryText, type ConnectionProfile } from './profile.js';
