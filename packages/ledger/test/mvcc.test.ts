// Commit-time validation, rule by rule: MVCC read conflicts (against committed state and against
// earlier valid transactions of the same block), phantom reads, duplicate tx ids, the caller's
// pre-filter, config transactions, envelopes that do not parse, hashed (private data) reads.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { common, kvrwset, protos, rwset } from '@fabric-peer/protos';
import { type KVLedger } from '../src/index.js';
import {
  backends,
  endorserTx,
  envelope,
  genesisBlock,
  nextBlock,
  sha256,
  simpleRwSet,
  type SimpleRw,
  withManager,
} from './helpers.js';

const V = protos.TxValidationCode;

async function commitTxs(
  ledger: KVLedger,
  txs: (SimpleRw & { id: string })[],
  preFilter?: number[],
): Promise<number[]> {
  const envs = txs.map((t) => endorserTx(t.id, simpleRwSet(t)));
  return (await ledger.commit(nextBlock(ledger.getBlockchainInfo(), envs), { preFilter })).validationCodes;
}

async function value(ledger: KVLedger, key: string, ns = 'cc'): Promise<string | undefined> {
  const q = await ledger.newQueryExecutor();
  const v = await q.getState(ns, key);
  await q.done();
  return v === undefined ? undefined : Buffer.from(v).toString();
}

function rq(
  startKey: string,
  endKey: string,
  itrExhausted: boolean,
  reads: [string, number, number][],
): kvrwset.RangeQueryInfo {
  return {
    startKey,
    endKey,
    itrExhausted,
    rawReads: { kvReads: reads.map(([key, b, t]) => ({ key, version: { blockNum: b, txNum: t } })) },
  };
}

