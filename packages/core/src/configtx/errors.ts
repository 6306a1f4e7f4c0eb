// configtx's user-facing errors, in the catalogue's shape (stable code, title, template). They live
// beside the component, as chaincode/'s do; messages keep configtxgen/configtxlator wording.
import { type ErrorArgs, type ErrorDescriptor, type ErrorDetails, FabricPeerError } from '../errors/index.js';

export const CONFIGTX_ERRORS = {
  PROFILE_INVALID: {
    code: 'CONFIGTX_PROFILE_INVALID',
    title: 'Channel profile is invalid',
    message: 'invalid channel profile: {reason}',
    status: 400,
  },
  NO_DIFFERENCES: {
    code: 'CONFIGTX_NO_DIFFERENCES',
    title: 'The two configs are the same',
    message: 'no differences detected between original and updated config',
    status: 400,
  },
  ENVELOPE_INVALID: {
    code: 'CONFIGTX_ENVELOPE_INVALID',
    title: 'Not a config update envelope',
    message: 'not a config update envelope: {reason}',
    status: 400,
  },
  BLOCK_INVALID: {
    code: 'CONFIGTX_BLOCK_INVALID',
    title: 'Not a config block',
    message: 'not a config block: {reason}',
    status: 400,
  },
} as const satisfies Record<string, ErrorDescriptor>;

export class ConfigtxError<D extends ErrorDescriptor = ErrorDescriptor> extends FabricPeerError<D> {
  static of<D extends ErrorDescriptor>(d: D, args: ErrorArgs<D>, details?: ErrorDetails): ConfigtxError<D> {
    return new ConfigtxError(d, args, details);
  }
}
