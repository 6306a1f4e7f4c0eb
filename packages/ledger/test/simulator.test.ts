// The transaction simulator: its rw-sets are byte for byte those Fabric's peers endorsed in the
// real chain, and it follows Fabric's rules (reads see committed state only, sorted layout,
// range query info for phantom checks, no writes after a paginated query).
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { common, protos, rwset } from '@fabric-peer/protos';
import { LedgerErrorCode, type KVLedger, type LedgerManager } from '../src/index.js';
import {
  backends,
  collect,
  endorserTx,
  fixtureBlock,
  genesisBlock,
  nextBlock,
  simpleRwSet,
  withManager,
} from './helpers.js';

function resultsOf(block: common.Block, i = 0): Uint8Array {
  const payload = common.Payload.decode(common.Envelope.decode(block.data!.data[i]!).payload);
  const tx = protos.Transaction.decode(payload.data);
  const cap = protos.ChaincodeActionPayload.decode(tx.actions[0]!.payload);
  const prp = protos.ProposalResponsePayload.decode(cap.action!.proposalResponsePayload);
  return protos.ChaincodeAction.decode(prp.extension).results;
}

async function realLedgerUpTo(m: LedgerManager, last: number): Promise<KVLedger> {
  const ledger = await m.createLedger(await fixtureBlock('mychannel-orderer', 0));
  for (let n = 1; n <= last; n++) await ledger.commit(await fixtureBlock('mychannel-orderer', n));
  return ledger;
}

const LIFECYCLE_SEQ = 'namespaces/fields/asset/Sequence';

