// endorser/: protos.Endorser/ProcessProposal - proposal checks, simulation, ESCC.
export { Endorser, type EndorserOptions } from './endorser.js';
export { checkInvocation } from './checkinit.js';
export { ENDORSER_ERRORS, EndorserError } from './errors.js';
export { defaultEndorsementPlugin, proposalResponsePayload } from './escc.js';
export { authFiltersFromConfig, creatorExpiresAt, expirationCheckFilter } from './filters.js';
export { computeTxId, unpackProposal, validateProposal, type UnpackedProposal } from './unpack.js';
export type {
  AuthFilter,
  ChaincodeEndorsementInfo,
  ChaincodeExecutor,
  Decorator,
  EndorsementInfoProvider,
  EndorsementPlugin,
  EndorserACL,
  EndorserChannel,
  EndorserChannels,
  IdentityDeserializer,
  PeerSigner,
} from './types.js';
