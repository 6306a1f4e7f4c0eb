// The gateway's view of a client's proposal: unpacked with the endorser's own unpacking (so the checks
// are the same), refused with INVALID_ARGUMENT when anything is missing or malformed, or when it names
// another channel or transaction than the request; and the unsigned transaction Fabric's gateway
// prepares from it (protoutil.CreateTx's layout, the transient map stripped).
import { common, protos } from '@fabric-peer/protos';
import { type UnpackedProposal, unpackProposal } from '../endorser/index.js';
import { GATEWAY_ERRORS, GatewayError } from './errors.js';
import { errorMessage as msg } from '../errors/index.js';

const invalid = (reason: string): GatewayError => new GatewayError(GATEWAY_ERRORS.INVALID_ARGUMENT, reason);

export interface GatewayProposal extends UnpackedProposal {
  channelId: string;
  txId: string;
  hasTransientData: boolean;
  header: common.Header;
  payload: protos.ChaincodeProposalPayload;
}

/** Unpacks `sp` and checks it against the request's channel and transaction id. */
export function unpackForGateway(
  sp: protos.SignedProposal | undefined,
  request: { channelId: string; transactionId: string },
): GatewayProposal {
  if (sp === undefined || sp.proposalBytes.length === 0) {
    throw invalid('failed to unpack transaction proposal: a signed proposal is required');
  }
  let up: UnpackedProposal;
  let header: common.Header;
  let payload: protos.ChaincodeProposalPayload;
  try {
    up = unpackProposal(sp);
    header = common.Header.decode(up.proposal.header);
    payload = protos.ChaincodeProposalPayload.decode(up.proposal.payload);
  } catch (err) {
    throw invalid(`failed to unpack transaction proposal: ${msg(err)}`);
  }
  const channelId = up.channelHeader.channelId;
  const txId = up.channelHeader.txId;
  if (channelId === '') throw invalid('failed to unpack transaction proposal: no channel id provided');
  if (request.channelId !== '' && request.channelId !== channelId) {
    throw invalid(
      `channel id in request (${request.channelId}) does not match the proposal's channel (${channelId})`,
    );
  }
  if (request.transactionId !== '' && request.transactionId !== txId) {
    throw invalid(
      `transaction id in request (${request.transactionId}) does not match the proposal's (${txId})`,
    );
  }
  return {
    ...up,
    channelId,
    txId,
    hasTransientData: Object.keys(up.transientMap).length > 0,
    header,
    payload,
  };
}

/** The unsigned Envelope of an endorsed transaction, as Fabric's gateway prepareTransaction builds it. */
export function prepareTransaction(
  p: GatewayProposal,
  action: protos.ChaincodeEndorsedAction,
): common.Envelope {
  const cppNoTransient = protos.ChaincodeProposalPayload.encode({ input: p.payload.input });
  const cap = protos.ChaincodeActionPayload.encode({ chaincodeProposalPayload: cppNoTransient, action });
  const tx = protos.Transaction.encode({
    actions: [{ header: p.header.signatureHeader, payload: cap }],
  });
  const payload = common.Payload.encode({ header: p.header, data: tx });
  return common.Envelope.create({ payload });
}

/** The transaction result in a proposal response (ChaincodeAction.response.payload), if there is one. */
export function resultOf(pr: protos.ProposalResponse): Uint8Array | undefined {
  try {
    const prp = protos.ProposalResponsePayload.decode(pr.payload);
    const action = protos.ChaincodeAction.decode(prp.extension);
    return action.response?.payload;
  } catch {
    return undefined;
  }
}

/** The checks Fabric's gateway makes on a prepared transaction before sending it to an orderer. */
export function checkPreparedTransaction(
  env: common.Envelope | undefined,
  request: { channelId: string; transactionId: string },
): common.Envelope {
  if (env === undefined) throw invalid('a prepared transaction is required');
  if (env.signature.length === 0) throw invalid('prepared transaction must be signed');
  let ch: common.ChannelHeader;
  try {
    const payload = common.Payload.decode(env.payload);
    if (payload.header === undefined) throw new Error('missing header');
    ch = common.ChannelHeader.decode(payload.header.channelHeader);
  } catch (err) {
    throw invalid(`prepared transaction is not a valid envelope: ${msg(err)}`);
  }
  if (ch.type !== common.HeaderType.ENDORSER_TRANSACTION) {
    throw invalid(`prepared transaction is not an endorser transaction (header type ${ch.type})`);
  }
  if (request.channelId !== '' && ch.channelId !== request.channelId) {
    throw invalid(
      `channel id in request (${request.channelId}) does not match the transaction's (${ch.channelId})`,
    );
  }
  if (request.transactionId !== '' && ch.txId !== request.transactionId) {
    throw invalid(
      `transaction id in request (${request.transactionId}) does not match the transaction's (${ch.txId})`,
    );
  }
  return env;
}
