// lscc's errors, worded as Fabric's core/scc/lscc/errors.go (clients of the legacy lifecycle match on them).
import { type ErrorArgs, type ErrorDescriptor, type ErrorDetails, FabricPeerError } from '../errors/index.js';

export const LSCC_ERRORS = {
  INVALID_ARGS_LEN: {
    code: 'LSCC_INVALID_ARGS_LEN',
    title: 'Wrong number of lscc arguments',
    message: 'invalid number of arguments to lscc: {n}',
    status: 400,
  },
  INVALID_FUNCTION: {
    code: 'LSCC_INVALID_FUNCTION',
    title: 'Unknown lscc function',
    message: 'invalid function to lscc: {fn}',
    status: 400,
  },
  EXISTS: {
    code: 'LSCC_EXISTS',
    title: 'Chaincode already deployed',
    message: "chaincode with name '{name}' already exists",
    status: 409,
  },
  NOT_FOUND: {
    code: 'LSCC_NOT_FOUND',
    title: 'Chaincode not deployed',
    message: "could not find chaincode with name '{name}'",
    status: 404,
  },
  INVALID_NAME: {
    code: 'LSCC_INVALID_NAME',
    title: 'Invalid chaincode name',
    message:
      "invalid chaincode name '{name}'. Names must start with an alphanumeric character and can only consist of alphanumerics, '_', and '-'",
    status: 400,
  },
  INVALID_VERSION: {
    code: 'LSCC_INVALID_VERSION',
    title: 'Invalid chaincode version',
    message:
      "invalid chaincode version '{version}'. Versions must not be empty and can only consist of alphanumerics, '_',  '-', '+', and '.'",
    status: 400,
  },
  IDENTICAL_VERSION: {
    code: 'LSCC_IDENTICAL_VERSION',
    title: 'Upgrade to the same version',
    message: "version already exists for chaincode with name '{name}'",
    status: 400,
  },
  INVALID_DEPLOYMENT_SPEC: {
    code: 'LSCC_INVALID_DEPLOYMENT_SPEC',
    title: 'Bad deployment spec',
    message: 'invalid deployment spec: {reason}',
    status: 400,
  },
  FINGERPRINT_MISMATCH: {
    code: 'LSCC_FINGERPRINT_MISMATCH',
    title: 'Installed package differs',
    message: 'chaincode fingerprint mismatch: {reason}',
    status: 500,
  },
  POLICY_VIOLATION: {
    code: 'LSCC_POLICY_VIOLATION',
    title: 'Instantiation policy violated',
    message: 'instantiation policy violation: {reason}',
    status: 403,
  },
  FAILED: { code: 'LSCC_FAILED', title: 'lscc failure', message: '{reason}', status: 500 },
} as const satisfies Record<string, ErrorDescriptor>;

export class LsccError<D extends ErrorDescriptor = ErrorDescriptor> extends FabricPeerError<D> {
  constructor(descriptor: D, args: ErrorArgs<D>, details: ErrorDetails = {}) {
    super(descriptor, args, details);
  }
}
