// The index entries of the blocks a rollback removes: each block's location and hash entry, and
// the tx id entries that point into it (an id first seen in an earlier block keeps its entry).
import { type BatchOp } from '../internal/store.js';
import { blockKey, hashKey, pvtKey, txKey } from './blockindex.js';
import { type BlockStore } from './blockstore.js';
import { blockHeaderHash, envelopeTxIdOrEmpty } from './blockutil.js';

export async function removalOps(bs: BlockStore, keepHeight: number): Promise<BatchOp[]> {
  const ops: BatchOp[] = [];
  for (let n = bs.height - 1; n >= keepHeight; n--) {
    const block = await bs.getBlockByNumber(n);
    ops.push(
      { type: 'del', key: blockKey(n) },
      { type: 'del', key: pvtKey(n) },
      { type: 'del', key: hashKey(blockHeaderHash(block.header!)) },
    );
    for (const env of block.data?.data ?? []) {
      const id = envelopeTxIdOrEmpty(env);
      if (id === '') continue;
      const loc = await bs.getTxLocation(id);
      if (loc && loc.blockNumber === n) ops.push({ type: 'del', key: txKey(id) });
    }
  }
  return ops;
}
