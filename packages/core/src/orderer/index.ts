// orderer/: the embedded solo ordering service (Broadcast, block cutting, block signing, its Deliver,
// the channel participation API). The only door.
export { EmbeddedOrderer, type EmbeddedOrdererOptions } from './orderer.js';
export { Registrar, CHANNEL_ID_PATTERN, type RegistrarOptions } from './registrar.js';
export { Chain, type ChainOptions } from './chain.js';
export { BlockCutter, messageSize, type BatchSizeLimits } from './blockcutter.js';
export { BlockWriter, type BlockWriterOptions } from './blockwriter.js';
export { BroadcastHandler } from './broadcast.js';
export { BroadcastClient } from './client.js';
export { DeliverHandler } from './deliver.js';
export {
  ChannelParticipation,
  PARTICIPATION_PATH,
  multipartPart,
  multipartParts,
  type AdminTlsOptions,
  type ChannelInfo,
  type ChannelList,
} from './participation.js';
export { ORDERER_ERRORS, OrdererError } from './errors.js';
