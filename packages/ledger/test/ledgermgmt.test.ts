// The ledger manager: create / open / list, the under-construction mark, pause / resume / unjoin,
// rollback, reset and rebuildDBs (state and history rebuilt from blocks at the next open).
import assert from 'node:assert/strict';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { LedgerErrorCode, LedgerManager, type KVLedger } from '../src/index.js';
import { IdStore } from '../src/ledgermgmt/idstore.js';
import { openStore } from '../src/internal/store.js';
import { VersionedDB } from '../src/statedb/statedb.js';
import {
  backends,
  collect,
  endorserTx,
  genesisBlock,
  nextBlock,
  simpleRwSet,
  tempDir,
  withManager,
} from './helpers.js';

async function commitN(l: KVLedger, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const b = l.height;
    await l.commit(
      nextBlock(l.getBlockchainInfo(), [
        endorserTx(
          `tx${b}`,
          simpleRwSet({
            writes: [
              ['k', `v${b}`],
              [`only${b}`, 'x'],
            ],
          }),
        ),
      ]),
    );
  }
}

async function dump(l: KVLedger): Promise<string> {
  const vdb = new VersionedDB(l._store, l.ledgerId);
  const rows: string[] = [];
  for await (const kv of vdb.range('cc', Buffer.alloc(0), undefined)) {
    rows.push(`${kv.key}=${kv.value.toString()}@${kv.version.blockNum}.${kv.version.txNum}`);
  }
  const hist = (await collect(l.getHistoryForKey('cc', 'k'))).map((h) => h.txId);
  return JSON.stringify({ rows, hist });
}

