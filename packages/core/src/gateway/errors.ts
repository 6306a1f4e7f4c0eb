// The gateway's errors, as Fabric's gateway gives them: a gRPC status code, Fabric's message, and
// gateway.ErrorDetail entries (address, MSP id, message per endorser or orderer) packed in
// `grpc-status-details-bin` as a google.rpc.Status, which the real client turns into the `details`
// of its EndorseError / SubmitError / CommitStatusError.
import { Metadata, status as grpcStatus, type ServiceError } from '@grpc/grpc-js';
import { gateway, google } from '@fabric-peer/protos';
import { FabricPeerError, type ErrorDetails, errorMessage } from '../errors/index.js';

const G = grpcStatus;

export const GATEWAY_ERRORS = {
  INVALID_ARGUMENT: {
    code: 'GATEWAY_INVALID_ARGUMENT',
    title: 'Malformed gateway request',
    message: '{reason}',
    status: 400,
    grpcCode: G.INVALID_ARGUMENT,
  },
  FAILED_PRECONDITION: {
    code: 'GATEWAY_FAILED_PRECONDITION',
    title: 'Gateway request cannot be served',
    message: '{reason}',
    status: 400,
    grpcCode: G.FAILED_PRECONDITION,
  },
  PERMISSION_DENIED: {
    code: 'GATEWAY_PERMISSION_DENIED',
    title: 'Gateway request not authorized',
    message: '{reason}',
    status: 403,
    grpcCode: G.PERMISSION_DENIED,
  },
  NOT_FOUND: {
    code: 'GATEWAY_NOT_FOUND',
    title: 'Channel not found',
    message: '{reason}',
    status: 404,
    grpcCode: G.NOT_FOUND,
  },
  ABORTED: {
    code: 'GATEWAY_ABORTED',
    title: 'Gateway request aborted',
    message: '{reason}',
    status: 500,
    grpcCode: G.ABORTED,
  },
  UNKNOWN: {
    code: 'GATEWAY_CHAINCODE_ERROR',
    title: 'Chaincode returned an error',
    message: '{reason}',
    status: 500,
    grpcCode: G.UNKNOWN,
  },
  UNAVAILABLE: {
    code: 'GATEWAY_UNAVAILABLE',
    title: 'No endorser or orderer available',
    message: '{reason}',
    status: 503,
    grpcCode: G.UNAVAILABLE,
  },
  DEADLINE_EXCEEDED: {
    code: 'GATEWAY_DEADLINE_EXCEEDED',
    title: 'Gateway timeout',
    message: '{reason}',
    status: 408,
    grpcCode: G.DEADLINE_EXCEEDED,
  },
  CANCELLED: {
    code: 'GATEWAY_CANCELLED',
    title: 'Request cancelled',
    message: '{reason}',
    grpcCode: G.CANCELLED,
  },
} as const;

type GatewayDescriptor = (typeof GATEWAY_ERRORS)[keyof typeof GATEWAY_ERRORS];

/** A gateway failure: the gRPC code comes from the descriptor; `details` go into grpc-status-details-bin. */
export class GatewayError extends FabricPeerError<GatewayDescriptor> {
  readonly details: readonly gateway.ErrorDetail[];

  constructor(
    descriptor: GatewayDescriptor,
    reason: string,
    details: readonly gateway.ErrorDetail[] = [],
    extra: ErrorDetails = {},
  ) {
    super(descriptor, { reason }, extra);
    this.details = details;
  }
}

export const errorDetail = (address: string, mspId: string, message: string): gateway.ErrorDetail => ({
  address,
  mspId,
  message,
});

const DETAIL_TYPE_URL = 'type.googleapis.com/gateway.ErrorDetail';

/** Any thrown value as the gRPC error the client gets (unexpected errors become UNKNOWN, never a crash). */
export function toServiceError(err: unknown): Partial<ServiceError> {
  const message = errorMessage(err);
  let code: number = G.UNKNOWN;
  let details: readonly gateway.ErrorDetail[] = [];
  if (err instanceof GatewayError) {
    code = err.descriptor.grpcCode;
    details = err.details;
  } else if (err instanceof FabricPeerError && err.grpcCode !== undefined) {
    code = err.grpcCode;
  }
  const metadata = new Metadata();
  const st = google.rpc.Status.encode({
    code,
    message,
    details: details.map((d) => ({ typeUrl: DETAIL_TYPE_URL, value: gateway.ErrorDetail.encode(d) })),
  });
  metadata.set('grpc-status-details-bin', Buffer.from(st));
  return { code, details: message, metadata };
}
