// What the ledger needs from each envelope of a block: tx id, header type, timestamp and, for an
// endorser transaction, the rw-set (Envelope -> Payload -> Transaction -> ChaincodeActionPayload ->
// ProposalResponsePayload -> ChaincodeAction.results). An envelope that does not parse gets the code
// Fabric's committer would give it; the ledger never throws on a bad transaction.
import { common, protos, type google } from '@fabric-peer/protos';
import { decodeTxRwSet, type TxRwSet } from '../txmgr/rwset.js';

export interface ParsedTx {
  index: number;
  txId: string;
  channelId: string;
  /** common.HeaderType, -1 when the header does not parse. */
  type: number;
  timestamp: google.protobuf.Timestamp | undefined;
  rwSet: TxRwSet | undefined;
  /** 0, or the code this envelope earns by not parsing. */
  parseCode: number;
}

const C = protos.TxValidationCode;

function endorserRwSet(payloadData: Uint8Array): TxRwSet {
  const tx = protos.Transaction.decode(payloadData);
  const action = tx.actions[0];
  if (!action) throw new Error('no transaction action');
  const cap = protos.ChaincodeActionPayload.decode(action.payload);
  const prp = protos.ProposalResponsePayload.decode(cap.action?.proposalResponsePayload ?? new Uint8Array());
  const cca = protos.ChaincodeAction.decode(prp.extension);
  return decodeTxRwSet(cca.results);
}

export function parseTx(env: Uint8Array | undefined, index: number, withRwSet = true): ParsedTx {
  const out: ParsedTx = {
    index,
    txId: '',
    channelId: '',
    type: -1,
    timestamp: undefined,
    rwSet: undefined,
    parseCode: 0,
  };
  if (env === undefined || env.length === 0) return { ...out, parseCode: C.NIL_ENVELOPE };
  let payload: common.Payload;
  try {
    payload = common.Payload.decode(common.Envelope.decode(env).payload);
  } catch {
    return { ...out, parseCode: C.BAD_PAYLOAD };
  }
  try {
    const ch = common.ChannelHeader.decode(payload.header?.channelHeader ?? new Uint8Array());
    out.txId = ch.txId;
    out.channelId = ch.channelId;
    out.type = ch.type;
    out.timestamp = ch.timestamp;
  } catch {
    return { ...out, parseCode: C.BAD_CHANNEL_HEADER };
  }
  if (out.type === common.HeaderType.CONFIG) return out;
  if (out.type !== common.HeaderType.ENDORSER_TRANSACTION) return { ...out, parseCode: C.UNKNOWN_TX_TYPE };
  if (!withRwSet) return out;
  try {
    out.rwSet = endorserRwSet(payload.data);
  } catch {
    return { ...out, parseCode: C.BAD_RWSET };
  }
  return out;
}

export function parseBlockTxs(block: common.Block): ParsedTx[] {
  return (block.data?.data ?? []).map((env, i) => parseTx(env, i));
}
