// History of a key, newest first, as queryresult.KeyModification: the history index gives the
// heights, the block store gives the tx id, timestamp, value and delete flag (Fabric's way).
import { type common, type queryresult } from '@fabric-peer/protos';
import { type BlockStore } from '../blkstorage/blockstore.js';
import { parseTx } from '../kvledger/txparse.js';
import { isDelete } from '../txmgr/rwset.js';
import { type HistoryDB } from './historydb.js';

export async function* keyHistory(
  history: HistoryDB,
  blocks: BlockStore,
  ns: string,
  key: string,
): AsyncGenerator<queryresult.KeyModification> {
  let cached: { n: number; block: common.Block } | undefined;
  for await (const h of history.heights(ns, key)) {
    if (cached?.n !== h.blockNum)
      cached = { n: h.blockNum, block: await blocks.getBlockByNumber(h.blockNum) };
    const tx = parseTx(cached.block.data?.data[h.txNum], h.txNum);
    const write = tx.rwSet?.nsRwSets
      .find((s) => s.namespace === ns)
      ?.kvRwSet.writes.find((w) => w.key === key);
    if (!write) continue;
    const del = isDelete(write);
    yield {
      txId: tx.txId,
      value: del ? new Uint8Array() : write.value,
      timestamp: tx.timestamp,
      isDelete: del,
    };
  }
}
