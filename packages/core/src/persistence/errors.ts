// The package store's errors. Messages keep Fabric's wording (core/chaincode/persistence), since the
// CLI prints them and scripts match on them.
import { type ErrorArgs, type ErrorDescriptor, type ErrorDetails, FabricPeerError } from '../errors/index.js';

export const PERSISTENCE_ERRORS = {
  PACKAGE_NOT_FOUND: {
    code: 'PERSISTENCE_PACKAGE_NOT_FOUND',
    title: 'Chaincode install package not found',
    message: "chaincode install package '{packageId}' not found",
    status: 404,
  },
  BAD_PACKAGE: {
    code: 'PERSISTENCE_BAD_PACKAGE',
    title: 'Not a chaincode install package',
    message: '{reason}',
    status: 400,
  },
  STORE_FAILED: {
    code: 'PERSISTENCE_STORE_FAILED',
    title: 'Chaincode package store failure',
    message: '{reason}',
    status: 500,
  },
} as const satisfies Record<string, ErrorDescriptor>;

export class PersistenceError<D extends ErrorDescriptor = ErrorDescriptor> extends FabricPeerError<D> {
  constructor(descriptor: D, args: ErrorArgs<D>, details: ErrorDetails = {}) {
    super(descriptor, args, details);
  }
}
