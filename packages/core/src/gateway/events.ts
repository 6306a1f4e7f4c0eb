// ChaincodeEvents: one ChaincodeEventsResponse per block holding events of the requested chaincode from
// valid transactions, from a start position (or just after a given transaction, for checkpointing),
// then every new block as it commits. Blocks without a matching event are skipped, as in Fabric.
import type { KVLedger } from '@fabric-peer/ledger';
import { MetadataIndex } from '@fabric-peer/ledger';
import { common, type gateway, type orderer, protos } from '@fabric-peer/protos';
import { GATEWAY_ERRORS, GatewayError } from './errors.js';

export type EventsLedger = Pick<KVLedger, 'blocksFrom' | 'getBlockByTxId' | 'height'>;

const VALID = protos.TxValidationCode.VALID;

/** Chaincode events of the valid endorser transactions of a block, in block order. */
export function blockChaincodeEvents(block: common.Block): protos.ChaincodeEvent[] {
  const filter = block.metadata?.metadata[MetadataIndex.TRANSACTIONS_FILTER] ?? new Uint8Array();
  const out: protos.ChaincodeEvent[] = [];
  (block.data?.data ?? []).forEach((envBytes, i) => {
    if ((filter[i] ?? VALID) !== VALID) return;
    try {
      const payload = common.Payload.decode(common.Envelope.decode(envBytes).payload);
      const ch = common.ChannelHeader.decode(payload.header?.channelHeader ?? new Uint8Array());
      if (ch.type !== common.HeaderType.ENDORSER_TRANSACTION) return;
      for (const action of protos.Transaction.decode(payload.data).actions) {
        const cap = protos.ChaincodeActionPayload.decode(action.payload);
        const prp = protos.ProposalResponsePayload.decode(
          cap.action?.proposalResponsePayload ?? new Uint8Array(),
        );
        const cca = protos.ChaincodeAction.decode(prp.extension);
        if (cca.events.length === 0) continue;
        const ev = protos.ChaincodeEvent.decode(cca.events);
        if (ev.chaincodeId !== '') out.push(ev);
      }
    } catch {
      // A transaction that does not parse carries no event a client could use.
    }
  });
  return out;
}

/** The first block to read: the block of `afterTransactionId` when known, else the start position. */
export async function startBlock(
  ledger: EventsLedger,
  req: gateway.ChaincodeEventsRequest,
): Promise<{ block: number; afterFound: boolean }> {
  if (req.afterTransactionId !== '') {
    try {
      const b = await ledger.getBlockByTxId(req.afterTransactionId);
      return { block: b.header?.number ?? 0, afterFound: true };
    } catch {
      // Unknown transaction: fall back to the start position, as Fabric does.
    }
  }
  const pos: orderer.SeekPosition | undefined = req.startPosition;
  const at = (block: number): { block: number; afterFound: boolean } => ({ block, afterFound: false });
  if (pos === undefined || pos.nextCommit !== undefined) return at(ledger.height);
  if (pos.specified !== undefined) return at(pos.specified.number);
  if (pos.newest !== undefined) return at(Math.max(0, ledger.height - 1));
  if (pos.oldest !== undefined) return at(0);
  throw new GatewayError(GATEWAY_ERRORS.INVALID_ARGUMENT, 'invalid start position type');
}

/** Matches the chaincode's events, skipping everything up to and including `afterTransactionId`
 * (when that transaction is in the ledger; an unknown one skips nothing). */
export function eventMatcher(
  req: gateway.ChaincodeEventsRequest,
  afterFound: boolean,
): (e: protos.ChaincodeEvent) => boolean {
  let passed = req.afterTransactionId === '' || !afterFound;
  return (e) => {
    if (!passed) {
      if (e.txId === req.afterTransactionId) passed = true;
      return false;
    }
    return e.chaincodeId === req.chaincodeId;
  };
}

/** Streams responses to `send` until `signal` aborts; `send` resolves when the client can take more. */
export async function streamChaincodeEvents(
  ledger: EventsLedger,
  req: gateway.ChaincodeEventsRequest,
  send: (r: gateway.ChaincodeEventsResponse) => Promise<void>,
  signal: AbortSignal,
): Promise<void> {
  const start = await startBlock(ledger, req);
  const match = eventMatcher(req, start.afterFound);
  for await (const block of ledger.blocksFrom(start.block, signal)) {
    const events = blockChaincodeEvents(block).filter(match);
    if (events.length === 0) continue;
    await send({ events, blockNumber: block.header?.number ?? 0 });
  }
}
