// channel/: channel config bundles, config updates (configtx), joined channels and their manager.
export {
  channelConfigFromBlock,
  channelConfigFromConfig,
  configEnvelopeFromBlock,
  parseGoDuration,
  SUPPORTED_CAPABILITIES,
  unsupportedCapability,
  type AnchorPeer,
  type BatchSize,
  type ChannelConfig,
  type OrgConfig,
} from './channelconfig.js';
export {
  applyConfigUpdate,
  authorizeUpdate,
  configUpdateEnvelopeFrom,
  configUpdateSignedData,
  validateConfigEnvelope,
  type ApplyOptions,
} from './configtx.js';
export { configGroupsEqual } from './configmap.js';
export { CHANNEL_ERRORS, ChannelError } from './errors.js';
export { Channel, type BlockListener, type ChannelOptions } from './channel.js';
export { ChannelManager, lastConfigIndex, type ChannelManagerOptions } from './manager.js';
export type { BlockCommittedEvent, CommitBlockOptions } from '../committer/index.js';
