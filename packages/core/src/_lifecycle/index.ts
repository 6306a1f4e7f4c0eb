// _lifecycle/: the `_lifecycle` system chaincode (install, approve, commit, queries), its Serializer
// over public and implicit-collection state, and the package resolver for chaincode/. This file is the only door.
export { LifecycleSCC, type LifecycleSCCOptions } from './scc.js';
export { LIFECYCLE_ERRORS, LifecycleError } from './errors.js';
export {
  InstalledIndex,
  chaincodeResolver,
  packageIdHash,
  resolveChaincodePackage,
  type LifecycleChannel,
  type LifecycleChannels,
  type ResolverDeps,
} from './resolver.js';
export type { LifecycleChannelConfig } from './functions.js';
export {
  LifecycleEndorsementInfo,
  type ChaincodeEndorsementInfo,
  type EndorsementInfoOptions,
} from './endorsementinfo.js';
export {
  CHAINCODE_SOURCES_NAME,
  DEFAULT_ENDORSEMENT_POLICY_BYTES,
  DEFAULT_ENDORSEMENT_POLICY_REF,
  privateName,
} from './definition.js';
