// persistence/: the installed chaincode package store (Fabric's core/chaincode/persistence). This file is the only door.
export { PERSISTENCE_ERRORS, PersistenceError } from './errors.js';
export {
  LABEL_REGEXP,
  parseInstallPackage,
  validateLabel,
  type ChaincodePackageMetadata,
  type ParsedInstallPackage,
} from './parse.js';
export {
  FileChaincodeStore,
  MemoryChaincodeStore,
  installedPackageFromFileName,
  packageFileName,
  packageIdFor,
  type ChaincodePackageStore,
  type InstalledPackage,
} from './store.js';
