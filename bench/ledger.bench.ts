// Ledger throughput of @fabric-peer/ledger on one core:
//  1. commit: blocks of 100 endorser txs, each reading 2 keys and writing 2 keys of 100 bytes
//     (MVCC + block store + block/tx index + state + history), classic-level on disk and memory-level;
//  2. state point reads during simulation (through the simulator: cached, cold, batched);
//  3. the block store decision: blocks inside LevelDB vs Fabric-style append-only file + LevelDB index.
// Run: node --conditions=source --import tsx bench/ledger.bench.ts
// (imports the packages' sources by path: bench/ has no dependencies of its own)
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassicLevel } from '../packages/ledger/node_modules/classic-level/index.js';
import { common, kvrwset, protos, rwset } from '../protos/src/index';
import {
  blockDataHash,
  blockHeaderHash,
  LedgerManager,
  type KVLedger,
  type LedgerManagerOptions,
} from '../packages/ledger/src/index';

const TXS_PER_BLOCK = 100;
const KEYS = 20_000;
const VALUE = randomBytes(100);
const CERT = randomBytes(800); // stands in for a PEM certificate in creator and endorsements
const SIG = randomBytes(71);

const key = (i: number): string => `key${String(i).padStart(6, '0')}`;

function envelope(txId: string, kv: kvrwset.KVRWSet): Uint8Array {
  const results = rwset.TxReadWriteSet.encode({
    nsRwset: [{ namespace: 'bench', rwset: kvrwset.KVRWSet.encode(kv) }],
  });
  const extension = protos.ChaincodeAction.encode({ results, response: { status: 200, payload: VALUE } });
  const prp = protos.ProposalResponsePayload.encode({ proposalHash: randomBytes(32), extension });
  const endorsements = [0, 1].map(() => ({ endorser: CERT, signature: SIG }));
  const cap = protos.ChaincodeActionPayload.encode({
    chaincodeProposalPayload: randomBytes(60),
    action: { proposalResponsePayload: prp, endorsements },
  });
  const tx = protos.Transaction.encode({ actions: [{ header: CERT, payload: cap }] });
  const channelHeader = common.ChannelHeader.encode({
    type: common.HeaderType.ENDORSER_TRANSACTION,
    txId,
    channelId: 'bench',
    timestamp: { seconds: 1_700_000_000, nanos: 0 },
  });
  const payload = common.Payload.encode({ header: { channelHeader, signatureHeader: CERT }, data: tx });
  return common.Envelope.encode({ payload, signature: SIG });
}

interface Chain {
  blocks: common.Block[];
  envelopeBytes: number;
}

/** Blocks 1..n that chain on `genesis`; the versions read are the ones the previous blocks wrote. */
function makeChain(genesis: common.Block, setupBlocks: number, measuredBlocks: number): Chain {
  const versions = new Map<string, { blockNum: number; txNum: number }>();
  const hashOf = (b: common.Block): Buffer => blockHeaderHash(b.header!);
  const blocks: common.Block[] = [];
  let previousHash = hashOf(genesis);
  let envelopeBytes = 0;
  let next = 0;
  for (let n = 1; n <= setupBlocks + measuredBlocks; n++) {
    const envs: Uint8Array[] = [];
    for (let t = 0; t < TXS_PER_BLOCK; t++) {
      const setup = n <= setupBlocks;
      const ks = setup
        ? [key(next++ % KEYS), key(next++ % KEYS)]
        : [key((n * 7919 + t * 2) % KEYS), key((n * 7919 + t * 2 + 1) % KEYS)];
      const kv: kvrwset.KVRWSet = {
        reads: setup ? [] : ks.map((k) => ({ key: k, version: versions.get(k) })),
        rangeQueriesInfo: [],
        writes: ks.map((k) => ({ key: k, isDelete: false, value: VALUE })),
        metadataWrites: [],
      };
      for (const k of ks) versions.set(k, { blockNum: n, txNum: t });
      const env = envelope(randomBytes(32).toString('hex'), kv);
      envelopeBytes += env.length;
      envs.push(env);
    }
    const block: common.Block = {
      header: { number: n, previousHash, dataHash: blockDataHash(envs) },
      data: { data: envs },
      metadata: { metadata: [] },
    };
    previousHash = hashOf(block);
    blocks.push(block);
  }
  return { blocks, envelopeBytes: envelopeBytes / blocks.length / TXS_PER_BLOCK };
}

