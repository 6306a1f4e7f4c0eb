// acl/: Fabric's access control lists - resource -> policy, channel overrides, local-MSP checks.
export { ACL_ERRORS, AccessDeniedError } from './errors.js';
export {
  ACLProvider,
  envelopeAsSignedData,
  signedProposalAsSignedData,
  type ACLProviderOptions,
  type ChannelConfigSource,
} from './provider.js';
export {
  CHANNEL_READERS,
  CHANNEL_RESOURCE_POLICIES,
  CHANNEL_WRITERS,
  PEER_RESOURCE_POLICIES,
  RESOURCES,
  absolutePolicyRef,
  type LocalPolicy,
} from './resources.js';
