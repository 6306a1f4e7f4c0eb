// Child process of crash.test.ts: commits blocks to a classic-level ledger as fast as it can and
// prints "ack <n>" after each commit returns, until it is killed.
import { LedgerManager } from '../src/index.js';
import { endorserTx, genesisBlock, nextBlock } from './helpers.js';

const KEYS = 30;

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
    envs.push(endorserTx(`b${n}t${t}`, sim.getTxSimulationResults().bytes, 'crash'));
    await sim.done();
  }
  await l.commit(nextBlock(l.getBlockchainInfo(), envs));
  process.stdout.write(`ack ${n}\n`);
}
