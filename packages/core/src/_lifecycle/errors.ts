// _lifecycle's errors. The text is Fabric's (core/chaincode/lifecycle): the CLI prints it after
// "failed to invoke backing implementation of '<function>': ", and scripts match on it.
import {
  type ErrorArgs,
  type ErrorDescriptor,
  type ErrorDetails,
  FabricPeerError,
  errorMessage,
} from '../errors/index.js';

export const LIFECYCLE_ERRORS = {
  INVALID_DEFINITION: {
    code: 'LIFECYCLE_INVALID_DEFINITION',
    title: 'Chaincode definition is invalid',
    message: '{reason}',
    status: 400,
  },
  SEQUENCE_MISMATCH: {
    code: 'LIFECYCLE_SEQUENCE_MISMATCH',
    title: 'Wrong definition sequence',
    message: '{reason}',
    status: 400,
  },
  REDEFINITION: {
    code: 'LIFECYCLE_REDEFINITION',
    title: 'Definition differs from the committed one or is unchanged',
    message: '{reason}',
    status: 400,
  },
  NOT_AGREED: {
    code: 'LIFECYCLE_NOT_AGREED',
    title: 'This org has not approved the definition',
    message: '{reason}',
    status: 400,
  },
  APPROVAL_NOT_FOUND: {
    code: 'LIFECYCLE_APPROVAL_NOT_FOUND',
    title: 'No approved definition',
    message: '{reason}',
    status: 404,
  },
  NAMESPACE_NOT_DEFINED: {
    code: 'LIFECYCLE_NAMESPACE_NOT_DEFINED',
    title: 'Chaincode not defined on the channel',
    message: 'namespace {name} is not defined',
    status: 404,
  },
  NOT_INSTALLED: {
    code: 'LIFECYCLE_NOT_INSTALLED',
    title: 'Chaincode package not installed',
    message: '{reason}',
    status: 404,
  },
  NOT_APPROVED_BY_ORG: {
    code: 'LIFECYCLE_NOT_APPROVED_BY_ORG',
    title: 'Definition not approved by this org',
    message: '{reason}',
    status: 500,
  },
  CHANNEL_CONFIG: {
    code: 'LIFECYCLE_CHANNEL_CONFIG',
    title: 'Channel config does not allow _lifecycle',
    message: '{reason}',
    status: 500,
  },
  INSTALL_FAILED: {
    code: 'LIFECYCLE_INSTALL_FAILED',
    title: 'Chaincode install failed',
    message: '{reason}',
    status: 500,
  },
  STATE_CORRUPT: {
    code: 'LIFECYCLE_STATE_CORRUPT',
    title: '_lifecycle state cannot be read',
    message: '{reason}',
    status: 500,
  },
} as const satisfies Record<string, ErrorDescriptor>;

export class LifecycleError<D extends ErrorDescriptor = ErrorDescriptor> extends FabricPeerError<D> {
  constructor(descriptor: D, args: ErrorArgs<D>, details: ErrorDetails = {}) {
    super(descriptor, args, details);
  }
}

export const lifecycleError = (
  descriptor: (typeof LIFECYCLE_ERRORS)[Exclude<keyof typeof LIFECYCLE_ERRORS, 'NAMESPACE_NOT_DEFINED'>],
  reason: string,
): LifecycleError => new LifecycleError(descriptor, { reason });

/** Fabric's errors.WithMessage: "<message>: <cause>", keeping the cause's code. */
export function withMessage(err: unknown, message: string): Error {
  if (err instanceof FabricPeerError) {
    // Same code and status, the message prefixed (the descriptor's template becomes the plain reason).
    return new LifecycleError(
      { ...err.descriptor, message: '{reason}' },
      { reason: `${message}: ${err.message}` },
    );
  }
  return new Error(`${message}: ${errorMessage(err)}`);
}
