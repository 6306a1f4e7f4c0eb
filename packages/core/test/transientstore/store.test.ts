// The in-memory transient store: private rw-sets by tx id, handed to ledger.commit for a block's valid
// transactions, purged after commit or below a height.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { common, rwset } from '@fabric-peer/protos';
import {
  TransientStore,
  TransientStoreProvider,
  blockPvtData,
  blockTxIds,
  purgeAfterCommit,
} from '../../src/transientstore/index.js';

const pvt = (coll: string): rwset.TxPvtReadWriteSet => ({
  dataModel: rwset.TxReadWriteSet_DataModel.KV,
  nsPvtRwset: [
    { namespace: '_lifecycle', collectionPvtRwset: [{ collectionName: coll, rwset: Buffer.from(coll) }] },
  ],
});

const envelope = (txId: string, type = common.HeaderType.ENDORSER_TRANSACTION): Uint8Array =>
  common.Envelope.encode({
    payload: common.Payload.encode({
      header: { channelHeader: common.ChannelHeader.encode({ type, channelId: 'c', txId }) },
    }),
  });

describe('transient store', () => {
  it('keeps private rw-sets by tx id and hands over those of valid transactions', () => {
    const s = new TransientStore();
    s.persist('a', 5, pvt('x'));
    s.persist('b', 5, rwset.TxPvtReadWriteSet.encode(pvt('y')));
    s.persist('c', 5, undefined);
    assert.equal(s.size, 2);
    const block: common.Block = {
      header: undefined,
      metadata: undefined,
      data: {
        data: [envelope('a'), envelope('b'), envelope('', common.HeaderType.CONFIG), Buffer.from('junk')],
      },
    };
    const txs = blockTxIds(block);
    assert.deepEqual(txs, [
      { index: 0, txId: 'a' },
      { index: 1, txId: 'b' },
    ]);
    const all = blockPvtData(s, txs);
    assert.deepEqual([...all.keys()], [0, 1]);
    const validOnly = blockPvtData(s, txs, [11, 0]);
    assert.deepEqual([...validOnly.keys()], [1]);
    assert.equal(
      (validOnly.get(1) as rwset.TxPvtReadWriteSet).nsPvtRwset[0]!.collectionPvtRwset[0]!.collectionName,
      'y',
    );
    s.purgeByTxIds(['a']);
    assert.deepEqual(s.get('a'), []);
    assert.equal(s.size, 1);
  });

  it('purges entries endorsed below a height', () => {
    const s = new TransientStore();
    s.persist('old', 3, pvt('x'));
    s.persist('new', 9, pvt('y'));
    s.persist('new', 2, pvt('z'));
    s.purgeBelowHeight(5);
    assert.deepEqual(s.get('old'), []);
    assert.equal(s.get('new').length, 1);
  });

  it("after a commit: the block's txs go, and every retention blocks the stale ones", () => {
    const s = new TransientStore();
    s.persist('a', 1, pvt('x'));
    s.persist('stale', 2, pvt('y'));
    s.persist('fresh', 9, pvt('z'));
    purgeAfterCommit(s, [{ txId: 'a' }], 7, 10);
    assert.deepEqual([s.get('a').length, s.get('stale').length], [0, 1]);
    purgeAfterCommit(s, [], 10, 5);
    assert.deepEqual([s.get('stale').length, s.get('fresh').length], [0, 1]);
  });

  it('one store per channel', () => {
    const p = new TransientStoreProvider();
    assert.equal(p.storeFor('a'), p.storeFor('a'));
    assert.notEqual(p.storeFor('a'), p.storeFor('b'));
  });
});
