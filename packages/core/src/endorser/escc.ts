// The default endorsement plugin (ESCC) and the ProposalResponsePayload it signs: the endorsement
// is the peer's signature over prp bytes ++ the peer's serialized identity, as Fabric's.
import { protos } from '@fabric-peer/protos';
import type { EndorsementPlugin, PeerSigner } from './types.js';

export function defaultEndorsementPlugin(signer: PeerSigner): EndorsementPlugin {
  return {
    endorse(prpBytes) {
      const endorser = signer.serialize();
      const signature = signer.sign(Buffer.concat([prpBytes, endorser]));
      return { endorsement: protos.Endorsement.create({ endorser, signature }), payload: prpBytes };
    },
  };
}

/** protoutil.GetBytesProposalResponsePayload. */
export function proposalResponsePayload(
  proposalHash: Uint8Array,
  response: protos.Response,
  results: Uint8Array,
  events: Uint8Array,
  chaincodeId: protos.ChaincodeID,
): Uint8Array {
  const extension = protos.ChaincodeAction.encode({ results, events, response, chaincodeId });
  return protos.ProposalResponsePayload.encode({ proposalHash, extension });
}
