// Recovery on open: state and history that lag behind the block store (a crash between the block
// append and the state / history batches) are replayed from the stored blocks and their codes.
import assert from 'node:assert/strict';
import { appendFile, rm, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { common } from '@fabric-peer/protos';
import { LedgerError, LedgerErrorCode, LedgerManager, type KVLedger } from '../src/index.js';
import { varint } from '../src/internal/bytes.js';
import { HistoryDB } from '../src/historydb/historydb.js';
import { VersionedDB } from '../src/statedb/statedb.js';
import {
  backends,
  collect,
  tempDir,
  endorserTx,
  genesisBlock,
  nextBlock,
  simpleRwSet,
  withManager,
} from './helpers.js';

async function dump(l: KVLedger): Promise<string> {
  const rows: string[] = [];
  for await (const kv of new VersionedDB(l._store, l.ledgerId).range('cc', Buffer.alloc(0), undefined)) {
    rows.push(`${kv.key}=${kv.value.toString()}@${kv.version.blockNum}.${kv.version.txNum}`);
  }
  const hist: string[] = [];
  for (const k of ['a', 'b', 'c'])
    for (const h of await collect(l.getHistoryForKey('cc', k))) hist.push(`${k}:${h.txId}`);
  return JSON.stringify({ rows, hist });
}

async function fill(l: KVLedger): Promise<void> {
  for (let i = 1; i <= 5; i++) {
    const v = l.height;
    await l.commit(
      nextBlock(l.getBlockchainInfo(), [
        endorserTx(
          `w${i}`,
          simpleRwSet({
            writes: [
              ['a', `a${i}`],
              ['b', `b${i}`],
            ],
          }),
        ),
        endorserTx(
          `r${i}`,
          simpleRwSet({ reads: [['c', i === 1 ? undefined : [v - 1, 1]]], writes: [['c', `c${i}`]] }),
        ),
        endorserTx(`x${i}`, simpleRwSet({ reads: [['b', [0, 0]]], writes: [['a', 'never']] })),
      ]),
    );
  }
}

for (const backend of backends()) {
  describe(`recovery (${backend.name})`, () => {
    after(() => backend.cleanup());

    it('replays blocks that reached the block store but not state or history', async () => {
      const refManager = await LedgerManager.open({ inMemory: true });
      after(() => refManager.close());
      const ref = await refManager.createLedger(genesisBlock('lag'));
      await fill(ref);
      await withManager(await backend.options(), async (m) => {
        const genesis = await ref.getBlockByNumber(0);
        const lag = await m.createLedger({ ...genesis, metadata: { metadata: [] } });
        // As after a crash right after each append: blocks (with final codes) in the store only.
        for (let n = 1; n < ref.height; n++) await lag.blockStore.append(await ref.getBlockByNumber(n));
        assert.equal(await new VersionedDB(lag._store, 'lag').savepoint(), 0);
        await lag.close();
        const back = await m.openLedger('lag');
        assert.deepEqual(back.recovery, { stateBlocksReplayed: 5, historyBlocksReplayed: 5 });
        assert.equal(await dump(back), await dump(ref));
      });
    });

    it('replays only history when only history lags, and commits on top afterwards', async () => {
      await withManager(await backend.options(), async (m) => {
        const l = await m.createLedger(genesisBlock('solo'));
        await fill(l);
        const before = await dump(l);
        await new HistoryDB(l._store).drop();
        await l.close();
        const back = await m.openLedger('solo');
        assert.deepEqual(back.recovery, { stateBlocksReplayed: 0, historyBlocksReplayed: 6 });
        assert.equal(await dump(back), before);
        const r = await back.commit(
          nextBlock(back.getBlockchainInfo(), [
            endorserTx('more', simpleRwSet({ reads: [['c', [5, 1]]], writes: [['c', 'c6']] })),
          ]),
        );
        assert.deepEqual(r.validationCodes, [0]);
      });
    });
  });
}

describe('block files (classic-level)', () => {
  it('cuts an unindexed tail (a crash between file write and index) and chains on', async () => {
    const dir = await tempDir();
    try {
      let size = 0;
      await withManager({ path: dir }, async (m) => {
        const l = await m.createLedger(genesisBlock('files'));
        await fill(l);
        size = (await stat(join(dir, 'ledgers', 'files', 'chains', 'blockfile_000000'))).size;
      });
      // A half-written block that never made it into the index.
      await appendFile(join(dir, 'ledgers', 'files', 'chains', 'blockfile_000000'), Buffer.alloc(5000, 7));
      await withManager({ path: dir }, async (m) => {
        const l = await m.openLedger('files');
        assert.equal((await stat(join(dir, 'ledgers', 'files', 'chains', 'blockfile_000000'))).size, size);
        assert.equal(l.height, 6);
        await l.commit(
          nextBlock(l.getBlockchainInfo(), [endorserTx('after', simpleRwSet({ writes: [['z', '1']] }))]),
        );
        assert.equal((await l.getBlockByNumber(6)).header!.number, 6);
        assert.equal((await l.getBlockByNumber(5)).header!.number, 5);
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('block files: records past the index (classic-level)', () => {
  it('indexes complete records written after the last index batch (as Fabric syncs its index)', async () => {
    const dir = await tempDir();
    try {
      let next: Uint8Array = new Uint8Array();
      await withManager({ path: dir }, async (m) => {
        const l = await m.createLedger(genesisBlock('files'));
        await fill(l);
        // The block a crash caught after its file write: final codes in its metadata, not indexed.
        const b = nextBlock(l.getBlockchainInfo(), [
          endorserTx('late', simpleRwSet({ writes: [['a', 'late']] })),
        ]);
        b.metadata = {
          metadata: [new Uint8Array(), new Uint8Array(), new Uint8Array([0]), new Uint8Array()],
        };
        next = common.Block.encode(b);
      });
      const file = join(dir, 'ledgers', 'files', 'chains', 'blockfile_000000');
      await appendFile(file, Buffer.concat([varint(next.length), next, varint(900), Buffer.alloc(10)]));
      await withManager({ path: dir }, async (m) => {
        const l = await m.openLedger('files');
        assert.equal(l.height, 7);
        assert.deepEqual(l.recovery, { stateBlocksReplayed: 1, historyBlocksReplayed: 1 });
        assert.equal((await l.getTransactionById('late')).blockNumber, 6);
        const q = await l.newQueryExecutor();
        assert.equal(Buffer.from((await q.getState('cc', 'a'))!).toString(), 'late');
        await q.done();
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('a block file cut short under the index (classic-level)', () => {
  it('opening that ledger is LEDGER_CORRUPT_RECORD naming it; the manager and other ledgers go on', async () => {
    const dir = await tempDir();
    try {
      await withManager({ path: dir }, async (m) => {
        await fill(await m.createLedger(genesisBlock('broken')));
        await fill(await m.createLedger(genesisBlock('fine')));
      });
      const file = join(dir, 'ledgers', 'broken', 'chains', 'blockfile_000000');
      await truncate(file, (await stat(file)).size - 100);
      await withManager({ path: dir }, async (m) => {
        await assert.rejects(m.openLedger('broken'), (e: unknown) => {
          assert.ok(e instanceof LedgerError);
          assert.equal(e.code, LedgerErrorCode.CORRUPT_RECORD);
          assert.equal(e.channel, 'broken');
          return true;
        });
        assert.equal((await m.openLedger('fine')).height, 6);
        await assert.rejects(m.openLedger('broken'), { code: LedgerErrorCode.CORRUPT_RECORD });
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