function genesis(): common.Block {
  const channelHeader = common.ChannelHeader.encode({
    type: common.HeaderType.CONFIG,
    channelId: 'bench',
    txId: 'genesis',
  });
  const env = common.Envelope.encode({
    payload: common.Payload.encode({ header: { channelHeader }, data: VALUE }),
  });
  return {
    header: { number: 0, previousHash: new Uint8Array(), dataHash: blockDataHash([env]) },
    data: { data: [env] },
    metadata: { metadata: [] },
  };
}

async function commitBench(
  label: string,
  opts: LedgerManagerOptions,
): Promise<KVLedger & { _m?: LedgerManager }> {
  const g = genesis();
  const SETUP = KEYS / 2 / TXS_PER_BLOCK;
  const MEASURED = 200;
  const chain = makeChain(g, SETUP, MEASURED);
  const m = await LedgerManager.open(opts);
  const l = await m.createLedger(g);
  for (const b of chain.blocks.slice(0, SETUP)) await l.commit(b);
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  let invalid = 0;
  for (const b of chain.blocks.slice(SETUP)) {
    const r = await l.commit(b);
    invalid += r.validationCodes.filter((c) => c !== 0).length;
  }
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const txs = MEASURED * TXS_PER_BLOCK;
  console.log(
    `commit ${label.padEnd(30)} ${String(Math.round((txs / ms) * 1000)).padStart(7)} tx/s wall, ` +
      `${String(Math.round((txs / cpuMs) * 1000)).padStart(7)} tx/s per CPU-second ` +
      `(${(ms / MEASURED).toFixed(2)} ms/block of ${TXS_PER_BLOCK}, envelope ~${Math.round(chain.envelopeBytes)} B, ${invalid} invalid)`,
  );
  return Object.assign(l, { _m: m });
}

async function readBench(l: KVLedger, label: string): Promise<void> {
  const N = 100_000;
  const sim = await l.newTxSimulator('reader');
  let start = performance.now();
  for (let i = 0; i < N; i++) await sim.getState('bench', key((i * 7) % KEYS));
  let ms = performance.now() - start;
  console.log(
    `state reads ${label.padEnd(23)} ${Math.round((N / ms) * 1000)
      .toString()
      .padStart(7)} reads/s  (getState, awaited one by one)`,
  );
  const keys = Array.from({ length: 100 }, (_, i) => key((i * 131) % KEYS));
  start = performance.now();
  for (let i = 0; i < N / 100; i++) await sim.getStateMultipleKeys('bench', keys);
  ms = performance.now() - start;
  console.log(
    `state reads ${label.padEnd(23)} ${Math.round((N / ms) * 1000)
      .toString()
      .padStart(7)} reads/s  (getStateMultipleKeys of 100)`,
  );
  await sim.done();
}

async function coldReadBench(path: string): Promise<void> {
  const m = await LedgerManager.open({ path });
  const l = await m.openLedger('bench');
  const sim = await l.newTxSimulator('cold');
  const N = KEYS;
  let start = performance.now();
  for (let i = 0; i < N / 2; i++) await sim.getState('bench', key(i * 2));
  let ms = performance.now() - start;
  console.log(
    `state reads ${'classic-level, cold'.padEnd(23)} ${Math.round((N / 2 / ms) * 1000)
      .toString()
      .padStart(7)} reads/s  (getState, cache misses)`,
  );
  const keys = Array.from({ length: N / 2 }, (_, i) => key(i * 2 + 1));
  start = performance.now();
  for (let i = 0; i < keys.length; i += 100) await sim.getStateMultipleKeys('bench', keys.slice(i, i + 100));
  ms = performance.now() - start;
  console.log(
    `state reads ${'classic-level, cold'.padEnd(23)} ${Math.round((N / 2 / ms) * 1000)
      .toString()
      .padStart(7)} reads/s  (getStateMultipleKeys of 100, misses)`,
  );
  await sim.done();
  await m.close();
}

