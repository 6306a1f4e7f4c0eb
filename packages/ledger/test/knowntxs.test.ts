// commit() with the transactions the caller already parsed (the committer's path): the same codes,
// state, tx index and COMMIT_HASH as when the ledger decodes the envelopes itself; bad arguments are
// refused; dataHashVerified skips only the data hash.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { common, protos, rwset } from '@fabric-peer/protos';
import { decodeTxRwSet, type KnownTx, type KVLedger, LedgerErrorCode } from '../src/index.js';
import {
  backends,
  CHANNEL,
  endorserTx,
  genesisBlock,
  hashOf,
  nextBlock,
  simpleRwSet,
  type SimpleRw,
  withManager,
} from './helpers.js';

const V = protos.TxValidationCode;
const E = common.HeaderType.ENDORSER_TRANSACTION;

interface TestTx {
  env: Uint8Array;
  known: KnownTx;
  pre: number;
}

function tx(id: string, rw: SimpleRw): TestTx {
  const set = simpleRwSet(rw);
  return {
    env: endorserTx(id, set),
    known: { txId: id, type: E, rwSet: decodeTxRwSet(rwset.TxReadWriteSet.encode(set)) },
    pre: V.VALID,
  };
}

const garbage: TestTx = {
  env: Uint8Array.from([0xff, 0xff, 0xff]),
  known: { txId: '', type: -1 },
  pre: V.BAD_PAYLOAD,
};

const blocks: TestTx[][] = [
  [
    tx('t1', {
      writes: [
        ['a', '1'],
        ['b', '1'],
      ],
    }),
    tx('t2', { reads: [['a', undefined]], writes: [['c', '2']] }), // a written earlier in the block
    garbage,
    tx('t1', { writes: [['d', '1']] }), // duplicate in the block
    { ...tx('t6', { writes: [['e', '1']] }), pre: V.ENDORSEMENT_POLICY_FAILURE },
  ],
  [
    tx('t3', { reads: [['a', [1, 0]]], writes: [['a', '3']] }),
    tx('t4', { reads: [['b', [0, 0]]], writes: [['f', '4']] }), // stale version
    tx('t1', { writes: [['g', '1']] }), // already in the ledger
    tx('t5', { reads: [['zz', undefined]], writes: [['b', undefined]] }), // delete
  ],
];

async function value(ledger: KVLedger, key: string): Promise<string | undefined> {
  const q = await ledger.newQueryExecutor();
  const v = await q.getState('cc', key);
  await q.done();
  return v === undefined ? undefined : Buffer.from(v).toString();
}