for (const backend of backends()) {
  describe(`TxSimulator (${backend.name})`, () => {
    after(() => backend.cleanup());

    it('reproduces the rw-sets Fabric endorsed (Put, Transfer, Del, GetRange)', async () => {
      await withManager(await backend.options(), async (m) => {
        const ledger = await realLedgerUpTo(m, 4);
        const check = async (
          n: number,
          run: (s: Awaited<ReturnType<KVLedger['newTxSimulator']>>) => Promise<void>,
        ) => {
          const sim = await ledger.newTxSimulator(`sim-${n}`);
          await sim.getState('_lifecycle', LIFECYCLE_SEQ);
          await run(sim);
          const ours = Buffer.from(sim.getTxSimulationResults().bytes);
          await sim.done();
          const block = await fixtureBlock('mychannel-orderer', n);
          assert.equal(
            ours.toString('hex'),
            Buffer.from(resultsOf(block)).toString('hex'),
            `rw-set of block ${n}`,
          );
          await ledger.commit(block);
        };
        const json = (o: object): Buffer => Buffer.from(JSON.stringify(o));
        await check(5, (s) => s.setState('asset', 'asset1', json({ color: 'blue', owner: 'tom', size: 5 })));
        await check(6, (s) =>
          s.setState('asset', 'asset2', json({ color: 'red', owner: 'alice', size: 10 })),
        );
        await check(7, (s) =>
          s.setState('asset', 'asset3', json({ color: 'green', owner: 'bob', size: 15 })),
        );
        await check(8, async (s) => {
          const v = JSON.parse(Buffer.from((await s.getState('asset', 'asset1'))!).toString()) as {
            owner: string;
          };
          v.owner = 'jerry';
          await s.setState('asset', 'asset1', json(v));
        });
        await check(9, (s) => s.deleteState('asset', 'asset3'));
        await check(10, async (s) => {
          await collect(s.getStateRangeScanIterator('asset', 'asset0', 'asset9'));
        });
      });
    });

    it('does not read its own writes; lays out namespaces and keys sorted', async () => {
      await withManager(await backend.options(), async (m) => {
        const ledger = await m.createLedger(genesisBlock());
        await ledger.commit(
          nextBlock(ledger.getBlockchainInfo(), [endorserTx('t1', simpleRwSet({ writes: [['k', 'v1']] }))]),
        );
        const sim = await ledger.newTxSimulator('t2');
        await sim.setState('zz', 'b', Buffer.from('x'));
        await sim.setState('cc', 'k', Buffer.from('v2'));
        assert.equal(Buffer.from((await sim.getState('cc', 'k'))!).toString(), 'v1');
        await sim.setState('cc', 'a', Buffer.from('y'));
        await sim.deleteState('cc', 'z');
        assert.equal(await sim.getState('cc', 'missing'), undefined);
        const { txRwSet, proto, bytes } = sim.getTxSimulationResults();
        assert.deepEqual(
          txRwSet.nsRwSets.map((n) => n.namespace),
          ['cc', 'zz'],
        );
        const cc = txRwSet.nsRwSets[0]!.kvRwSet;
        assert.deepEqual(
          cc.reads.map((r) => [r.key, r.version]),
          [
            ['k', { blockNum: 1, txNum: 0 }],
            ['missing', undefined],
          ],
        );
        assert.deepEqual(
          cc.writes.map((w) => [w.key, w.isDelete]),
          [
            ['a', false],
            ['k', false],
            ['z', true],
          ],
        );
        assert.equal(proto.dataModel, rwset.TxReadWriteSet_DataModel.KV);
        assert.deepEqual(rwset.TxReadWriteSet.decode(bytes), proto);
        assert.throws(() => sim.getTxSimulationResults(), { code: LedgerErrorCode.INVALID_ARGUMENT });
        await sim.done();
        await assert.rejects(sim.getState('cc', 'k'), { code: LedgerErrorCode.CLOSED });
      });
    });

    it('two simulations of the same calls give identical bytes', async () => {
      await withManager(await backend.options(), async (m) => {
        const ledger = await m.createLedger(genesisBlock());
        const run = async (order: string[]): Promise<string> => {
          const sim = await ledger.newTxSimulator('x');
          for (const k of order) {
            await sim.getState('ns', k);
            await sim.setState('ns', k, Buffer.from(k));
          }
          const b = Buffer.from(sim.getTxSimulationResults().bytes).toString('hex');
          await sim.done();
          return b;
        };
        assert.equal(await run(['b', 'a', 'é', 'c']), await run(['c', 'é', 'a', 'b']));
      });
    });

    it('records range queries: partial reads end at the last key read, exhausted ones at the end key', async () => {
      await withManager(await backend.options(), async (m) => {
        const ledger = await m.createLedger(genesisBlock());
        const writes: [string, string][] = ['k1', 'k2', 'k3', 'k4'].map((k) => [k, 'v']);
        await ledger.commit(
          nextBlock(ledger.getBlockchainInfo(), [endorserTx('t1', simpleRwSet({ writes }))]),
        );
        const sim = await ledger.newTxSimulator('t2');
        const it1 = sim.getStateRangeScanIterator('cc', 'k1', 'k9');
        assert.equal((await it1.next()).value?.key, 'k1');
        assert.equal((await it1.next()).value?.key, 'k2');
        await it1.close();
        assert.deepEqual(
          (await collect(sim.getStateRangeScanIterator('cc', 'k3', ''))).map((kv) => kv.key),
          ['k3', 'k4'],
        );
        const rqis = sim.getTxSimulationResults().txRwSet.nsRwSets[0]!.kvRwSet.rangeQueriesInfo;
        await sim.done();
        assert.equal(rqis.length, 2);
        assert.deepEqual([rqis[0]!.startKey, rqis[0]!.endKey, rqis[0]!.itrExhausted], ['k1', 'k2', false]);
        assert.deepEqual(
          rqis[0]!.rawReads!.kvReads.map((r) => r.key),
          ['k1', 'k2'],
        );
        assert.deepEqual([rqis[1]!.startKey, rqis[1]!.endKey, rqis[1]!.itrExhausted], ['k3', '', true]);
      });
    });

    it('summarises more than 50 range results as a merkle tree, and validates it', async () => {
      await withManager(await backend.options(), async (m) => {
        const ledger = await m.createLedger(genesisBlock());
        const writes: [string, string][] = Array.from({ length: 120 }, (_, i) => [
          `k${String(i).padStart(3, '0')}`,
          'v',
        ]);
        await ledger.commit(
          nextBlock(ledger.getBlockchainInfo(), [endorserTx('t1', simpleRwSet({ writes }))]),
        );
        const sim = await ledger.newTxSimulator('t2');
        assert.equal((await collect(sim.getStateRangeScanIterator('cc', '', ''))).length, 120);
        await sim.setState('cc', 'k000', Buffer.from('w'));
        const { bytes, txRwSet } = sim.getTxSimulationResults();
        await sim.done();
        const rqi = txRwSet.nsRwSets[0]!.kvRwSet.rangeQueriesInfo[0]!;
        assert.equal(rqi.rawReads, undefined);
        assert.equal(rqi.readsMerkleHashes!.maxDegree, 50);
        assert.equal(rqi.readsMerkleHashes!.maxLevel, 1);
        assert.equal(rqi.readsMerkleHashes!.maxLevelHashes.length, 3);
        // Same results -> valid; a second tx in the same block re-running it after the first wrote -> phantom.
        const r = await ledger.commit(
          nextBlock(ledger.getBlockchainInfo(), [endorserTx('t2', bytes), endorserTx('t3', bytes)]),
        );
        assert.deepEqual(r.validationCodes, [0, protos.TxValidationCode.PHANTOM_READ_CONFLICT]);
      });
    });

    it('pages range queries with bookmarks and refuses writes after a paginated query', async () => {
      await withManager(await backend.options(), async (m) => {
        const ledger = await m.createLedger(genesisBlock());
        const writes: [string, string][] = ['a', 'b', 'c', 'd', 'e'].map((k) => [k, k]);
        await ledger.commit(
          nextBlock(ledger.getBlockchainInfo(), [endorserTx('t1', simpleRwSet({ writes }))]),
        );
        const sim = await ledger.newTxSimulator('t2');
        const p1 = await sim.getStateRangeScanIteratorWithPagination('cc', '', '', 2);
        assert.deepEqual(
          p1.results.map((r) => r.key),
          ['a', 'b'],
        );
        assert.equal(p1.bookmark, 'c');
        const p2 = await sim.getStateRangeScanIteratorWithPagination('cc', p1.bookmark, '', 2);
        assert.deepEqual(
          p2.results.map((r) => r.key),
          ['c', 'd'],
        );
        const p3 = await sim.getStateRangeScanIteratorWithPagination('cc', p2.bookmark, '', 2);
        assert.deepEqual(
          p3.results.map((r) => r.key),
          ['e'],
        );
        assert.equal(p3.bookmark, '');
        await assert.rejects(sim.setState('cc', 'x', Buffer.from('1')), {
          code: LedgerErrorCode.INVALID_ARGUMENT,
        });
        await sim.done();
        const sim2 = await ledger.newTxSimulator('t3');
        await sim2.setState('cc', 'x', Buffer.from('1'));
        await assert.rejects(sim2.getStateRangeScanIteratorWithPagination('cc', '', '', 2), {
          code: LedgerErrorCode.INVALID_ARGUMENT,
        });
        await sim2.done();
      });
    });

    it('keeps key metadata across value writes and reads it back', async () => {
      await withManager(await backend.options(), async (m) => {
        const ledger = await m.createLedger(genesisBlock());
        const s1 = await ledger.newTxSimulator('m1');
        await s1.setState('cc', 'k', Buffer.from('v1'));
        await s1.setStateMetadata('cc', 'k', { VALIDATION_PARAMETER: Buffer.from('policy') });
        const r1 = s1.getTxSimulationResults();
        await s1.done();
        assert.deepEqual(r1.txRwSet.nsRwSets[0]!.kvRwSet.metadataWrites, [
          { key: 'k', entries: [{ name: 'VALIDATION_PARAMETER', value: Buffer.from('policy') }] },
        ]);
        await ledger.commit(nextBlock(ledger.getBlockchainInfo(), [endorserTx('m1', r1.bytes)]));
        const s2 = await ledger.newTxSimulator('m2');
        await s2.setState('cc', 'k', Buffer.from('v2'));
        const r2 = s2.getTxSimulationResults();
        await s2.done();
        await ledger.commit(nextBlock(ledger.getBlockchainInfo(), [endorserTx('m2', r2.bytes)]));
        const q = await ledger.newQueryExecutor();
        assert.equal(Buffer.from((await q.getState('cc', 'k'))!).toString(), 'v2');
        assert.deepEqual(await q.getStateMetadata('cc', 'k'), {
          VALIDATION_PARAMETER: Buffer.from('policy'),
        });
        assert.deepEqual(await q.getStateMetadataMultipleKeys('cc', ['nope', 'k', 'k']), [
          undefined,
          { VALIDATION_PARAMETER: Buffer.from('policy') },
          { VALIDATION_PARAMETER: Buffer.from('policy') },
        ]);
        await q.done();
        // A simulator records the reads, as getStateMetadata does.
        const s4 = await ledger.newTxSimulator('m4');
        await s4.getStateMetadataMultipleKeys('cc', ['k', 'nope']);
        const reads = s4.getTxSimulationResults().txRwSet.nsRwSets[0]!.kvRwSet.reads;
        await s4.done();
        assert.deepEqual(
          reads.map((r) => [r.key, r.version?.blockNum]),
          [
            ['k', 2],
            ['nope', undefined],
          ],
        );
        const s3 = await ledger.newTxSimulator('m3');
        await s3.deleteStateMetadata('cc', 'k');
        const r3 = s3.getTxSimulationResults();
        await s3.done();
        await ledger.commit(nextBlock(ledger.getBlockchainInfo(), [endorserTx('m3', r3.bytes)]));
        const q2 = await ledger.newQueryExecutor();
        assert.equal(await q2.getStateMetadata('cc', 'k'), undefined);
        assert.equal(Buffer.from((await q2.getState('cc', 'k'))!).toString(), 'v2');
        await q2.done();
      });
    });

    it('under concurrent commits, every simulator sees all keys from one block', async () => {
      await withManager(await backend.options(), async (m) => {
        const ledger = await m.createLedger(genesisBlock());
        const keys = Array.from({ length: 10 }, (_, i) => `k${i}`);
        const committer = (async () => {
          for (let b = 1; b <= 40; b++) {
            const writes: [string, string][] = keys.map((k) => [k, String(b)]);
            await ledger.commit(
              nextBlock(ledger.getBlockchainInfo(), [endorserTx(`b${b}`, simpleRwSet({ writes }))]),
            );
          }
        })();
        const readers = Array.from({ length: 40 }, async (_, r) => {
          await new Promise((res) => setTimeout(res, r));
          const sim = await ledger.newTxSimulator(`r${r}`);
          const seen = new Set<string>();
          for (const k of keys) {
            const v = await sim.getState('cc', k);
            seen.add(v === undefined ? '-' : Buffer.from(v).toString());
            await new Promise((res) => setImmediate(res));
          }
          for (const kv of await collect(sim.getStateRangeScanIterator('cc', '', '')))
            seen.add(Buffer.from(kv.value).toString());
          await sim.done();
          assert.ok(seen.size === 1, `reader ${r} saw ${[...seen].join(',')}`);
        });
        await Promise.all([committer, ...readers]);
      });
    });

    it('sees one committed block throughout, even when a commit lands mid-simulation', async () => {
      await withManager(await backend.options(), async (m) => {
        const ledger = await m.createLedger(genesisBlock());
        await ledger.commit(
          nextBlock(ledger.getBlockchainInfo(), [
            endorserTx(
              't1',
              simpleRwSet({
                writes: [
                  ['a', '1'],
                  ['b', '1'],
                ],
              }),
            ),
          ]),
        );
        const sim = await ledger.newTxSimulator('t2');
        assert.equal(Buffer.from((await sim.getState('cc', 'a'))!).toString(), '1');
        await ledger.commit(
          nextBlock(ledger.getBlockchainInfo(), [
            endorserTx(
              't3',
              simpleRwSet({
                writes: [
                  ['a', '2'],
                  ['b', '2'],
                ],
              }),
            ),
          ]),
        );
        assert.equal(Buffer.from((await sim.getState('cc', 'b'))!).toString(), '1');
        assert.deepEqual(
          (await sim.getStateMultipleKeys('cc', ['a', 'b'])).map((v) => Buffer.from(v!).toString()),
          ['1', '1'],
        );
        assert.deepEqual(
          (await collect(sim.getStateRangeScanIterator('cc', '', ''))).map((kv) =>
            Buffer.from(kv.value).toString(),
          ),
          ['1', '1'],
        );
        await sim.done();
        const q = await ledger.newQueryExecutor();
        assert.deepEqual(
          (await q.getStateMultipleKeys('cc', ['a', 'b', 'c'])).map((v) => v && Buffer.from(v).toString()),
          ['2', '2', undefined],
        );
        await q.done();
      });
    });
  });
}
