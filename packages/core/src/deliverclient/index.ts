// deliverclient/: pulling each channel's blocks from its orderers, with failover and back-off, into
// the channel's committer. The only door.
export { DeliverClient, type DeliverClientOptions, type DeliverTarget } from './deliverclient.js';
export { DeliverService, deliverServiceOptionsFromConfig, type DeliverServiceOptions } from './service.js';
export {
  ordererEndpoints,
  resolveOverrides,
  type OrdererEndpoint,
  type ResolvedOverride,
} from './endpoints.js';
export { fetchBlock, type FetchBlockOptions, type FetchPosition } from './fetch.js';
