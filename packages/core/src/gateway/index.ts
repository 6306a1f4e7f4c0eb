// gateway/: gateway.Gateway (Evaluate, Endorse, Submit, CommitStatus, ChaincodeEvents) over this
// peer's Endorser, channels and the channel's orderers, and registerGatewayServices, which serves it
// together with discovery.Discovery. The only door.
export {
  registerGatewayServices,
  gatewayImplementation,
  type GatewayServiceDeps,
  type GatewayServices,
} from './service.js';
export { Gateway, type GatewayChannel, type GatewayOptions } from './gateway.js';
export { GATEWAY_ERRORS, GatewayError, errorDetail, toServiceError } from './errors.js';
export { CommitNotifier, envelopeTxId, type CommitChannel, type TxStatus } from './commit.js';
export { Broadcaster, configOrderers, type BroadcasterOptions, type OrdererTarget } from './orderers.js';
export { blockChaincodeEvents, eventMatcher, startBlock, streamChaincodeEvents } from './events.js';
export { prepareTransaction, unpackForGateway, type GatewayProposal } from './proposal.js';
export {
  RemoteEndorser,
  localEndorser,
  responseStatus,
  type GatewayEndorser,
  type LocalEndorser,
} from './endorsers.js';
