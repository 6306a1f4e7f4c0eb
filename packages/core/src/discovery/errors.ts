// Discovery's errors. Most reach the client inside the response as a discovery.Error (as Fabric's
// discovery service answers them); only an unreadable or unauthenticated request fails the call.
import { status as grpcStatus } from '@grpc/grpc-js';
import { type ErrorDescriptor, FabricPeerError } from '../errors/index.js';

export const DISCOVERY_ERRORS = {
  REQUEST_MALFORMED: {
    code: 'DISCOVERY_REQUEST_MALFORMED',
    title: 'Malformed discovery request',
    message: 'failed parsing request: {reason}',
    status: 400,
    grpcCode: grpcStatus.INVALID_ARGUMENT,
  },
  ACCESS_DENIED: {
    code: 'DISCOVERY_ACCESS_DENIED',
    title: 'Discovery request not authorized',
    message: 'access denied',
    status: 403,
  },
  POLICY_UNREADABLE: {
    code: 'DISCOVERY_POLICY_UNREADABLE',
    title: 'Endorsement policy cannot be read',
    message: 'failed reading endorsement policy: {reason}',
    status: 500,
  },
  NO_LAYOUT: {
    code: 'DISCOVERY_NO_LAYOUT',
    title: 'No peers satisfy the endorsement policy',
    message: 'no peer combination can satisfy the endorsement policy',
    status: 503,
  },
  CHAINCODE_NOT_FOUND: {
    code: 'DISCOVERY_CHAINCODE_NOT_FOUND',
    title: 'Chaincode not defined',
    message: 'chaincode {chaincode} not found on channel {channel}',
    status: 404,
  },
} as const;

export class DiscoveryError<D extends ErrorDescriptor = ErrorDescriptor> extends FabricPeerError<D> {}