/** Blocks in LevelDB (what we ship) vs an append-only file with a LevelDB offset index (Fabric's way). */
async function blockStoreChoice(): Promise<void> {
  const BLOCKS = 300;
  const block = randomBytes(320 * 1024); // ~100 txs of ~3.2 KB
  for (const sync of [false, true]) {
    const dir = mkdtempSync(join(tmpdir(), 'bench-bs-'));
    const db = new ClassicLevel<Buffer, Buffer>(join(dir, 'level'), {
      keyEncoding: 'buffer',
      valueEncoding: 'buffer',
    });
    await db.open();
    let start = performance.now();
    for (let n = 0; n < BLOCKS; n++) {
      const ops = [{ type: 'put' as const, key: Buffer.from(`b${n}`), value: block }];
      for (let t = 0; t < 100; t++) ops.push({ type: 'put', key: randomBytes(33), value: Buffer.alloc(13) });
      await db.batch(ops, { sync });
    }
    const levelMs = performance.now() - start;
    start = performance.now();
    for (let i = 0; i < 200; i++) await db.get(Buffer.from(`b${(i * 37) % BLOCKS}`));
    const levelRead = (performance.now() - start) / 200;
    await db.close();

    const idx = new ClassicLevel<Buffer, Buffer>(join(dir, 'index'), {
      keyEncoding: 'buffer',
      valueEncoding: 'buffer',
    });
    await idx.open();
    const fd = openSync(join(dir, 'blockfile_000000'), 'a+');
    let offset = 0;
    start = performance.now();
    for (let n = 0; n < BLOCKS; n++) {
      writeSync(fd, block);
      if (sync) fsyncSync(fd);
      const ops = [{ type: 'put' as const, key: Buffer.from(`b${n}`), value: Buffer.from(String(offset)) }];
      for (let t = 0; t < 100; t++) ops.push({ type: 'put', key: randomBytes(33), value: Buffer.alloc(13) });
      await idx.batch(ops, { sync });
      offset += block.length;
    }
    const fileMs = performance.now() - start;
    start = performance.now();
    const buf = Buffer.alloc(block.length);
    for (let i = 0; i < 200; i++) {
      const off = Number((await idx.get(Buffer.from(`b${(i * 37) % BLOCKS}`)))!.toString());
      readSync(fd, buf, 0, buf.length, off);
    }
    const fileRead = (performance.now() - start) / 200;
    closeSync(fd);
    await idx.close();
    rmSync(dir, { recursive: true, force: true });
    const mbs = (ms: number): string => ((BLOCKS * block.length) / 1024 / 1024 / (ms / 1000)).toFixed(0);
    console.log(
      `block store, sync=${String(sync).padEnd(5)} level: ${(levelMs / BLOCKS).toFixed(2)} ms/block (${mbs(levelMs)} MB/s), read ${levelRead.toFixed(3)} ms` +
        ` | file+index: ${(fileMs / BLOCKS).toFixed(2)} ms/block (${mbs(fileMs)} MB/s), read ${fileRead.toFixed(3)} ms`,
    );
  }
}

const dir = mkdtempSync(join(tmpdir(), 'bench-ledger-'));
try {
  const nosync = mkdtempSync(join(tmpdir(), 'bench-ledger-'));
  await (await commitBench('classic-level, no fsync', { path: nosync, fsync: false }))._m!.close();
  rmSync(nosync, { recursive: true, force: true });
  const disk = await commitBench('classic-level, fsync/block', { path: dir });
  await readBench(disk, 'classic-level, cached');
  await disk._m!.close();
  await coldReadBench(dir);
  const mem = await commitBench('memory-level', { inMemory: true });
  await readBench(mem, 'memory-level');
  await mem._m!.close();
  await blockStoreChoice();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
