// Blocks handed to the committer all at once (as a deliver client buffers them): the next blocks are
// checked and their signatures verified ahead, the ledger's reads for a block start with the
// validator's; every outcome is still the one of committing them one by one, in order.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signaturePolicyFromString } from '@fabric-peer/msp';
import { LedgerManager, type TxRwSet } from '@fabric-peer/ledger';
import { protos } from '@fabric-peer/protos';
import { type Channel, ChannelManager } from '../../src/channel/index.js';
import { type DevChain, devChain } from './devchain.js';

const C = protos.TxValidationCode;

const rw = (reads: [string, [number, number] | undefined][], writes: string[]): TxRwSet => ({
  nsRwSets: [
    {
      namespace: 'cc',
      kvRwSet: {
        reads: reads.map(([key, v]) => ({ key, version: v && { blockNum: v[0], txNum: v[1] } })),
        rangeQueriesInfo: [],
        writes: writes.map((key) => ({ key, isDelete: false, value: Buffer.from(`v-${key}`) })),
        metadataWrites: [],
      },
      collHashedRwSets: [],
    },
  ],
});

describe('committer with blocks queued', () => {
  let dev: DevChain;
  let ledgers: LedgerManager;
  let channels: ChannelManager;
  let ch: Channel;

  before(async () => {
    dev = await devChain();
    ledgers = await LedgerManager.open({ inMemory: true });
    channels = await ChannelManager.open({ ledgers, validatorPoolSize: 2 });
    ch = await channels.joinChannel(dev.genesis);
  });
  after(async () => {
    await channels.close();
    await ledgers.close();
  });

  it('validates each block against the state its predecessors left; a bad block is refused in its turn', async () => {
    const peerPolicy = { signaturePolicy: signaturePolicyFromString("OR('Org1MSP.peer')") };
    const b1 = dev.cutBlock([dev.defineChaincode('cc', peerPolicy)]);
    // Needs the definition of b1.
    const writeA = dev.endorserTx('cc', rw([], ['a']));
    const b2 = dev.cutBlock([writeA]);
    // Reads 'a' at the version b2 writes; b2's transaction again; a read of 'a' at no version.
    const b3 = dev.cutBlock([
      dev.endorserTx('cc', rw([['a', [2, 0]]], ['b'])),
      writeA,
      dev.endorserTx('cc', rw([['a', undefined]], ['d'])),
    ]);
    const b4 = dev.cutBlock([dev.endorserTx('cc', rw([['b', [3, 0]]], ['e']))]);
    b4.data!.data.push(dev.endorserTx('cc', rw([], ['f']))); // the data hash no longer matches
    const results = await Promise.allSettled([b1, b2, b3, b4].map((b) => ch.commitBlock(b)));
    const codes = results.map((r) => (r.status === 'fulfilled' ? r.value.validationCodes : r.reason));
    assert.deepEqual(codes.slice(0, 3), [
      [C.VALID],
      [C.VALID],
      [C.VALID, C.DUPLICATE_TXID, C.MVCC_READ_CONFLICT],
    ]);
    assert.equal((codes[3] as { code?: string }).code, 'COMMITTER_BLOCK_REFUSED');
    assert.match((codes[3] as Error).message, /DataHash/);
    assert.equal(ch.height, 4);
    const q = await ch.ledger.newQueryExecutor();
    const got = await q.getStateMultipleKeys('cc', ['a', 'b', 'c', 'd']);
    await q.done();
    assert.deepEqual(
      got.map((v) => v && Buffer.from(v).toString()),
      ['v-a', 'v-b', undefined, undefined],
    );
  });
});
