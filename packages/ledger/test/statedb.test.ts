// State DB details: composite keys in the shim's encoding (and their ranges), namespaces kept
// apart, keys that contain 0x00 or are prefixes of each other in history, savepoints.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import {
  createCompositeKey,
  LedgerErrorCode,
  MAX_UNICODE_RUNE,
  partialCompositeKeyRange,
  splitCompositeKey,
} from '../src/index.js';
import { VersionedDB } from '../src/statedb/statedb.js';
import {
  backends,
  collect,
  endorserTx,
  genesisBlock,
  nextBlock,
  simpleRwSet,
  withManager,
} from './helpers.js';

describe('composite keys', () => {
  it('encode as the shim does and split back', () => {
    const k = createCompositeKey('owner~asset', ['alice', 'asset1']);
    assert.equal(k, '\x00owner~asset\x00alice\x00asset1\x00');
    assert.deepEqual(splitCompositeKey(k), { objectType: 'owner~asset', attributes: ['alice', 'asset1'] });
    assert.deepEqual(partialCompositeKeyRange('owner~asset', ['alice']), {
      startKey: '\x00owner~asset\x00alice\x00',
      endKey: `\x00owner~asset\x00alice\x00${MAX_UNICODE_RUNE}`,
    });
    assert.throws(() => createCompositeKey('a\x00b', []), { code: LedgerErrorCode.INVALID_ARGUMENT });
    assert.throws(() => splitCompositeKey('plain'), { code: LedgerErrorCode.INVALID_ARGUMENT });
  });
});

for (const backend of backends()) {
  describe(`state DB (${backend.name})`, () => {
    after(() => backend.cleanup());

    it('ranges over composite keys, keeps simple-key ranges and namespaces apart', async () => {
      await withManager(await backend.options(), async (m) => {
        const l = await m.createLedger(genesisBlock());
        const ck = (o: string, a: string): string => createCompositeKey('owner~asset', [o, a]);
        const writes: [string, string][] = [
          [ck('alice', 'a1'), 'x'],
          [ck('alice', 'a2'), 'x'],
          [ck('alicia', 'a3'), 'x'],
          [ck('bob', 'b1'), 'x'],
          ['a1', 'plain'],
          ['zz', 'plain'],
        ];
        await l.commit(
          nextBlock(l.getBlockchainInfo(), [
            endorserTx('t1', simpleRwSet({ writes })),
            endorserTx('t2', simpleRwSet({ ns: 'other', writes: [['a1', 'elsewhere']] })),
          ]),
        );
        const q = await l.newQueryExecutor();
        const { startKey, endKey } = partialCompositeKeyRange('owner~asset', ['alice']);
        const alice = await collect(q.getStateRangeScanIterator('cc', startKey, endKey));
        assert.deepEqual(
          alice.map((kv) => splitCompositeKey(kv.key).attributes),
          [
            ['alice', 'a1'],
            ['alice', 'a2'],
          ],
        );
        // The shim sends "\x01" for an empty start key: simple keys only.
        const simple = await collect(q.getStateRangeScanIterator('cc', '\x01', ''));
        assert.deepEqual(
          simple.map((kv) => kv.key),
          ['a1', 'zz'],
        );
        assert.equal((await collect(q.getStateRangeScanIterator('cc', '', ''))).length, 6);
        assert.equal(Buffer.from((await q.getState('other', 'a1'))!).toString(), 'elsewhere');
        await q.done();
        assert.equal(await new VersionedDB(l._store, l.ledgerId).savepoint(), 1);
      });
    });

    it('never serves a stale value from its read cache, big values included', async () => {
      await withManager(await backend.options(), async (m) => {
        const l = await m.createLedger(genesisBlock());
        const big = (c: string): string => c.repeat(5 * 1024 * 1024);
        const read = async (k: string): Promise<string | undefined> => {
          const q = await l.newQueryExecutor();
          const v = await q.getState('cc', k);
          await q.done();
          return v === undefined ? undefined : Buffer.from(v).toString();
        };
        for (const [i, v] of [big('a'), 'small', big('b'), undefined, 'again'].entries()) {
          await l.commit(
            nextBlock(l.getBlockchainInfo(), [endorserTx(`c${i}`, simpleRwSet({ writes: [['k', v]] }))]),
          );
          assert.equal(await read('k'), v);
          assert.equal(await read('k'), v);
        }
      });
    });

    it('keeps the history of keys that contain 0x00 or prefix each other apart', async () => {
      await withManager(await backend.options(), async (m) => {
        const l = await m.createLedger(genesisBlock());
        const keys = [
          'a',
          'ab',
          'a\x00b',
          createCompositeKey('t', ['a']),
          createCompositeKey('t', ['a', 'b']),
        ];
        for (let round = 0; round < 2; round++) {
          await l.commit(
            nextBlock(
              l.getBlockchainInfo(),
              keys.map((k, i) => endorserTx(`r${round}k${i}`, simpleRwSet({ writes: [[k, `${round}`]] }))),
            ),
          );
        }
        for (const [i, k] of keys.entries()) {
          const h = await collect(l.getHistoryForKey('cc', k));
          assert.deepEqual(
            h.map((x) => x.txId),
            [`r1k${i}`, `r0k${i}`],
            `history of ${JSON.stringify(k)}`,
          );
        }
      });
    });
  });
}
