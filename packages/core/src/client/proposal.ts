// protoutil in small, for the client: a chaincode proposal (ENDORSER_TRANSACTION), signed; and the
// transaction envelope built from the endorsements (protoutil.CreateSignedTx), checked as Go checks it.
import { common, protos } from '@fabric-peer/protos';
import { computeTxId, newNonce, type Signer } from '../configtx/index.js';
import { CLIENT_ERRORS, ClientError } from './errors.js';

export interface ProposalInput {
  channelId: string;
  chaincode: string;
  args: Uint8Array[];
  transient?: Record<string, Uint8Array>;
  isInit?: boolean;
  type?: common.HeaderType;
}

export interface SignedProposalWithTx {
  txId: string;
  proposal: protos.Proposal;
  signed: protos.SignedProposal;
}

export function createSignedProposal(input: ProposalInput, signer: Signer): SignedProposalWithTx {
  const creator = signer.serialize();
  const nonce = newNonce();
  const txId = computeTxId(nonce, creator);
  const now = Date.now();
  const channelHeader = common.ChannelHeader.encode({
    type: input.type ?? common.HeaderType.ENDORSER_TRANSACTION,
    channelId: input.channelId,
    txId,
    epoch: 0,
    timestamp: { seconds: Math.floor(now / 1000), nanos: (now % 1000) * 1_000_000 },
    extension: protos.ChaincodeHeaderExtension.encode({ chaincodeId: { name: input.chaincode } }),
  });
  const signatureHeader = common.SignatureHeader.encode({ creator, nonce });
  const cis = protos.ChaincodeInvocationSpec.encode({
    chaincodeSpec: {
      type: protos.ChaincodeSpec_Type.GOLANG,
      chaincodeId: { name: input.chaincode },
      input: { args: input.args, decorations: {}, isInit: input.isInit === true },
    },
  });
  const payload = protos.ChaincodeProposalPayload.encode({ input: cis, transientMap: input.transient ?? {} });
  const proposal = protos.Proposal.create({
    header: common.Header.encode({ channelHeader, signatureHeader }),
    payload,
  });
  const proposalBytes = protos.Proposal.encode(proposal);
  return {
    txId,
    proposal,
    signed: protos.SignedProposal.create({ proposalBytes, signature: signer.sign(proposalBytes) }),
  };
}

/** The response's status in Go's words when it is not a success (>= 400), else undefined. */
export function proposalFailure(r: protos.ProposalResponse): string | undefined {
  const st = r.response?.status ?? 0;
  if (st >= 200 && st < 400) return undefined;
  return `bad proposal response ${st}: ${r.response?.message ?? ''}`;
}

/** protoutil.CreateSignedTx: the endorsed transaction, signed by the proposal's creator. */
export function createSignedTx(
  proposal: protos.Proposal,
  signer: Signer,
  responses: protos.ProposalResponse[],
): common.Envelope {
  if (responses.length === 0)
    throw new ClientError(CLIENT_ERRORS.PROPOSAL, { reason: 'at least one proposal response is required' });
  const header = common.Header.decode(proposal.header);
  const shdr = common.SignatureHeader.decode(header.signatureHeader);
  if (Buffer.compare(Buffer.from(shdr.creator), Buffer.from(signer.serialize())) !== 0) {
    throw new ClientError(CLIENT_ERRORS.PROPOSAL, {
      reason: 'signer must be the same as the one referenced in the header',
    });
  }
  const first = responses[0]!;
  for (const r of responses) {
    const failed = proposalFailure(r);
    if (failed !== undefined)
      throw new ClientError(CLIENT_ERRORS.PROPOSAL, {
        reason: `proposal response was not successful, error code ${r.response?.status ?? 0}, msg ${r.response?.message ?? ''}`,
      });
    if (Buffer.compare(Buffer.from(r.payload), Buffer.from(first.payload)) !== 0) {
      throw new ClientError(CLIENT_ERRORS.PROPOSAL, { reason: 'ProposalResponsePayloads do not match' });
    }
  }
  const endorsements = responses
    .map((r) => r.endorsement)
    .filter((e): e is protos.Endorsement => e !== undefined);
  // The proposal payload goes on the ledger without its transient map.
  const cpp = protos.ChaincodeProposalPayload.decode(proposal.payload);
  const chaincodeProposalPayload = protos.ChaincodeProposalPayload.encode({
    input: cpp.input,
    transientMap: {},
  });
  const cap = protos.ChaincodeActionPayload.encode({
    chaincodeProposalPayload,
    action: { proposalResponsePayload: first.payload, endorsements },
  });
  const tx = protos.Transaction.encode({ actions: [{ header: header.signatureHeader, payload: cap }] });
  const payload = common.Payload.encode({ header, data: tx });
  return common.Envelope.create({ payload, signature: signer.sign(payload) });
}
