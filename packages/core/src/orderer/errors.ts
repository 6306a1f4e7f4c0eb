// The embedded orderer's user-facing errors, in the catalogue's shape. Broadcast infos and channel
// participation messages keep Fabric's wording, since clients and scripts match on them.
import { type ErrorArgs, type ErrorDescriptor, type ErrorDetails, FabricPeerError } from '../errors/index.js';
export { errorMessage } from '../errors/index.js';

export const ORDERER_ERRORS = {
  CHANNEL_NOT_EXIST: {
    code: 'ORDERER_CHANNEL_NOT_EXIST',
    title: 'Channel does not exist on this orderer',
    // Fabric 2.5 (no system channel) answers BAD_REQUEST with this text for an unknown channel.
    message:
      "channel creation request not allowed because the orderer system channel is not defined (channel '{channel}' does not exist)",
    status: 400,
  },
  BAD_MESSAGE: {
    code: 'ORDERER_BAD_MESSAGE',
    title: 'Malformed broadcast message',
    message: '{reason}',
    status: 400,
  },
  MESSAGE_TOO_LARGE: {
    code: 'ORDERER_MESSAGE_TOO_LARGE',
    title: 'Message exceeds AbsoluteMaxBytes',
    message: 'message payload is {size} bytes and exceeds maximum allowed {max} bytes',
    status: 400,
  },
  PERMISSION_DENIED: {
    code: 'ORDERER_PERMISSION_DENIED',
    title: 'Signature does not satisfy the channel policy',
    message: '{reason}: permission denied',
    status: 403,
  },
  CONFIG_UPDATE_REFUSED: {
    code: 'ORDERER_CONFIG_UPDATE_REFUSED',
    title: 'Config update refused',
    message: '{reason}',
    status: 400,
  },
  UNAVAILABLE: {
    code: 'ORDERER_UNAVAILABLE',
    title: 'Channel is not serving',
    message: '{reason}',
    status: 503,
  },
  CHANNEL_EXISTS: {
    code: 'ORDERER_CHANNEL_EXISTS',
    title: 'Channel already exists',
    message: 'cannot join: channel already exists',
    status: 405,
  },
  JOIN_BLOCK_INVALID: {
    code: 'ORDERER_JOIN_BLOCK_INVALID',
    title: 'Invalid join block',
    message: 'invalid join block: {reason}',
    status: 400,
  },
  NOT_STARTED: {
    code: 'ORDERER_NOT_STARTED',
    title: 'Orderer not started',
    message: 'the orderer is not started',
    status: 503,
  },
  LISTEN_FAILED: {
    code: 'ORDERER_LISTEN_FAILED',
    title: 'Orderer could not listen',
    message: 'orderer failed to listen on {address}: {reason}',
    status: 500,
  },
} as const satisfies Record<string, ErrorDescriptor>;

export class OrdererError<D extends ErrorDescriptor = ErrorDescriptor> extends FabricPeerError<D> {}

export function ordererError<D extends ErrorDescriptor>(
  descriptor: D,
  args: ErrorArgs<D>,
  details: ErrorDetails = {},
): OrdererError<D> {
  return new OrdererError(descriptor, args, details);
}
