// One envelope of a block taken apart as Fabric's ValidateTransaction does (msgvalidation.go):
// payload, headers, tx id, and for endorser transactions the single action with its endorsements and
// read-write set. Every structural failure gets the TxValidationCode Fabric gives it.
import { hash } from 'node:crypto';
import { type TxRwSet, decodeTxRwSet } from '@fabric-peer/ledger';
import { common, protos } from '@fabric-peer/protos';

const C = protos.TxValidationCode;

export interface Endorsement {
  endorser: Uint8Array;
  signature: Uint8Array;
  /** proposal_response_payload ++ endorser: what the endorser signed. */
  data: Uint8Array;
}

export interface ParsedTx {
  index: number;
  /** VALID while the checks so far pass. */
  code: number;
  reason?: string;
  txId: string;
  channelId: string;
  type: number;
  creator: Uint8Array;
  /** The creator's signature over the payload bytes. */
  payload: Uint8Array;
  signature: Uint8Array;
  /**
   * A failure found past the headers (tx id, transaction structure, channel): Fabric checks the
   * creator's signature first, so the validator applies it only when the signature holds.
   */
  deferred?: { code: number; reason: string };
  /** Endorser transactions. */
  chaincodeName?: string;
  chaincodeVersion?: string;
  endorsements?: Endorsement[];
  rwSet?: TxRwSet;
  /** Config transactions. */
  configEnvelope?: common.ConfigEnvelope;
}

function fail(tx: ParsedTx, code: number, reason: string): ParsedTx {
  tx.code = code;
  tx.reason = reason;
  return tx;
}

/** Records the first failure found after the headers. */
function defer(tx: ParsedTx, code: number, reason: string): ParsedTx {
  tx.deferred ??= { code, reason };
  return tx;
}

/** Fabric's CheckTxID: hex SHA-256 of nonce ++ creator. */
export function computeTxId(nonce: Uint8Array, creator: Uint8Array): string {
  // One-shot hash: no Hash object per transaction.
  return hash('sha256', Buffer.concat([nonce, creator]), 'hex');
}

function parseEndorser(tx: ParsedTx, data: Uint8Array, header: common.Header): ParsedTx {
  let t: protos.Transaction;
  try {
    t = protos.Transaction.decode(data);
  } catch (err) {
    return defer(tx, C.INVALID_ENDORSER_TRANSACTION, `bad transaction: ${String(err)}`);
  }
  if (t.actions.length !== 1) {
    return fail(
      tx,
      C.INVALID_ENDORSER_TRANSACTION,
      `only one action per transaction is supported, tx contains ${t.actions.length}`,
    );
  }
  const action = t.actions[0]!;
  try {
    const sh = common.SignatureHeader.decode(action.header);
    if (sh.nonce.length === 0 || sh.creator.length === 0) {
      return defer(tx, C.INVALID_ENDORSER_TRANSACTION, 'action header has no nonce or creator');
    }
    const cap = protos.ChaincodeActionPayload.decode(action.payload);
    if (!cap.action) return defer(tx, C.INVALID_ENDORSER_TRANSACTION, 'no endorsed action');
    const prpBytes = cap.action.proposalResponsePayload;
    const prp = protos.ProposalResponsePayload.decode(prpBytes);
    // The endorsed response must be for this proposal (Fabric's proposal hash check).
    const proposalHash = hash(
      'sha256',
      Buffer.concat([header.channelHeader, header.signatureHeader, cap.chaincodeProposalPayload]),
      'buffer',
    );
    if (!proposalHash.equals(prp.proposalHash)) {
      return defer(tx, C.INVALID_ENDORSER_TRANSACTION, 'proposal hash does not match');
    }
    let cca: protos.ChaincodeAction;
    try {
      cca = protos.ChaincodeAction.decode(prp.extension);
    } catch (err) {
      return defer(tx, C.BAD_RESPONSE_PAYLOAD, `bad chaincode action: ${String(err)}`);
    }
    try {
      tx.rwSet = decodeTxRwSet(cca.results);
    } catch (err) {
      return defer(tx, C.BAD_RWSET, `bad read-write set: ${String(err)}`);
    }
    tx.chaincodeName = cca.chaincodeId?.name ?? '';
    tx.chaincodeVersion = cca.chaincodeId?.version ?? '';
    tx.endorsements = cap.action.endorsements.map((e) => ({
      endorser: e.endorser,
      signature: e.signature,
      data: Buffer.concat([prpBytes, e.endorser]),
    }));
  } catch (err) {
    return defer(tx, C.INVALID_ENDORSER_TRANSACTION, String(err));
  }
  return tx;
}

