// The client's user-facing errors (what `fabric-peer channel|chaincode|lifecycle|logging|node ...`
// prints after `Error: `), in the catalogue's shape. Messages say what to do next.
import { FabricPeerError } from '../errors/index.js';

export const CLIENT_ERRORS = {
  SETTING_MISSING: {
    code: 'CLIENT_SETTING_MISSING',
    title: 'A client setting is missing',
    message: '{what} is not set: set {how}',
  },
  FILE_NOT_FOUND: {
    code: 'CLIENT_FILE_NOT_FOUND',
    title: 'A file the command needs cannot be read',
    message: 'cannot read {what} {file}: {reason}',
  },
  MSP_LOAD: {
    code: 'CLIENT_MSP_LOAD_FAILED',
    title: 'The client identity could not be loaded',
    message:
      'failed to load the local MSP {mspId} from {dir}: {reason} (check CORE_PEER_MSPCONFIGPATH and CORE_PEER_LOCALMSPID)',
  },
  CONNECT: {
    code: 'CLIENT_CONNECT_FAILED',
    title: 'Cannot reach a peer or orderer',
    message: 'failed to connect to {role} at {address}: {reason}',
  },
  RPC: {
    code: 'CLIENT_RPC_FAILED',
    title: 'A call to a peer or orderer failed',
    message: '{call} to {address} failed: {reason}',
  },
  PROPOSAL: {
    code: 'CLIENT_PROPOSAL_FAILED',
    title: 'The peer refused the proposal',
    message: '{reason}',
  },
  BROADCAST: {
    code: 'CLIENT_BROADCAST_FAILED',
    title: 'The orderer refused the envelope',
    message: 'got unexpected status: {status} -- {info}',
  },
  DELIVER: {
    code: 'CLIENT_DELIVER_FAILED',
    title: 'Fetching a block failed',
    message: '{reason}',
  },
  TX_INVALID: {
    code: 'CLIENT_TX_INVALID',
    title: 'The transaction was not committed as valid',
    message: 'transaction [{txId}] status is not valid: {status}',
  },
  TX_TIMEOUT: {
    code: 'CLIENT_TX_TIMEOUT',
    title: 'No commit event in time',
    message: 'timed out waiting for txid on all peers',
  },
  BAD_INPUT: {
    code: 'CLIENT_BAD_INPUT',
    title: 'An argument cannot be used',
    message: '{reason}',
  },
  PACKAGE: {
    code: 'CLIENT_PACKAGE_INVALID',
    title: 'Chaincode package problem',
    message: '{reason}',
  },
  PEER_RUNNING: {
    code: 'CLIENT_PEER_RUNNING',
    title: 'A peer is running on this ledger folder',
    message:
      'the ledger folder {dir} is in use: a peer is running on it. Stop the peer (peer node start) before running "peer node {command}"',
  },
} as const;

export class ClientError extends FabricPeerError {}