for (const backend of backends()) {
  describe(`ledger manager (${backend.name})`, () => {
    after(() => backend.cleanup());

    it('creates, lists, opens; refuses a second create and unknown ids', async () => {
      await withManager(await backend.options(), async (m) => {
        assert.deepEqual(await m.ledgerIds(), []);
        const a = await m.createLedger(genesisBlock('alpha'));
        const b = await m.createLedger(genesisBlock('beta'));
        assert.deepEqual((await m.ledgerIds()).sort(), ['alpha', 'beta']);
        assert.equal(a.height, 1);
        assert.equal(await m.openLedger('alpha'), a);
        await assert.rejects(m.createLedger(genesisBlock('alpha')), { code: LedgerErrorCode.LEDGER_EXISTS });
        await assert.rejects(m.openLedger('gamma'), { code: LedgerErrorCode.LEDGER_NOT_FOUND });
        await assert.rejects(m.createLedger(genesisBlock('Bad_Name')), {
          code: LedgerErrorCode.BLOCK_MALFORMED,
        });
        assert.deepEqual((await m.ledgerIds()).sort(), ['alpha', 'beta']);
        await b.close();
        await assert.rejects(b.getBlockByNumber(0), { code: LedgerErrorCode.CLOSED });
        const b2 = await m.openLedger('beta');
        assert.equal(b2.height, 1);
      });
    });

    it('pause / resume / unjoin', async () => {
      await withManager(await backend.options(), async (m) => {
        const a = await m.createLedger(genesisBlock('alpha'));
        await assert.rejects(m.pause('alpha'), { code: LedgerErrorCode.LEDGER_IS_OPEN });
        await a.close();
        await m.pause('alpha');
        assert.deepEqual(await m.ledgerIds(), []);
        assert.deepEqual(await m.ledgers(), [{ id: 'alpha', status: 'PAUSED' }]);
        await assert.rejects(m.openLedger('alpha'), { code: LedgerErrorCode.LEDGER_NOT_ACTIVE });
        await m.resume('alpha');
        const again = await m.openLedger('alpha');
        await commitN(again, 2);
        await again.close();
        await m.unjoin('alpha');
        assert.deepEqual(await m.ledgers(), []);
        await assert.rejects(m.openLedger('alpha'), { code: LedgerErrorCode.LEDGER_NOT_FOUND });
        // The channel can be joined again from scratch.
        const fresh = await m.createLedger(genesisBlock('alpha'));
        assert.equal(fresh.height, 1);
      });
    });

    it('rollback keeps blocks 0..n and rebuilds state and history from them', async () => {
      const opts = await backend.options();
      await withManager(opts, async (m) => {
        const ref = await m.createLedger(genesisBlock('ref'));
        const l = await m.createLedger(genesisBlock('alpha'));
        await commitN(l, 6);
        await commitN(ref, 2);
        await l.close();
        await assert.rejects(m.rollback('alpha', 6), { code: LedgerErrorCode.INVALID_ROLLBACK });
        await assert.rejects(m.rollback('alpha', -1), { code: LedgerErrorCode.INVALID_ROLLBACK });
        await m.rollback('alpha', 2);
        const r = await m.openLedger('alpha');
        assert.equal(r.height, 3);
        assert.deepEqual(r.recovery, { stateBlocksReplayed: 3, historyBlocksReplayed: 3 });
        await assert.rejects(r.getTransactionById('tx5'), { code: LedgerErrorCode.TX_NOT_FOUND });
        assert.equal((await r.getTransactionById('tx2')).blockNumber, 2);
        // Same writes as the reference ledger that only ever had blocks 0..2 (tx ids aside).
        assert.equal((await dump(r)).replace(/tx\d/g, 'tx'), (await dump(ref)).replace(/tx\d/g, 'tx'));
        // The chain goes on from block 2; tx ids from removed blocks are free again.
        await commitN(r, 1);
        assert.equal(r.height, 4);
        assert.equal((await r.getTransactionById('tx3')).blockNumber, 3);
      });
    });

    it('reset takes every ledger back to genesis; rebuildDBs replays state and history', async () => {
      await withManager(await backend.options(), async (m) => {
        const a = await m.createLedger(genesisBlock('alpha'));
        await commitN(a, 4);
        const before = await dump(a);
        await a.close();
        await m.rebuildDBs();
        const a2 = await m.openLedger('alpha');
        assert.deepEqual(a2.recovery, { stateBlocksReplayed: 5, historyBlocksReplayed: 5 });
        assert.equal(await dump(a2), before);
        await a2.close();
        await m.reset();
        const a3 = await m.openLedger('alpha');
        assert.equal(a3.height, 1);
        assert.equal(await dump(a3), JSON.stringify({ rows: [], hist: [] }));
      });
    });

    it('keeps everything across close and reopen of the manager', async () => {
      const opts = await backend.options();
      if (!('path' in opts)) return; // memory-level lives as long as its manager
      let before = '';
      await withManager(opts, async (m) => {
        const a = await m.createLedger(genesisBlock('alpha'));
        await commitN(a, 3);
        before = await dump(a);
      });
      await withManager(opts, async (m) => {
        assert.deepEqual(await m.ledgerIds(), ['alpha']);
        const a = await m.openLedger('alpha');
        assert.equal(a.height, 4);
        assert.deepEqual(a.recovery, { stateBlocksReplayed: 0, historyBlocksReplayed: 0 });
        assert.equal(await dump(a), before);
      });
    });
  });
}

describe('ledger manager crash marks (classic-level)', () => {
  it('removes a ledger left under construction and finishes an interrupted unjoin', async () => {
    const dir = await tempDir();
    try {
      await withManager({ path: dir }, async (m) => {
        await (await m.createLedger(genesisBlock('alpha'))).close();
        await (await m.createLedger(genesisBlock('gone'))).close();
      });
      // As if a crash hit createLedger('beta') and unjoin('gone') half way.
      const idDb = await openStore({ path: join(dir, 'idStore') });
      const ids = new IdStore(idDb);
      await ids.setUnderConstruction('beta');
      await ids.setStatus('gone', 'UNDER_DELETION');
      await idDb.close();
      await mkdir(join(dir, 'ledgers', 'beta'), { recursive: true });
      await writeFile(join(dir, 'ledgers', 'beta', 'junk'), 'half-made');
      await withManager({ path: dir }, async (m) => {
        assert.deepEqual(await m.ledgers(), [{ id: 'alpha', status: 'ACTIVE' }]);
        assert.deepEqual(await readdir(join(dir, 'ledgers')), ['alpha']);
        const beta = await m.createLedger(genesisBlock('beta'));
        assert.equal(beta.height, 1);
      });
      const m2 = await LedgerManager.open({ path: dir });
      assert.deepEqual((await m2.ledgerIds()).sort(), ['alpha', 'beta']);
      await m2.close();
      await assert.rejects(m2.openLedger('alpha'), { code: LedgerErrorCode.CLOSED });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
