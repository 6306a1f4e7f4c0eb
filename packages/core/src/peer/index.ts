// peer/: createPeer and the Peer interface.
export { createPeer } from './peer.js';
export type { CreatePeerOptions, Peer } from './types.js';
export { PEER_ERRORS, PeerError } from './errors.js';
