// client/: what the `fabric-peer` CLI (Go's `peer` command) does as a library. Settings from core.yaml
// and CORE_*, the local MSP signer, PeerClient (Endorser, Deliver, Admin), OrdererClient (Broadcast,
// Deliver), the channel/chaincode/lifecycle/logging operations, chaincode packages, the offline node
// commands and `node start`. The only door.
export { CLIENT_ERRORS, ClientError } from './errors.js';
export {
  loadClientSettings,
  ordererEndpoint,
  peerEndpoint,
  readSettingFile,
  type ClientSettings,
  type Endpoint,
  type Env,
  type LoadClientSettingsOptions,
  type OrdererFlags,
} from './settings.js';
export { loadSigningIdentity } from './signer.js';
export { DEFAULT_CONN_TIMEOUT_MS } from './connection.js';
export { PeerClient } from './peerclient.js';
export { OrdererClient } from './ordererclient.js';
export { lastConfigIndex, seekEnvelope, type SeekOptions, type SeekTarget } from './deliver.js';
export {
  createSignedProposal,
  createSignedTx,
  proposalFailure,
  type ProposalInput,
  type SignedProposalWithTx,
} from './proposal.js';
export { formatResponse, goJsonIndent, goTextString } from './format.js';
export {
  callSystemChaincode,
  chainInfo,
  channelConfig,
  createChannel,
  encodeBlock,
  fetchBlock,
  formatChainInfo,
  joinChannel,
  listChannels,
  parseFetchTarget,
  readConfigTx,
  signConfigTxFile,
  updateChannel,
  type FetchTarget,
} from './channel.js';
export {
  invokeChaincode,
  ordererFromChannel,
  parseChaincodeInput,
  parseTransient,
  queryChaincode,
  type InvokeOptions,
} from './chaincode.js';
export {
  definitionArgs,
  parseCollectionsConfig,
  type DefinitionArgs,
  type DefinitionFlags,
} from './definition.js';
export {
  LIFECYCLE,
  approveForMyOrg,
  checkCommitReadiness,
  commitDefinition,
  getInstalledPackage,
  installChaincode,
  queryAllCommitted,
  queryApproved,
  queryCommitted,
  queryInstalled,
} from './lifecycle.js';
export * as lifecycleFormat from './lifecycle-format.js';
export {
  calculatePackageId,
  codePackage,
  createChaincodePackage,
  packageMetadata,
  readTar,
  validateLabel,
  type PackageInput,
  type PackageMetadata,
} from './package.js';
export { legacyDeploy, legacyInstall, legacyList, type DeployOptions, type LegacySpec } from './legacy.js';
export { nodeAdmin, withLedgers, type OfflineCommand } from './nodeadmin.js';
export { startNode, type StartNodeOptions, type StartedNode } from './startnode.js';
export { getLogLevel, getLogSpec, peerStatus, revertLogLevels, setLogLevel, setLogSpec } from './logging.js';
