// The real Fabric 2.5.12 chain: blocks 0..13 as the orderer cut them go through our commit and come
// out as Fabric's peer committed them (validation codes, COMMIT_HASH, bytes), with the same world
// state and history.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, describe, it } from 'node:test';
import { common, protos } from '@fabric-peer/protos';
import { MetadataIndex, type KVLedger } from '../src/index.js';
import { backends, collect, FIXTURES, fixtureBlock, fixtureJson, withManager } from './helpers.js';

interface ChainJson {
  blocks: { number: number; hash: string; transactions: { tx_id: string; validation_code: number }[] }[];
}

const ENDORSEMENT_POLICY_FAILURE = protos.TxValidationCode.ENDORSEMENT_POLICY_FAILURE;

async function replay(ledger: KVLedger): Promise<void> {
  for (let n = 1; n <= 13; n++) {
    const block = await fixtureBlock('mychannel-orderer', n);
    const peerBlock = await fixtureBlock('mychannel', n);
    // Block 11's endorsement policy failure is the caller's (core's) verdict.
    const preFilter = n === 11 ? [ENDORSEMENT_POLICY_FAILURE] : undefined;
    const r = await ledger.commit(block, { preFilter });
    const expected = [...(peerBlock.metadata!.metadata[MetadataIndex.TRANSACTIONS_FILTER] as Uint8Array)];
    assert.deepEqual(r.validationCodes, expected, `block ${n} validation codes`);
    const fabricCommitHash = common.Metadata.decode(
      peerBlock.metadata!.metadata[MetadataIndex.COMMIT_HASH]!,
    ).value;
    assert.equal(
      Buffer.from(r.commitHash!).toString('hex'),
      Buffer.from(fabricCommitHash).toString('hex'),
      `block ${n} commit hash`,
    );
  }
}

for (const backend of backends()) {
  describe(`real Fabric chain (${backend.name})`, () => {
    after(() => backend.cleanup());

    it('commits blocks 0..13 with Fabric’s validation codes, commit hashes and bytes', async () => {
      await withManager(await backend.options(), async (m) => {
        const ledger = await m.createLedger(await fixtureBlock('mychannel-orderer', 0));
        assert.equal(ledger.ledgerId, 'mychannel');
        await replay(ledger);

        const getinfo = await fixtureJson<{
          height: number;
          currentBlockHash: string;
          previousBlockHash: string;
        }>('getinfo.json');
        const info = ledger.getBlockchainInfo();
        assert.equal(info.height, getinfo.height);
        assert.equal(Buffer.from(info.currentBlockHash).toString('base64'), getinfo.currentBlockHash);
        assert.equal(Buffer.from(info.previousBlockHash).toString('base64'), getinfo.previousBlockHash);

        // What we store is byte for byte what Fabric's peer stored.
        for (let n = 0; n <= 13; n++) {
          const ours = common.Block.encode(await ledger.getBlockByNumber(n));
          const theirs = await readFile(new URL(`blocks/mychannel/${n}.block`, FIXTURES));
          assert.ok(Buffer.from(ours).equals(theirs), `block ${n} bytes`);
        }
      });
    });

    it('indexes every block by hash and every transaction by id with its code', async () => {
      await withManager(await backend.options(), async (m) => {
        const ledger = await m.createLedger(await fixtureBlock('mychannel-orderer', 0));
        await replay(ledger);
        const chain = await fixtureJson<ChainJson>('mychannel.json');
        for (const b of chain.blocks) {
          const byHash = await ledger.getBlockByHash(Buffer.from(b.hash, 'hex'));
          assert.equal(byHash.header!.number, b.number);
          for (const [i, tx] of b.transactions.entries()) {
            if (tx.tx_id === '') continue;
            const t = await ledger.getTransactionById(tx.tx_id);
            assert.equal(t.blockNumber, b.number);
            assert.equal(t.txNumber, i);
            assert.equal(t.validationCode, tx.validation_code, `code of ${tx.tx_id}`);
            assert.equal(await ledger.getTxValidationCodeByTxId(tx.tx_id), tx.validation_code);
            assert.equal((await ledger.getBlockByTxId(tx.tx_id)).header!.number, b.number);
          }
        }
      });
    });

    it('ends with Fabric’s asset world state and history', async () => {
      await withManager(await backend.options(), async (m) => {
        const ledger = await m.createLedger(await fixtureBlock('mychannel-orderer', 0));
        await replay(ledger);
        const expected = await fixtureJson<{ key: string; value: string }[]>('worldstate-asset.json');
        const qe = await ledger.newQueryExecutor();
        const state = await collect(qe.getStateRangeScanIterator('asset', '', ''));
        assert.deepEqual(
          state.map((kv) => ({ key: kv.key, value: Buffer.from(kv.value).toString('utf8') })),
          expected,
        );
        // The chaincode definition lookup every endorser tx reads, at (4,0).
        const sim = await ledger.newTxSimulator('probe');
        await sim.getState('_lifecycle', 'namespaces/fields/asset/Sequence');
        const rw = sim.getTxSimulationResults().txRwSet;
        assert.deepEqual(rw.nsRwSets[0]!.kvRwSet.reads[0]!.version, { blockNum: 4, txNum: 0 });
        await sim.done();
        await qe.done();

        const hist = async (key: string): Promise<[string, string, boolean][]> =>
          (await collect(ledger.getHistoryForKey('asset', key))).map((h) => [
            h.txId.slice(0, 16),
            Buffer.from(h.value).toString('utf8'),
            h.isDelete,
          ]);
        assert.deepEqual(await hist('asset1'), [
          ['d511b3ba5840a240', '{"color":"blue","owner":"jerry","size":5}', false],
          ['7e1505a3403f9cf7', '{"color":"blue","owner":"tom","size":5}', false],
        ]);
        assert.deepEqual(await hist('asset2'), [
          ['27f484bb4b1672bf', '{"color":"red","owner":"dave","size":10}', false],
          ['b3018b082c022aca', '{"color":"red","owner":"alice","size":10}', false],
        ]);
        assert.deepEqual(await hist('asset3'), [
          ['b1a70ab53c49016a', '', true],
          ['1e79a4edf86d4b36', '{"color":"green","owner":"bob","size":15}', false],
        ]);
        assert.deepEqual(await hist('asset4'), []);
        const h1 = (await collect(ledger.getHistoryForKey('asset', 'asset1')))[0]!;
        assert.ok(h1.timestamp && h1.timestamp.seconds > 1_790_000_000);
      });
    });

    it('without the pre-filter, block 11 is valid: the endorsement policy is not the ledger’s job', async () => {
      await withManager(await backend.options(), async (m) => {
        const ledger = await m.createLedger(await fixtureBlock('mychannel-orderer', 0));
        for (let n = 1; n <= 11; n++) {
          const r = await ledger.commit(await fixtureBlock('mychannel-orderer', n));
          assert.deepEqual(r.validationCodes, [0]);
        }
        const qe = await ledger.newQueryExecutor();
        assert.ok(await qe.getState('asset', 'asset4'));
        await qe.done();
      });
    });
  });
}
