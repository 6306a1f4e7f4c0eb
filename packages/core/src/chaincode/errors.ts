// The chaincode runtime's user-facing errors, in the catalogue's shape (stable code, title, template).
// They live beside the component (the shared catalogue belongs to errors/); the messages keep
// Fabric's wording where a client or an operator may match on it.
import { type ErrorArgs, type ErrorDescriptor, type ErrorDetails, FabricPeerError } from '../errors/index.js';
export { errorMessage as messageOf } from '../errors/index.js';

export const CHAINCODE_ERRORS = {
  EXECUTE_FAILED: {
    code: 'CHAINCODE_EXECUTE_FAILED',
    title: 'Chaincode execution failed',
    message: 'failed to execute transaction {txId}: {reason}',
    status: 500,
  },
  EXECUTE_TIMEOUT: {
    code: 'CHAINCODE_EXECUTE_TIMEOUT',
    title: 'Chaincode did not complete in time',
    message:
      'failed to execute transaction {txId}: error sending: timeout expired while executing transaction',
    status: 500,
  },
  STREAM_TERMINATED: {
    code: 'CHAINCODE_STREAM_TERMINATED',
    title: 'Chaincode stream ended during a transaction',
    message: 'failed to execute transaction {txId}: error sending: chaincode stream terminated',
    status: 500,
  },
  TX_EXISTS: {
    code: 'CHAINCODE_TX_EXISTS',
    title: 'Transaction already running on this chaincode',
    message: 'failed to execute transaction {txId}: error sending: txid: {txId}({channel}) exists',
    status: 500,
  },
  LAUNCH_FAILED: {
    code: 'CHAINCODE_LAUNCH_FAILED',
    title: 'Chaincode could not be launched',
    message: 'failed to execute transaction {txId}: could not launch chaincode {packageId}: {reason}',
    status: 500,
  },
  LAUNCH_TIMEOUT: {
    code: 'CHAINCODE_LAUNCH_TIMEOUT',
    title: 'Chaincode did not register in time',
    message:
      'failed to execute transaction {txId}: could not launch chaincode {packageId}: timeout expired while starting chaincode {packageId} for transaction',
    status: 500,
  },
  NOT_REGISTERED: {
    code: 'CHAINCODE_NOT_REGISTERED',
    title: 'Chaincode not running (development mode)',
    message:
      'failed to execute transaction {txId}: chaincode {packageId} is not registered: in development mode start it yourself (CORE_CHAINCODE_ID_NAME={packageId}, --peer.address {peerAddress})',
    status: 500,
  },
  NOT_FOUND: {
    code: 'CHAINCODE_NOT_FOUND',
    title: 'Chaincode not defined or not installed',
    message: 'chaincode {name} on channel {channel}: {reason}',
    status: 500,
  },
  REGISTRATION_REFUSED: {
    code: 'CHAINCODE_REGISTRATION_REFUSED',
    title: 'Chaincode registration refused',
    message: '{reason}',
    status: 500,
  },
  BAD_PACKAGE: {
    code: 'CHAINCODE_BAD_PACKAGE',
    title: 'Chaincode package is malformed',
    message: 'chaincode package {packageId}: {reason}',
    status: 400,
  },
  BUILD_FAILED: {
    code: 'CHAINCODE_BUILD_FAILED',
    title: 'Chaincode build failed',
    message: 'error building chaincode {packageId}: {reason}',
    status: 500,
  },
  CLOSED: {
    code: 'CHAINCODE_SUPPORT_CLOSED',
    title: 'Chaincode support closed',
    message: 'chaincode support is closed',
    status: 503,
  },
  LISTEN_FAILED: {
    code: 'CHAINCODE_LISTEN_FAILED',
    title: 'Chaincode listener could not listen',
    message: 'chaincode listener failed to listen on {address}: {reason}',
  },
} as const satisfies Record<string, ErrorDescriptor>;

/** Every error the chaincode runtime throws on purpose; `code` is one of CHAINCODE_ERRORS. */
export class ChaincodeError<D extends ErrorDescriptor = ErrorDescriptor> extends FabricPeerError<D> {
  constructor(descriptor: D, args: ErrorArgs<D>, details: ErrorDetails = {}) {
    super(descriptor, args, details);
  }
}
