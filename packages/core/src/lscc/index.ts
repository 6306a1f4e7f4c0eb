// lscc/: the legacy lifecycle system chaincode (CDS install, deploy, upgrade, queries) and its
// package store. This file is the only door.
export { LSCC, type LSCCOptions, type LsccChannels } from './scc.js';
export { LSCC_ERRORS, LsccError } from './errors.js';
export {
  type ChaincodeData,
  cdsFingerprint,
  decodeChaincodeData,
  encodeChaincodeData,
} from './chaincodedata.js';
export { LSCC_NAMESPACE, collectionKey, type LegacyChannelConfig } from './deploy.js';
export {
  FileLegacyPackageStore,
  MemoryLegacyPackageStore,
  legacyPackage,
  type LegacyPackage,
  type LegacyPackageStore,
} from './store.js';
export {
  LegacyResolver,
  legacyChaincodeData,
  type LegacyResolution,
  type LegacyResolverChannels,
  type LegacyStateReader,
} from './resolver.js';
export {
  legacyDefinition,
  validateLsccTransaction,
  type LsccTransaction,
  type LsccValidationConfig,
  type LsccValidationResult,
} from './validation.js';
