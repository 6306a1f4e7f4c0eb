// The channel component's user-facing errors, in the catalogue's shape (stable code, title, template).
// Messages keep Fabric's wording (configtx validator, cscc JoinChain) where clients match on them.
import { type ErrorArgs, type ErrorDescriptor, type ErrorDetails, FabricPeerError } from '../errors/index.js';
export { errorMessage } from '../errors/index.js';

export const CHANNEL_ERRORS = {
  CONFIG_INVALID: {
    code: 'CHANNEL_CONFIG_INVALID',
    title: 'Channel config cannot be used',
    message: 'invalid channel config: {reason}',
    status: 400,
  },
  CONFIG_BLOCK_MALFORMED: {
    code: 'CHANNEL_CONFIG_BLOCK_MALFORMED',
    title: 'Not a config block',
    message: 'block is not a valid config block: {reason}',
    status: 400,
  },
  CONFIG_UPDATE_INVALID: {
    code: 'CHANNEL_CONFIG_UPDATE_INVALID',
    title: 'Config update refused',
    message: "error applying config update to existing channel '{channel}': {reason}",
    status: 400,
  },
  CONFIG_UPDATE_FORBIDDEN: {
    code: 'CHANNEL_CONFIG_UPDATE_FORBIDDEN',
    title: 'Config update not authorized by the mod policies',
    message: "error applying config update to existing channel '{channel}': {reason}",
    status: 403,
  },
  ALREADY_JOINED: {
    code: 'CHANNEL_ALREADY_JOINED',
    title: 'Channel already joined',
    message:
      'cannot create ledger from genesis block: ledger [{channel}] already exists with state [{state}]',
    status: 500,
  },
  NOT_FOUND: {
    code: 'CHANNEL_NOT_FOUND',
    title: 'Channel not joined',
    message: 'channel {channel} not found',
    status: 404,
  },
  BLOCK_REFUSED: {
    code: 'CHANNEL_BLOCK_REFUSED',
    title: 'Block refused by the committer',
    message: 'block [{block}] refused on channel [{channel}]: {reason}',
    status: 400,
  },
  CLOSED: {
    code: 'CHANNEL_CLOSED',
    title: 'Channel manager closed',
    message: 'channel manager is closed',
    status: 503,
  },
} as const satisfies Record<string, ErrorDescriptor>;

export class ChannelError<D extends ErrorDescriptor = ErrorDescriptor> extends FabricPeerError<D> {}

export function channelError<D extends ErrorDescriptor>(
  descriptor: D,
  args: ErrorArgs<D>,
  details: ErrorDetails = {},
): ChannelError<D> {
  return new ChannelError(descriptor, args, details);
}
