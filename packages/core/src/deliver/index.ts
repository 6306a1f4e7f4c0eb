// deliver/: protos.Deliver (Deliver, DeliverFiltered, DeliverWithPrivateData) over the channels' ledgers.
export { DeliverHandler, type DeliverHandlerOptions, type DeliverKind } from './handler.js';
export { toFilteredBlock } from './filtered.js';
export type { ACLChecker, DeliverChannel, DeliverChannels } from './types.js';