/** Takes one envelope apart; `tx.code` says how far it got. */
export function parseTransaction(
  envBytes: Uint8Array | undefined,
  index: number,
  channelId: string,
): ParsedTx {
  const tx: ParsedTx = {
    index,
    code: C.VALID,
    txId: '',
    channelId: '',
    type: -1,
    creator: new Uint8Array(),
    payload: new Uint8Array(),
    signature: new Uint8Array(),
  };
  if (!envBytes || envBytes.length === 0) return fail(tx, C.NIL_ENVELOPE, 'nil envelope');
  let payload: common.Payload;
  try {
    const env = common.Envelope.decode(envBytes);
    tx.payload = env.payload;
    tx.signature = env.signature;
    payload = common.Payload.decode(env.payload);
  } catch (err) {
    return fail(tx, C.BAD_PAYLOAD, `bad payload: ${String(err)}`);
  }
  const header = payload.header;
  if (!header) return fail(tx, C.BAD_COMMON_HEADER, 'missing header');
  let ch: common.ChannelHeader;
  let sh: common.SignatureHeader;
  try {
    ch = common.ChannelHeader.decode(header.channelHeader);
  } catch (err) {
    return fail(tx, C.BAD_COMMON_HEADER, `bad header: ${String(err)}`);
  }
  // Known from here on even when the signature header is bad: the ledger indexes the tx id as the
  // block store does (by the channel header alone).
  tx.txId = ch.txId;
  tx.channelId = ch.channelId;
  tx.type = ch.type;
  try {
    sh = common.SignatureHeader.decode(header.signatureHeader);
  } catch (err) {
    return fail(tx, C.BAD_COMMON_HEADER, `bad header: ${String(err)}`);
  }
  tx.creator = sh.creator;
  if (ch.epoch !== 0) return fail(tx, C.BAD_COMMON_HEADER, `invalid epoch ${ch.epoch}, expected 0`);
  if (ch.type !== common.HeaderType.ENDORSER_TRANSACTION && ch.type !== common.HeaderType.CONFIG) {
    return fail(tx, C.UNKNOWN_TX_TYPE, `unsupported header type ${ch.type}`);
  }
  if (sh.nonce.length === 0 || sh.creator.length === 0) {
    return fail(tx, C.BAD_COMMON_HEADER, 'signature header has no nonce or creator');
  }
  // In Fabric's order: tx id, then the transaction's structure, then the channel.
  if (ch.type === common.HeaderType.CONFIG) {
    try {
      tx.configEnvelope = common.ConfigEnvelope.decode(payload.data);
    } catch (err) {
      defer(tx, C.INVALID_CONFIG_TRANSACTION, `bad config envelope: ${String(err)}`);
    }
  } else {
    if (computeTxId(sh.nonce, sh.creator) !== ch.txId)
      defer(tx, C.BAD_PROPOSAL_TXID, `incorrect tx id ${ch.txId}`);
    parseEndorser(tx, payload.data, header);
  }
  if (ch.channelId !== channelId) {
    defer(tx, C.TARGET_CHAIN_NOT_FOUND, `transaction for channel ${ch.channelId}, not ${channelId}`);
  }
  return tx;
}
