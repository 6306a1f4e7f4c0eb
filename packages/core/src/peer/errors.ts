// createPeer's user-facing errors (start-up refusals), in the catalogue's shape.
import { FabricPeerError } from '../errors/index.js';

export const PEER_ERRORS = {
  MSP_TYPE: {
    code: 'PEER_MSP_TYPE_UNSUPPORTED',
    title: 'Unsupported local MSP type',
    message: 'local MSP type {type} is not supported: only FABRIC (bccsp) MSPs can be a peer identity',
  },
  MSP_LOAD: {
    code: 'PEER_MSP_LOAD_FAILED',
    title: 'Local MSP could not be loaded',
    message: 'failed to initialize local MSP from {dir}: {reason}',
  },
  NO_SIGNER: {
    code: 'PEER_MSP_NO_SIGNER',
    title: 'Local MSP has no signing identity',
    message: 'local MSP {mspId} has no signing identity (signcerts + keystore)',
  },
  NOT_STARTED: {
    code: 'PEER_NOT_STARTED',
    title: 'Peer is not started',
    message: 'the peer is not started: {what} is not available',
  },
  JOIN_FAILED: {
    code: 'PEER_JOIN_FAILED',
    title: 'Join channel failed',
    message: '{reason}',
    status: 500,
  },
} as const;

export class PeerError extends FabricPeerError {}