for (const backend of backends()) {
  describe(`commit validation (${backend.name})`, () => {
    after(() => backend.cleanup());

    const withLedger = async (fn: (l: KVLedger) => Promise<void>): Promise<void> =>
      withManager(await backend.options(), async (m) => fn(await m.createLedger(genesisBlock())));

    it('MVCC: a read at a stale or missing version conflicts; the right version passes', () =>
      withLedger(async (l) => {
        assert.deepEqual(await commitTxs(l, [{ id: 'a', writes: [['k', '1']] }]), [V.VALID]);
        assert.deepEqual(
          await commitTxs(l, [
            { id: 'b', reads: [['k', undefined]], writes: [['x', '1']] },
            { id: 'c', reads: [['k', [1, 1]]], writes: [['y', '1']] },
            {
              id: 'd',
              reads: [
                ['k', [1, 0]],
                ['nope', undefined],
              ],
              writes: [['k', '2']],
            },
          ]),
          [V.MVCC_READ_CONFLICT, V.MVCC_READ_CONFLICT, V.VALID],
        );
        assert.equal(await value(l, 'k'), '2');
        assert.equal(await value(l, 'x'), undefined);
      }));

    it('MVCC: a key written by an earlier valid tx of the block conflicts; an invalid one’s writes do not count', () =>
      withLedger(async (l) => {
        await commitTxs(l, [{ id: 'a', writes: [['k', '1']] }]);
        assert.deepEqual(
          await commitTxs(
            l,
            [
              { id: 'p', reads: [['k', [1, 0]]], writes: [['k', 'pre-invalid']] },
              { id: 'b', reads: [['k', [1, 0]]], writes: [['k', 'b']] },
              { id: 'c', reads: [['k', [1, 0]]], writes: [['k', 'c']] },
              { id: 'd', writes: [['k', 'blind']] },
            ],
            [V.ENDORSEMENT_POLICY_FAILURE, 0, 0, 0],
          ),
          [V.ENDORSEMENT_POLICY_FAILURE, V.VALID, V.MVCC_READ_CONFLICT, V.VALID],
        );
        assert.equal(await value(l, 'k'), 'blind');
        const q = await l.newTxSimulator('probe');
        await q.getState('cc', 'k');
        assert.deepEqual(q.getTxSimulationResults().txRwSet.nsRwSets[0]!.kvRwSet.reads[0]!.version, {
          blockNum: 2,
          txNum: 3,
        });
        await q.done();
      }));

    it('phantoms: inserts, deletes and updates inside a re-run range conflict, outside do not', () =>
      withLedger(async (l) => {
        await commitTxs(l, [
          {
            id: 'a',
            writes: [
              ['k1', '1'],
              ['k3', '1'],
              ['k5', '1'],
            ],
          },
        ]);
        const full = rq('k1', 'k9', true, [
          ['k1', 1, 0],
          ['k3', 1, 0],
          ['k5', 1, 0],
        ]);
        // Unchanged range -> valid.
        assert.deepEqual(await commitTxs(l, [{ id: 'r0', ranges: [full] }]), [V.VALID]);
        // An earlier tx of the same block inserts k2 -> phantom; outside the range (k9 excluded) -> fine.
        assert.deepEqual(
          await commitTxs(l, [
            { id: 'w1', writes: [['k9', 'x']] },
            { id: 'r1', ranges: [full] },
            { id: 'w2', writes: [['k2', 'x']] },
            { id: 'r2', ranges: [full] },
          ]),
          [V.VALID, V.VALID, V.VALID, V.PHANTOM_READ_CONFLICT],
        );
        // Committed insert k2 (block 3) -> the old range reads are now phantom.
        assert.deepEqual(await commitTxs(l, [{ id: 'r3', ranges: [full] }]), [V.PHANTOM_READ_CONFLICT]);
        const now = rq('k1', 'k9', true, [
          ['k1', 1, 0],
          ['k2', 3, 2],
          ['k3', 1, 0],
          ['k5', 1, 0],
        ]);
        assert.deepEqual(await commitTxs(l, [{ id: 'r4', ranges: [now] }]), [V.VALID]);
        // Delete inside the range, then the same reads are phantom.
        assert.deepEqual(
          await commitTxs(l, [
            { id: 'd1', writes: [['k3', undefined]] },
            { id: 'r5', ranges: [now] },
          ]),
          [V.VALID, V.PHANTOM_READ_CONFLICT],
        );
        // A range read only partly (not exhausted: end key = last key read, inclusive).
        const partial = rq('k1', 'k2', false, [
          ['k1', 1, 0],
          ['k2', 3, 2],
        ]);
        assert.deepEqual(
          await commitTxs(l, [
            { id: 'w3', writes: [['k4', 'x']] },
            { id: 'r6', ranges: [partial] },
            { id: 'w4', writes: [['k15', 'x']] },
            { id: 'r7', ranges: [partial] },
          ]),
          [V.VALID, V.VALID, V.VALID, V.PHANTOM_READ_CONFLICT],
        );
      }));

    it('duplicate tx ids: within the block and against the ledger', () =>
      withLedger(async (l) => {
        assert.deepEqual(
          await commitTxs(l, [
            { id: 'same', writes: [['a', '1']] },
            { id: 'same', writes: [['b', '1']] },
          ]),
          [V.VALID, V.DUPLICATE_TXID],
        );
        assert.deepEqual(await commitTxs(l, [{ id: 'same', writes: [['c', '1']] }, { id: 'other' }]), [
          V.DUPLICATE_TXID,
          V.VALID,
        ]);
        assert.equal(await value(l, 'b'), undefined);
        assert.equal(await value(l, 'c'), undefined);
        const t = await l.getTransactionById('same');
        assert.deepEqual([t.blockNumber, t.txNumber, t.validationCode], [1, 0, V.VALID]);
      }));

    it('config txs are valid with nothing to apply; unparseable envelopes get Fabric’s codes', () =>
      withLedger(async (l) => {
        const garbage = Uint8Array.from([0xff, 0xff, 0xff]);
        const badRwSet = endorserTx('bad-rw', Uint8Array.from([0x0a, 0x05, 0x01]));
        const msg = envelope(common.HeaderType.MESSAGE, 'msg', new Uint8Array());
        const cfg = envelope(common.HeaderType.CONFIG, '', new Uint8Array([1]));
        const r = await l.commit(
          nextBlock(l.getBlockchainInfo(), [cfg, garbage, badRwSet, msg, new Uint8Array()]),
        );
        assert.deepEqual(r.validationCodes, [
          V.VALID,
          V.BAD_PAYLOAD,
          V.BAD_RWSET,
          V.UNKNOWN_TX_TYPE,
          V.NIL_ENVELOPE,
        ]);
        assert.deepEqual([...r.block.metadata!.metadata[2]!], r.validationCodes);
      }));

    it('hashed (private data) writes land in hashed state; hashed reads are MVCC-checked', () =>
      withLedger(async (l) => {
        const keyHash = sha256('secret');
        const valueHash = sha256('value');
        const hashed = (h: kvrwset.HashedRWSet): rwset.TxReadWriteSet =>
          rwset.TxReadWriteSet.create({
            nsRwset: [
              {
                namespace: 'cc',
                rwset: kvrwset.KVRWSet.encode({}),
                collectionHashedRwset: [
                  { collectionName: 'coll', hashedRwset: kvrwset.HashedRWSet.encode(h) },
                ],
              },
            ],
          });
        const w = hashed({
          hashedWrites: [{ keyHash, valueHash, isDelete: false, isPurge: false }],
          hashedReads: [],
          metadataWrites: [],
        });
        const r1 = await l.commit(nextBlock(l.getBlockchainInfo(), [endorserTx('h1', w)]));
        assert.deepEqual(r1.validationCodes, [V.VALID]);
        const q = await l.newTxSimulator('h2');
        assert.deepEqual(Buffer.from((await q.getPrivateDataHash('cc', 'coll', 'secret'))!), valueHash);
        const got =
          q.getTxSimulationResults().txRwSet.nsRwSets[0]!.collHashedRwSets[0]!.hashedRwSet.hashedReads[0]!;
        await q.done();
        assert.deepEqual(got.version, { blockNum: 1, txNum: 0 });
        const read = (v: [number, number]) =>
          hashed({
            hashedReads: [{ keyHash, version: { blockNum: v[0], txNum: v[1] } }],
            hashedWrites: [],
            metadataWrites: [],
          });
        const r2 = await l.commit(
          nextBlock(l.getBlockchainInfo(), [endorserTx('h2', read([1, 0])), endorserTx('h3', read([0, 0]))]),
        );
        assert.deepEqual(r2.validationCodes, [V.VALID, V.MVCC_READ_CONFLICT]);
      }));
  });
}
