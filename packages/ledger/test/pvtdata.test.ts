// Private data: the simulator writes plain values into the private rw-set and their hashes into the
// public one (as Fabric's builder); commit applies a valid tx's private rw-set when it matches the
// hash, keeps it with the block for recovery, and leaves the commit hash to public + hashed writes.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { kvrwset, protos, rwset } from '@fabric-peer/protos';
import { LedgerErrorCode, type KVLedger } from '../src/index.js';
import { backends, endorserTx, genesisBlock, nextBlock, withManager } from './helpers.js';

const sha = (b: Uint8Array | string): Buffer => createHash('sha256').update(b).digest();

async function simulatePvt(
  l: KVLedger,
  txId: string,
  fn: (s: Awaited<ReturnType<KVLedger['newTxSimulator']>>) => Promise<void>,
) {
  const sim = await l.newTxSimulator(txId);
  await fn(sim);
  const r = sim.getTxSimulationResults();
  await sim.done();
  return r;
}

async function readPvt(l: KVLedger, key: string): Promise<string | undefined> {
  const q = await l.newQueryExecutor();
  try {
    const v = await q.getPrivateData('cc', 'secret', key);
    return v === undefined ? undefined : Buffer.from(v).toString();
  } finally {
    await q.done();
  }
}

for (const backend of backends()) {
  describe(`private data (${backend.name})`, () => {
    after(() => backend.cleanup());

    it('builds the private rw-set and its hashes as Fabric does', async () => {
      await withManager(await backend.options(), async (m) => {
        const l = await m.createLedger(genesisBlock());
        const r = await simulatePvt(l, 't1', async (s) => {
          await s.setPrivateData('cc', 'secret', 'b', Buffer.from('B'));
          await s.setPrivateData('cc', 'secret', 'a', Buffer.from('A'));
          await s.deletePrivateData('cc', 'secret', 'c');
          await s.setState('cc', 'pub', Buffer.from('P'));
        });
        assert.ok(r.pvt && r.pvtBytes);
        const coll = r.pvt.nsPvtRwset[0]!.collectionPvtRwset[0]!;
        assert.equal(coll.collectionName, 'secret');
        const kv = kvrwset.KVRWSet.decode(coll.rwset);
        assert.deepEqual(
          kv.writes.map((w) => [w.key, Buffer.from(w.value).toString(), w.isDelete]),
          [
            ['a', 'A', false],
            ['b', 'B', false],
            ['c', '', true],
          ],
        );
        const hashed = r.txRwSet.nsRwSets[0]!.collHashedRwSets[0]!;
        assert.ok(Buffer.from(hashed.pvtRwSetHash).equals(sha(coll.rwset)));
        assert.deepEqual(
          hashed.hashedRwSet.hashedWrites.map((w) => [Buffer.from(w.keyHash).toString('hex'), w.isDelete]),
          [
            [sha('a').toString('hex'), false],
            [sha('b').toString('hex'), false],
            [sha('c').toString('hex'), true],
          ],
        );
        assert.ok(Buffer.from(hashed.hashedRwSet.hashedWrites[0]!.valueHash).equals(sha('A')));
        assert.equal(hashed.hashedRwSet.hashedWrites[2]!.valueHash.length, 0);
        assert.deepEqual(rwset.TxPvtReadWriteSet.decode(r.pvtBytes), r.pvt);
      });
    });

    it('commits matching private rw-sets, ignores mismatched ones, keeps the commit hash public', async () => {
      await withManager(await backend.options(), async (m) => {
        const l = await m.createLedger(genesisBlock());
        const r1 = await simulatePvt(l, 'p1', (s) =>
          s.setPrivateData('cc', 'secret', 'k', Buffer.from('v1')),
        );
        const r2 = await simulatePvt(l, 'p2', (s) =>
          s.setPrivateData('cc', 'secret', 'j', Buffer.from('v2')),
        );
        const forged = rwset.TxPvtReadWriteSet.encode({
          nsPvtRwset: [
            {
              namespace: 'cc',
              collectionPvtRwset: [
                {
                  collectionName: 'secret',
                  rwset: kvrwset.KVRWSet.encode({ writes: [{ key: 'j', value: Buffer.from('x') }] }),
                },
              ],
            },
          ],
        });
        const block = nextBlock(l.getBlockchainInfo(), [
          endorserTx('p1', r1.bytes),
          endorserTx('p2', r2.bytes),
        ]);
        const res = await l.commit(block, {
          pvtData: new Map<number, rwset.TxPvtReadWriteSet | Uint8Array>([
            [0, r1.pvt!],
            [1, forged],
          ]),
        });
        assert.deepEqual(res.validationCodes, [protos.TxValidationCode.VALID, protos.TxValidationCode.VALID]);
        assert.equal(await readPvt(l, 'k'), 'v1');
        await assert.rejects(readPvt(l, 'j'), { code: LedgerErrorCode.PVTDATA_NOT_AVAILABLE });
        assert.equal(await readPvt(l, 'nothing'), undefined);

        // The same block without private data has the same commit hash.
        await withManager({ inMemory: true }, async (m2) => {
          const l2 = await m2.createLedger(await l.getBlockByNumber(0));
          const res2 = await l2.commit({ ...block, metadata: { metadata: [] } });
          assert.ok(Buffer.from(res2.commitHash!).equals(res.commitHash!));
        });

        // A reader records the private read as a hashed read at the committed version.
        const r3 = await simulatePvt(l, 'p3', async (s) => {
          assert.equal(Buffer.from((await s.getPrivateData('cc', 'secret', 'k'))!).toString(), 'v1');
        });
        const read = r3.txRwSet.nsRwSets[0]!.collHashedRwSets[0]!.hashedRwSet.hashedReads[0]!;
        assert.deepEqual(read.version, { blockNum: 1, txNum: 0 });
        assert.equal(r3.pvt, undefined);

        // Rebuilt state gets its private values back from what was kept with the block.
        await l.close();
        await m.rebuildDBs();
        const back = await m.openLedger(l.ledgerId);
        assert.equal(await readPvt(back, 'k'), 'v1');
      });
    });
  });
}
