// Child process of crash.test.ts: commits blocks to a classic-level ledger as fast as it can and
// prints "ack <n>" after each commit returns, until it is killed.
import { BlockBlobs } from '../src/blkstorage/blockfiles.js';
import { HistoryDB } from '../src/historydb/historydb.js';
import { LedgerManager } from '../src/index.js';
import { VersionedDB } from '../src/statedb/statedb.js';
import { endorserTx, genesisBlock, nextBlock } from './helpers.js';

// Fault injection from the outside (no hooks in the library): with CRASH_PHASE set, the child
// SIGKILLs itself at that point of the CRASH_AFTER-th commit of this run:
//   file    - block bytes written to the block file, index batch not yet written
//   index   - block indexed (in the block store), state batch not yet written
//   state   - state written, history batch not yet written
//   history - history written, commit not yet acknowledged
const phase = process.env.CRASH_PHASE;
const after = Number(process.env.CRASH_AFTER ?? '0');
let commits = 0;
const die = (at: string): void => {
  if (phase === at && commits >= after) process.kill(process.pid, 'SIGKILL');
};
const origWrite = BlockBlobs.prototype.write;
BlockBlobs.prototype.write = async function (this: BlockBlobs, bytes: Uint8Array) {
  const r = await origWrite.call(this, bytes);
  die('file');
  return r;
};
const origApply = VersionedDB.prototype.applyUpdates;
VersionedDB.prototype.applyUpdates = async function (this: VersionedDB, ...args) {
  die('index');
  return origApply.apply(this, args);
};
const origHistory = HistoryDB.prototype.commit;
HistoryDB.prototype.commit = async function (this: HistoryDB, ...args) {
  die('state');
  await origHistory.apply(this, args);
  die('history');
};

const KEYS = 30;
const BULK = Buffer.alloc(1024, 1);

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x100000000;
  };
}

const dir = process.argv[2] as string;
const m = await LedgerManager.open({ path: dir });
const l = (await m.ledgerIds()).includes('crash')
  ? await m.openLedger('crash')
  : await m.createLedger(genesisBlock('crash'));
process.stdout.write(`ready ${l.height}\n`);
for (;;) {
  const n = l.height;
  const envs: Uint8Array[] = [];
  for (let t = 0; t < 20; t++) {
    const r = rng(n * 1000 + t + 1);
    const sim = await l.newTxSimulator(`b${n}t${t}`);
    const key = (): string => `k${Math.floor(r() * KEYS)}`;
    await sim.getState('cc', key());
    await sim.getState('cc', key());
    if (r() < 0.2) {
      const it = sim.getStateRangeScanIterator('cc', 'k1', 'k2');
      await it.next();
      await it.next();
      await it.close();
    }
    await sim.setState('cc', key(), Buffer.from(`b${n}t${t}`));
    if (r() < 0.2) await sim.deleteState('cc', key());
    else await sim.setState('cc', key(), Buffer.from(`b${n}t${t}-2`));
    await sim.setState('cc', `bulk${Math.floor(r() * 300)}`, BULK);
    envs.push(endorserTx(`b${n}t${t}`, sim.getTxSimulationResults().bytes, 'crash'));
    await sim.done();
  }
  await l.commit(nextBlock(l.getBlockchainInfo(), envs));
  commits++;
  process.stdout.write(`ack ${n}\n`);
}
