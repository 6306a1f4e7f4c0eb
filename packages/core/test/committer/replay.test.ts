// THE replay: the real genesis block joined, the real orderer blocks 1..13 through the whole commit
// path (orderer signatures, creators, endorsements, VSCC, MVCC); the codes and the world state must
// be what Fabric's peer produced.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { LedgerManager } from '@fabric-peer/ledger';
import { ChannelManager, type Channel } from '../../src/channel/index.js';
import { VerifyPool } from '../../src/committer/index.js';
import {
  expectedCodes,
  genesisBlock,
  ordererBlock,
  peerBlock,
  worldState,
} from '../channel/fabric-fixture.js';

async function replay(channel: Channel): Promise<number[][]> {
  const seen: number[][] = [];
  const off = channel.onBlockCommitted((e) => seen.push(e.validationCodes));
  for (let n = 1; n <= 13; n++) {
    const ev = await channel.commitBlock(ordererBlock(n));
    assert.deepEqual(ev.validationCodes, expectedCodes(n), `block ${n} codes`);
    if (n === 1) {
      const cfg = channel.config();
      assert.equal(cfg.sequence, 1);
      assert.deepEqual(cfg.applicationOrgs.find((o) => o.mspId === 'Org1MSP')!.anchorPeers, [
        { host: '127.0.0.1', port: 28151 },
      ]);
      assert.ok(ev.config);
    }
  }
  off();
  return seen;
}

async function assertWorldState(channel: Channel): Promise<void> {
  const qe = await channel.ledger.newQueryExecutor();
  const got: { key: string; value: string }[] = [];
  for await (const kv of qe.getStateRangeScanIterator('asset', '', ''))
    got.push({ key: kv.key, value: Buffer.from(kv.value).toString() });
  await qe.done();
  assert.deepEqual(got, worldState());
}

describe('replay of the real Fabric 2.5.12 chain', () => {
  const cleanups: (() => Promise<void>)[] = [];
  after(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('in memory: every block gets the codes Fabric wrote, the world state matches, config at sequence 1', async () => {
    const ledgers = await LedgerManager.open({ inMemory: true });
    const channels = await ChannelManager.open({ ledgers });
    cleanups.push(async () => {
      await channels.close();
      await ledgers.close();
    });
    const channel = await channels.joinChannel(genesisBlock());
    assert.equal(channel.id, 'mychannel');
    assert.equal(channel.config().sequence, 0);
    const seen = await replay(channel);
    assert.equal(seen.length, 13);
    assert.deepEqual(seen[10], [10]);
    assert.deepEqual(seen[11], [0, 11]);
    await assertWorldState(channel);
    assert.equal(channel.height, 14);
    // The stored block carries Fabric's own COMMIT_HASH.
    const stored = await channel.ledger.getBlockByNumber(13);
    assert.deepEqual(
      Buffer.from(stored.metadata!.metadata[4]!),
      Buffer.from(peerBlock(13).metadata!.metadata[4]!),
    );
    const def = await channel.definitions.get('asset');
    assert.equal(def?.sequence, 1);
  });

  it('all 13 blocks queued at once (look-ahead across the config change): the same codes', async () => {
    const ledgers = await LedgerManager.open({ inMemory: true });
    const channels = await ChannelManager.open({ ledgers });
    try {
      const channel = await channels.joinChannel(genesisBlock());
      const blocks = Array.from({ length: 13 }, (_, i) => ordererBlock(i + 1));
      const events = await Promise.all(blocks.map((b) => channel.commitBlock(b)));
      events.forEach((ev, i) => assert.deepEqual(ev.validationCodes, expectedCodes(i + 1), `block ${i + 1}`));
      assert.equal(channel.config().sequence, 1);
      await assertWorldState(channel);
    } finally {
      await channels.close();
      await ledgers.close();
    }
  });

  it('on classic-level with the verify pool, then reopened: height 14 and the config come back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'replay-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    {
      const ledgers = await LedgerManager.open({ path: dir });
      // minBatch 1: even the real chain's one-transaction blocks go through the workers.
      const channels = await ChannelManager.open({
        ledgers,
        verifier: new VerifyPool({ size: 2, minBatch: 1 }),
      });
      try {
        const channel = await channels.joinChannel(genesisBlock());
        await replay(channel);
        await assertWorldState(channel);
      } finally {
        await channels.close();
        await ledgers.close();
      }
    }
    const ledgers = await LedgerManager.open({ path: dir });
    const channels = await ChannelManager.open({ ledgers });
    try {
      assert.deepEqual(channels.channelIds(), ['mychannel']);
      const channel = channels.getChannel('mychannel')!;
      assert.equal(channel.height, 14);
      assert.equal(channel.config().sequence, 1);
      assert.equal(channel.config().configBlockNumber, 1);
      assert.deepEqual(channel.config().applicationOrgs.find((o) => o.mspId === 'Org1MSP')!.anchorPeers, [
        { host: '127.0.0.1', port: 28151 },
      ]);
      await assertWorldState(channel);
    } finally {
      await channels.close();
      await ledgers.close();
    }
  });
});
