// discovery/: discovery.Discovery (config, peer membership, endorsement descriptors, local peers) and
// the policy analysis (layouts) the gateway shares. The only door.
export {
  DiscoveryService,
  configResult,
  type DiscoveryChannel,
  type DiscoveryServiceOptions,
} from './service.js';
export { DISCOVERY_ERRORS, DiscoveryError } from './errors.js';
export { endorsementLayouts, type Layout, type PolicyLayouts } from './layouts.js';
export {
  chaincodeDescriptor,
  endorsementPlan,
  type DescriptorChannel,
  type EndorsementPlan,
} from './descriptor.js';
export {
  aliveEnvelope,
  definedChaincodes,
  pkiIdOf,
  stateInfoEnvelope,
  type ChaincodeInfo,
  type ChannelPeer,
  type MembershipChannel,
} from './membership.js';
export {
  PeerDirectory,
  peersByPrincipal,
  satisfiableLayouts,
  type PeerDirectoryOptions,
  type PrincipalChecker,
  type RemotePeer,
} from './peers.js';
export { lifecycleDefinition, lifecycleEndorsementPolicy } from './syscc.js';
