// The committer's user-facing errors, in the catalogue's shape. A refused block is never committed;
// a bad transaction is not an error (it gets its TxValidationCode and the block goes on).
import { type ErrorArgs, type ErrorDescriptor, type ErrorDetails, FabricPeerError } from '../errors/index.js';

export const COMMITTER_ERRORS = {
  BLOCK_REFUSED: {
    code: 'COMMITTER_BLOCK_REFUSED',
    title: 'Block refused by the committer',
    message: 'block [{block}] refused on channel [{channel}]: {reason}',
    status: 400,
  },
  BLOCK_SIGNATURE_INVALID: {
    code: 'COMMITTER_BLOCK_SIGNATURE_INVALID',
    title: "Block not signed as the channel's BlockValidation policy requires",
    message: 'block [{block}] on channel [{channel}]: implicit policy evaluation failed - {reason}',
    status: 403,
  },
  STOPPED: {
    code: 'COMMITTER_STOPPED',
    title: 'Committer stopped',
    message: 'committer of channel [{channel}] is stopped',
    status: 503,
  },
} as const satisfies Record<string, ErrorDescriptor>;

export class CommitterError<D extends ErrorDescriptor = ErrorDescriptor> extends FabricPeerError<D> {}

export function committerError<D extends ErrorDescriptor>(
  descriptor: D,
  args: ErrorArgs<D>,
  details: ErrorDetails = {},
): CommitterError<D> {
  return new CommitterError(descriptor, args, details);
}
