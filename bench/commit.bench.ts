// Validate + commit throughput of the peer's commit path (packages/core committer) on classic-level:
// blocks of 100 signed transactions from a dev-crypto client, each endorsed by the org's peer
// (chaincode policy OR('Org1MSP.peer')), 2 reads and 2 writes each. Run with the signatures verified
// on the main thread, then on the verify worker pool.
// Run: node --conditions=source --import tsx bench/commit.bench.ts [blocks=40] [poolSize=2]
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { LedgerManager, type TxRwSet } from '../packages/ledger/src/index';
import {
  setSignatureCacheSize,
  type SigningIdentity,
  signaturePolicyFromString,
} from '../packages/msp/src/index';
import { type common } from '../protos/src/index';
import { type BlockCommittedEvent, ChannelManager } from '../packages/core/src/channel/index';
import { devChain } from '../packages/core/test/committer/devchain';

// Every signature below is verified by OpenSSL: the process-wide cache of good signatures is off.
setSignatureCacheSize(0);

const BLOCKS = Number(process.argv[2] ?? 40);
const POOL = Number(process.argv[3] ?? 2);
const TX_PER_BLOCK = 100;

function rwSet(i: number): TxRwSet {
  return {
    nsRwSets: [
      {
        namespace: 'bench',
        kvRwSet: {
          // Reads of keys nobody wrote (version nil), writes of fresh keys: every transaction is valid.
          reads: [
            { key: `r${i}a`, version: undefined },
            { key: `r${i}b`, version: undefined },
          ],
          rangeQueriesInfo: [],
          writes: [
            { key: `k${i}a`, isDelete: false, value: Buffer.from(`{"owner":"tom","size":${i}}`) },
            { key: `k${i}b`, isDelete: false, value: Buffer.from(`{"owner":"bob","size":${i}}`) },
          ],
          metadataWrites: [],
        },
        collHashedRwSets: [],
      },
    ],
  };
}

async function run(
  label: string,
  genesis: common.Block,
  blocks: common.Block[],
  poolSize: number,
  queued: boolean,
): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'commit-bench-'));
  const ledgers = await LedgerManager.open({ path: dir });
  const channels = await ChannelManager.open({ ledgers, validatorPoolSize: poolSize });
  try {
    const ch = await channels.joinChannel(genesis);
    await ch.commitBlock(blocks[0]!); // the chaincode definition
    const start = performance.now();
    const cpu0 = process.cpuUsage();
    // queued: blocks handed over as a deliver client buffers them (the committer verifies the next
    // block while it writes the current one); otherwise one at a time.
    const events = queued
      ? await Promise.all(blocks.slice(1).map((b) => ch.commitBlock(b)))
      : await blocks
          .slice(1)
          .reduce<Promise<BlockCommittedEvent[]>>(
            async (acc, b) => [...(await acc), await ch.commitBlock(b)],
            Promise.resolve([]),
          );
    let txs = 0;
    for (const ev of events) {
      if (ev.validationCodes.some((c) => c !== 0))
        throw new Error(`block ${ev.blockNumber}: invalid tx ${ev.validationCodes.join(',')}`);
      txs += ev.validationCodes.length;
    }
    const ms = performance.now() - start;
    const cpu = process.cpuUsage(cpu0);
    const perSec = (txs * 1000) / ms;
    // CPU time per transaction (all threads) does not depend on what else the machine runs. With the
    // pool, the workers' share is the 2 verifies per tx; the rest is this thread's. The ceiling on
    // 2 idle cores: inline, everything is on this thread; pooled, min(2 cores / all, 1 core / main).
    const cpuUs = (cpu.user + cpu.system) / txs;
    const mainUs = poolSize > 1 ? Math.max(1, cpuUs - 2 * verifyUs) : cpuUs;
    const ceiling = poolSize > 1 ? Math.min(2e6 / cpuUs, 1e6 / mainUs) : 1e6 / cpuUs;
    console.log(
      `${label.padEnd(40)} ${Math.round(perSec).toLocaleString('en-US').padStart(7)} tx/s ${(ms / (blocks.length - 1)).toFixed(1).padStart(6)} ms/block | cpu ${cpuUs.toFixed(0).padStart(4)} us/tx (main ~${mainUs.toFixed(0)}) -> 2 idle cores ~${Math.round(ceiling).toLocaleString('en-US')} tx/s`,
    );
    return perSec;
  } finally {
    await channels.close();
    await ledgers.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** CPU time of one verify on this thread (a cached identity, as the validator has). */
let verifyUs = 60;
function calibrateVerify(signer: SigningIdentity): void {
  const data = Buffer.alloc(3000, 1);
  const sig = signer.sign(data);
  for (let i = 0; i < 200; i++) signer.verify(data, sig);
  const c0 = process.cpuUsage();
  for (let i = 0; i < 2000; i++) signer.verify(data, sig);
  const c = process.cpuUsage(c0);
  verifyUs = (c.user + c.system) / 2000;
}

async function main(): Promise<void> {
  const dev = await devChain();
  calibrateVerify(dev.peer);
  const t0 = performance.now();
  const blocks = [
    dev.cutBlock([
      dev.defineChaincode('bench', { signaturePolicy: signaturePolicyFromString("OR('Org1MSP.peer')") }),
    ]),
  ];
  for (let b = 0; b < BLOCKS; b++) {
    const txs: Uint8Array[] = [];
    for (let t = 0; t < TX_PER_BLOCK; t++) txs.push(dev.endorserTx('bench', rwSet(b * TX_PER_BLOCK + t)));
    blocks.push(dev.cutBlock(txs));
  }
  console.log(`one verify: ${verifyUs.toFixed(0)} us of CPU`);
  console.log(
    `${BLOCKS} blocks x ${TX_PER_BLOCK} tx generated in ${Math.round(performance.now() - t0)} ms; ${availableParallelism()} cores; classic-level, fsync on`,
  );
  await run('warm-up', dev.genesis, blocks.slice(0, 11), POOL, true);
  for (let round = 1; round <= 2; round++) {
    await run(`[${round}] one block at a time, verify inline`, dev.genesis, blocks, 0, false);
    await run(`[${round}] one block at a time, verify pool of ${POOL}`, dev.genesis, blocks, POOL, false);
    await run(`[${round}] blocks queued, verify inline`, dev.genesis, blocks, 0, true);
    await run(`[${round}] blocks queued, verify pool of ${POOL}`, dev.genesis, blocks, POOL, true);
  }
}

await main();
