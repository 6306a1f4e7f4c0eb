// The endorser's user-facing errors. Messages are Fabric's (clients and operators match on them);
// `status` is the Fabric meaning of the failure, while the ProposalResponse carries 500 as Fabric does.
import { FabricPeerError } from '../errors/index.js';

export const ENDORSER_ERRORS = {
  MALFORMED: {
    code: 'ENDORSER_PROPOSAL_MALFORMED',
    title: 'Malformed proposal',
    message: '{reason}',
    status: 400,
  },
  INVALID: {
    code: 'ENDORSER_PROPOSAL_INVALID',
    title: 'Proposal failed validation',
    message: 'error validating proposal: {reason}',
    status: 400,
  },
  ACCESS_DENIED: {
    code: 'ENDORSER_ACCESS_DENIED',
    title: 'Proposal creator not authorized',
    message: 'error validating proposal: access denied: channel [{channel}] creator org [{mspId}]',
    status: 403,
  },
  CHANNEL_NOT_FOUND: {
    code: 'ENDORSER_CHANNEL_NOT_FOUND',
    title: 'Channel not found',
    message: "channel '{channel}' not found",
    status: 404,
  },
  DUPLICATE_TX: {
    code: 'ENDORSER_DUPLICATE_TX',
    title: 'Duplicate transaction',
    message: 'duplicate transaction found [{txId}]. Creator [{creator}]',
    status: 409,
  },
  ACL_DENIED: { code: 'ENDORSER_ACL_DENIED', title: 'ACL denied', message: '{reason}', status: 403 },
  EXPIRED: {
    code: 'ENDORSER_IDENTITY_EXPIRED',
    title: 'Proposal creator expired',
    message: 'proposal client identity expired',
    status: 403,
    grpcCode: 2,
  },
  CHAINCODE_NOT_DEFINED: {
    code: 'ENDORSER_CHAINCODE_NOT_DEFINED',
    title: 'Chaincode not defined',
    message:
      'make sure the chaincode {chaincode} has been successfully defined on channel {channel} and try again: {reason}',
    status: 500,
  },
  SIMULATION_FAILED: {
    code: 'ENDORSER_SIMULATION_FAILED',
    title: 'Simulation failed',
    message: 'error in simulation: {reason}',
    status: 500,
  },
  ENDORSEMENT_FAILED: {
    code: 'ENDORSER_ENDORSEMENT_FAILED',
    title: 'Endorsement plugin failed',
    message: 'endorsing with plugin failed: {reason}',
    status: 500,
  },
} as const;

export class EndorserError extends FabricPeerError {}