for (const backend of backends()) {
  describe(`commit with parsed transactions (${backend.name})`, () => {
    after(() => backend.cleanup());

    it('gives the codes, state, tx index and COMMIT_HASH of the decoding path', async () =>
      withManager(await backend.options(), async (m) => {
        const decoding = await m.createLedger(genesisBlock(CHANNEL));
        const parsed = await m.createLedger(genesisBlock('other'));
        for (const txs of blocks) {
          const envs = txs.map((t) => t.env);
          const preFilter = txs.map((t) => t.pre);
          const a = await decoding.commit(nextBlock(decoding.getBlockchainInfo(), envs), { preFilter });
          const b = await parsed.commit(nextBlock(parsed.getBlockchainInfo(), envs), {
            preFilter,
            txs: txs.map((t) => t.known),
            dataHashVerified: true,
          });
          assert.deepEqual(b.validationCodes, a.validationCodes);
          assert.deepEqual(b.commitHash, a.commitHash);
          assert.deepEqual(b.block.metadata!.metadata[2], a.block.metadata!.metadata[2]);
        }
        assert.deepEqual(
          (await parsed.getBlockByNumber(1)).metadata!.metadata[2],
          Uint8Array.from([V.VALID, V.MVCC_READ_CONFLICT, V.BAD_PAYLOAD, V.DUPLICATE_TXID, 10]),
        );
        assert.deepEqual(
          [...(await parsed.getBlockByNumber(2)).metadata!.metadata[2]!],
          [V.VALID, V.MVCC_READ_CONFLICT, V.DUPLICATE_TXID, V.VALID],
        );
        for (const k of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) {
          assert.equal(await value(parsed, k), await value(decoding, k), k);
        }
        assert.equal(await value(parsed, 'a'), '3');
        assert.equal(await value(parsed, 'b'), undefined);
        const t = await parsed.getTransactionById('t5');
        assert.deepEqual([t.blockNumber, t.txNumber, t.validationCode], [2, 3, V.VALID]);
      }));

    it('prefetch before commit gives the same results; reads from before another commit are not used', async () =>
      withManager(await backend.options(), async (m) => {
        const plain = await m.createLedger(genesisBlock(CHANNEL));
        const ahead = await m.createLedger(genesisBlock('other'));
        for (const txs of blocks) {
          const envs = txs.map((t) => t.env);
          const preFilter = txs.map((t) => t.pre);
          const known = txs.map((t) => t.known);
          const a = await plain.commit(nextBlock(plain.getBlockchainInfo(), envs), { preFilter, txs: known });
          const block = nextBlock(ahead.getBlockchainInfo(), envs);
          ahead.prefetch(block, known);
          const b = await ahead.commit(block, { preFilter, txs: known });
          assert.deepEqual(b.validationCodes, a.validationCodes);
          assert.deepEqual(b.commitHash, a.commitHash);
        }
        // Block 4 is prefetched before block 3 commits: 'p' is not there yet, 'q1' not indexed yet.
        const b3txs = [tx('q1', { writes: [['p', '1']] })];
        const b3 = nextBlock(
          ahead.getBlockchainInfo(),
          b3txs.map((t) => t.env),
        );
        const b4txs = [tx('q2', { reads: [['p', [3, 0]]], writes: [['r', '1']] }), tx('q1', {})];
        const b4 = nextBlock(
          { height: 4, currentBlockHash: hashOf(b3) },
          b4txs.map((t) => t.env),
        );
        ahead.prefetch(
          b4,
          b4txs.map((t) => t.known),
        );
        await ahead.commit(b3, { preFilter: [0], txs: b3txs.map((t) => t.known) });
        const r4 = await ahead.commit(b4, { preFilter: [0, 0], txs: b4txs.map((t) => t.known) });
        assert.deepEqual(r4.validationCodes, [V.VALID, V.DUPLICATE_TXID]);
        assert.equal(await value(ahead, 'r'), '1');
      }));

    it('refuses parsed transactions without codes or of another count; a missing rw-set is BAD_RWSET', async () =>
      withManager(await backend.options(), async (m) => {
        const l = await m.createLedger(genesisBlock());
        const t = tx('x1', { writes: [['a', '1']] });
        const block = nextBlock(l.getBlockchainInfo(), [t.env]);
        const invalidArgument = (e: unknown): boolean =>
          (e as { code?: string }).code === LedgerErrorCode.INVALID_ARGUMENT;
        await assert.rejects(l.commit(block, { txs: [t.known] }), invalidArgument);
        await assert.rejects(
          l.commit(block, { preFilter: [0, 0], txs: [t.known, t.known] }),
          invalidArgument,
        );
        assert.equal(l.height, 1);
        const r = await l.commit(block, { preFilter: [0], txs: [{ txId: 'x1', type: E }] });
        assert.deepEqual(r.validationCodes, [V.BAD_RWSET]);
      }));

    it('dataHashVerified skips the data hash only: a block that does not chain is still refused', async () =>
      withManager(await backend.options(), async (m) => {
        const l = await m.createLedger(genesisBlock());
        const t = tx('y1', { writes: [['a', '1']] });
        const block = nextBlock({ height: 1, currentBlockHash: new Uint8Array(32) }, [t.env]);
        await assert.rejects(
          l.commit(block, { preFilter: [0], txs: [t.known], dataHashVerified: true }),
          (e: unknown) => (e as { code?: string }).code === LedgerErrorCode.BLOCK_NOT_CHAINED,
        );
        const tampered = nextBlock(l.getBlockchainInfo(), [t.env]);
        tampered.header!.dataHash = new Uint8Array(32);
        await assert.rejects(
          l.commit(tampered, { preFilter: [0], txs: [t.known] }),
          (e: unknown) => (e as { code?: string }).code === LedgerErrorCode.BLOCK_DATA_HASH_MISMATCH,
        );
      }));
  });
}
