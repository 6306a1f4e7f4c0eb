// Fabric's filtered block (core/peer/deliverevents.go): per transaction its id, type and validation
// code, and for endorser transactions the chaincode events with their payload stripped, so that a
// client waiting for commits sees no application data.
import { common, protos } from '@fabric-peer/protos';

export function toFilteredBlock(channelId: string, block: common.Block): protos.FilteredBlock {
  const codes = block.metadata?.metadata[common.BlockMetadataIndex.TRANSACTIONS_FILTER] ?? new Uint8Array();
  const txs = (block.data?.data ?? []).map((bytes, i) => filteredTx(bytes, codes[i] ?? 0));
  return protos.FilteredBlock.create({
    channelId,
    number: block.header?.number ?? 0,
    filteredTransactions: txs,
  });
}

function filteredTx(envBytes: Uint8Array, code: number): protos.FilteredTransaction {
  const payload = common.Payload.decode(common.Envelope.decode(envBytes).payload);
  const chdr = common.ChannelHeader.decode(payload.header?.channelHeader ?? new Uint8Array());
  const ft = protos.FilteredTransaction.create({ txid: chdr.txId, type: chdr.type, txValidationCode: code });
  if (chdr.type !== common.HeaderType.ENDORSER_TRANSACTION) return ft;
  const actions: protos.FilteredChaincodeAction[] = [];
  for (const ta of protos.Transaction.decode(payload.data).actions) {
    const cap = protos.ChaincodeActionPayload.decode(ta.payload);
    const prp = protos.ProposalResponsePayload.decode(
      cap.action?.proposalResponsePayload ?? new Uint8Array(),
    );
    const ev = protos.ChaincodeEvent.decode(protos.ChaincodeAction.decode(prp.extension).events);
    if (ev.chaincodeId === '') continue;
    actions.push(
      protos.FilteredChaincodeAction.create({
        chaincodeEvent: protos.ChaincodeEvent.create({
          chaincodeId: ev.chaincodeId,
          txId: ev.txId,
          eventName: ev.eventName,
        }),
      }),
    );
  }
  ft.transactionActions = protos.FilteredTransactionActions.create({ chaincodeActions: actions });
  return ft;
}
