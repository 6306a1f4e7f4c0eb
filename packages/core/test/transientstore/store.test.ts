// The transient store (in memory and journaled): private rw-sets by tx id, handed to ledger.commit for a block's valid
// transactions, purged after commit or below a height.
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  it('a journaled store keeps what it held across a reopen; a torn last record is ignored', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'transient-'));
    try {
      const p = new TransientStoreProvider({ path: dir });
      const s = p.storeFor('mychannel');
      s.persist('a', 3, pvt('x'));
      s.persist('b', 4, pvt('y'));
      s.persist('c', 9, pvt('z'));
      s.purgeByTxIds(['a']);
      const file = join(dir, 'mychannel.journal');
      // A crash in the middle of an append: a length that promises more than the file holds.
      appendFileSync(file, Buffer.from([0, 0, 0, 50, 1, 2]));
      const again = TransientStore.open(file);
      assert.deepEqual([again.get('a').length, again.get('b').length, again.get('c').length], [0, 1, 1]);
      const bytes = (x: rwset.TxPvtReadWriteSet): Buffer => Buffer.from(rwset.TxPvtReadWriteSet.encode(x));
      assert.deepEqual(bytes(again.get('b')[0]!), bytes(pvt('y')));
      again.purgeBelowHeight(5);
      const third = TransientStore.open(file);
      assert.deepEqual([third.size, third.get('c').length], [1, 1]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('one store per channel', () => {
    const p = new TransientStoreProvider();
    assert.equal(p.storeFor('a'), p.storeFor('a'));
    assert.notEqual(p.storeFor('a'), p.storeFor('b'));
  });
});
