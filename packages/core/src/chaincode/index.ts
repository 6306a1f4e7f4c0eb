// chaincode/: the peer's chaincode runtime. Runs chaincode written with the real fabric-shim /
// fabric-contract-api: the shim protocol handler, ChaincodeSupport (execute), the launchers
// (dev mode, chaincode-as-a-service, node packages, external builders, in-process), the chaincode
// listener and its TLS. This file is the only door.
export { CHAINCODE_ERRORS, ChaincodeError } from './errors.js';
export {
  CHAINCODE_TO_CHAINCODE_RESOURCE,
  ChaincodeSupport,
  type ChaincodeExecutor,
  type ChaincodeResolution,
  type ChaincodeResolver,
  type ChaincodeSupportOptions,
  type ChaincodeTLSMaterial,
  type ExecuteResult,
  type OtherChannelContext,
  type ProposalACLCheck,
} from './support.js';
export { Handler, type ChaincodeStream, type HandlerState } from './handler.js';
export { type HistoryQueryExecutor, type TransactionParams } from './txcontext.js';
export { MAX_RESULT_LIMIT, parseInvokeTarget } from './requests.js';
export {
  type ChaincodeServerInfo,
  type Launcher,
  type LaunchOutcome,
  type LaunchRequest,
  type PeerConnectionInfo,
  type ProcessLaunch,
  type ServerLaunch,
} from './launcher.js';
export { CcaasLauncher, parseConnectionJson, type ConnectionJson } from './launchers/ccaas.js';
export { NodeLauncher, type NodeLauncherOptions } from './launchers/node.js';
export {
  ExternalBuilderLauncher,
  type ExternalBuilderConfig,
  type ExternalBuildersOptions,
} from './launchers/external.js';
export {
  InProcessLauncher,
  type InProcessChaincode,
  type InProcessLauncherOptions,
  type ShimChaincode,
  type ShimModule,
} from './launchers/inprocess.js';
export {
  FilePackageStore,
  MemoryPackageStore,
  packageFileName,
  packageFromDeploymentSpec,
  packageIdOf,
  parseChaincodePackage,
  type ChaincodePackage,
  type ChaincodePackageMetadata,
  type PackageStore,
} from './package.js';
export { dialChaincode, type ChaincodeConnection } from './connection.js';
export {
  ChaincodeListener,
  addChaincodeSupportService,
  chaincodeServerCredentials,
  createChaincodeServer,
  createChaincodeTLS,
  type ChaincodeListenerOptions,
  type ChaincodeTLSOptions,
} from './listener.js';
export { TLSCA, type KeyPairPem } from './tlsca.js';
export {
  createChaincodeSupport,
  defaultLaunchers,
  installedPackagesDir,
  type ChaincodeSupportConfigOptions,
} from './fromconfig.js';
