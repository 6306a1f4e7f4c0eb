// configtx/: configtxgen's and configtxlator's jobs. Build a channel's Config and genesis block from a
// profile, compute the update between two configs, sign and wrap it for Broadcast. The only door.
export { CONFIGTX_ERRORS, ConfigtxError } from './errors.js';
export {
  NONCE_SIZE,
  computeTxId,
  createSignedEnvelope,
  makeChannelHeader,
  makeSignatureHeader,
  newNonce,
  openEnvelope,
  type ChannelHeaderOptions,
  type Signer,
} from './envelope.js';
export {
  DEFAULT_RAFT_OPTIONS,
  defaultApplicationPolicies,
  defaultMetaPolicies,
  defaultOrdererPolicies,
  defaultOrgPolicies,
  type AnchorPeer,
  type ApplicationProfile,
  type BatchSizeProfile,
  type ChannelProfile,
  type OrdererProfile,
  type OrgProfile,
  type PolicySet,
  type PolicySpec,
  type RaftConsenter,
} from './profile.js';
export {
  buildConfig,
  configFromBlock,
  createGenesisBlock,
  encodePolicy,
  genesisBlockFromConfig,
  goDuration,
} from './genesis.js';
export {
  computeUpdate,
  createChannelCreateTx,
  createConfigUpdateEnvelope,
  signConfigTx,
  signConfigUpdate,
} from './update.js';
