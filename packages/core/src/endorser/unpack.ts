// Fabric's UnpackProposal + UnpackedProposal.Validate (core/endorser/msgvalidation.go): decode every
// layer of a SignedProposal, compute the proposal hash, then check header type, epoch, nonce,
// creator, tx id, the time window, the creator's identity and its signature.
import { createHash } from 'node:crypto';
import { common, msp, protos } from '@fabric-peer/protos';
import { ENDORSER_ERRORS, EndorserError } from './errors.js';
import type { IdentityDeserializer } from './types.js';
import { errorMessage } from '../errors/index.js';

export interface UnpackedProposal {
  signedProposal: protos.SignedProposal;
  proposal: protos.Proposal;
  channelHeader: common.ChannelHeader;
  signatureHeader: common.SignatureHeader;
  chaincodeName: string;
  input: protos.ChaincodeInput;
  transientMap: Record<string, Uint8Array>;
  /** SHA-256(channel header ++ signature header ++ ChaincodeProposalPayload without the transient map). */
  proposalHash: Uint8Array;
}

const malformed = (reason: string, cause?: unknown): EndorserError =>
  new EndorserError(ENDORSER_ERRORS.MALFORMED, { reason }, cause === undefined ? {} : { cause });

function decode<T>(codec: { decode(b: Uint8Array): T }, bytes: Uint8Array, what: string): T {
  try {
    return codec.decode(bytes);
  } catch (err) {
    throw malformed(`could not unmarshal ${what}: ${errorMessage(err)}`, err);
  }
}

export function unpackProposal(signedProposal: protos.SignedProposal): UnpackedProposal {
  const proposal = decode(protos.Proposal, signedProposal.proposalBytes, 'proposal bytes');
  const hdr = decode(common.Header, proposal.header, 'header');
  const channelHeader = decode(common.ChannelHeader, hdr.channelHeader, 'channel header');
  const signatureHeader = decode(common.SignatureHeader, hdr.signatureHeader, 'signature header');
  const ext = decode(protos.ChaincodeHeaderExtension, channelHeader.extension, 'header extension');
  if (ext.chaincodeId === undefined) throw malformed('ChaincodeHeaderExtension.ChaincodeId is nil');
  if (ext.chaincodeId.name === '') throw malformed('ChaincodeHeaderExtension.ChaincodeId.Name is empty');
  const cpp = decode(protos.ChaincodeProposalPayload, proposal.payload, 'chaincode proposal payload');
  const cis = decode(protos.ChaincodeInvocationSpec, cpp.input, 'chaincode input');
  if (cis.chaincodeSpec === undefined)
    throw malformed('chaincode invocation spec did not contain chaincode spec');
  if (cis.chaincodeSpec.input === undefined) throw malformed('chaincode input did not contain any input');
  const withoutTransient = protos.ChaincodeProposalPayload.encode({ input: cpp.input });
  const proposalHash = createHash('sha256')
    .update(hdr.channelHeader)
    .update(hdr.signatureHeader)
    .update(withoutTransient)
    .digest();
  return {
    signedProposal,
    proposal,
    channelHeader,
    signatureHeader,
    chaincodeName: ext.chaincodeId.name,
    input: cis.chaincodeSpec.input,
    transientMap: cpp.transientMap,
    proposalHash: new Uint8Array(proposalHash),
  };
}

/** Fabric's protoutil.ComputeTxID: hex SHA-256 of nonce ++ creator. */
export function computeTxId(nonce: Uint8Array, creator: Uint8Array): string {
  return createHash('sha256').update(nonce).update(creator).digest('hex');
}

const invalid = (reason: string): EndorserError => new EndorserError(ENDORSER_ERRORS.INVALID, { reason });

export function validateProposal(
  up: UnpackedProposal,
  deserializer: IdentityDeserializer,
  timeWindowMs: number,
  now: number = Date.now(),
): void {
  const ch = up.channelHeader;
  const sh = up.signatureHeader;
  if (ch.type !== common.HeaderType.ENDORSER_TRANSACTION && ch.type !== common.HeaderType.CONFIG) {
    throw invalid(`invalid header type ${common.HeaderType[ch.type] ?? ch.type}`);
  }
  if (ch.epoch !== 0) throw invalid('epoch is non-zero');
  if (sh.nonce.length === 0) throw invalid('nonce is empty');
  if (sh.creator.length === 0) throw invalid('creator is empty');
  const expected = computeTxId(sh.nonce, sh.creator);
  if (ch.txId !== expected) throw invalid(`incorrectly computed txid '${ch.txId}' -- expected '${expected}'`);
  if (up.signedProposal.proposalBytes.length === 0) throw invalid('empty proposal bytes');
  if (up.signedProposal.signature.length === 0) throw invalid('empty signature bytes');
  // peer.authentication.timewindow: a proposal far from the peer's clock may be a replay.
  if (timeWindowMs > 0 && ch.timestamp !== undefined) {
    const ms = ch.timestamp.seconds * 1000 + Math.floor(ch.timestamp.nanos / 1e6);
    if (Math.abs(ms - now) > timeWindowMs) {
      throw invalid(
        `request timestamp ${new Date(ms).toISOString()} is more than ${timeWindowMs / 1000}s apart from the peer's time ${new Date(now).toISOString()}`,
      );
    }
  }
  let mspId: string;
  try {
    mspId = msp.SerializedIdentity.decode(sh.creator).mspid;
  } catch {
    throw invalid(`access denied: channel [${ch.channelId}] creator org unknown, creator is malformed`);
  }
  const denied = (cause: unknown): EndorserError =>
    new EndorserError(
      ENDORSER_ERRORS.ACCESS_DENIED,
      { channel: ch.channelId, mspId },
      { channel: ch.channelId, txId: ch.txId, cause },
    );
  let creator: ReturnType<IdentityDeserializer['deserializeIdentity']>;
  try {
    creator = deserializer.deserializeIdentity(sh.creator);
    creator.validate();
  } catch (err) {
    throw denied(err);
  }
  try {
    creator.verify(up.signedProposal.proposalBytes, up.signedProposal.signature);
  } catch (err) {
    throw denied(err);
  }
}
