// Chaincode execution through ChaincodeSupport.execute on an in-memory ledger: the real
// fabric-contract-api contract (packages/core/test/chaincode/fixtures/contract, function PutGet:
// one GET_STATE and one PUT_STATE per transaction) run
//  1. in process (the real fabric-shim server in the peer's process, dialled over a Unix socket);
//  2. launched: a node chaincode package built by npm and started by the peer as a child process
//     (`npm start -- --peer.address`), over the chaincode listener (plaintext and mutual TLS).
// Each transaction: new TxSimulator, execute, rw-set taken, simulator released. Figures: executions
// per second with many transactions in flight, and p50/p99 latency, plus latency with one at a time.
//  3. cold start: a real Node chaincode package (`peer lifecycle chaincode package --lang node` format:
//     a fabric-contract-api contract whose package.json names fabric-contract-api / fabric-shim 2.5.8
//     from the npm registry, with its package-lock.json) installed on a createPeer dev network through
//     `_lifecycle` (InstallChaincode, approve, commit, each endorsed, ordered and committed), then the
//     first invoke: unpack, `npm ci` from the warm npm cache, `npm start`, REGISTER, the transaction,
//     its commit. Figure: install -> first successful invoke (issue #6's target: under 30 s).
//     The npm cache is warmed first (an untimed `npm ci` of the same lock file), as "warm" says.
// Run: node --conditions=source --import tsx bench/chaincode.bench.ts
//      BENCH_PHASES=coldstart (or inprocess,launched) runs only those phases.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, lstat, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { create as tarCreate } from '../packages/core/node_modules/tar/dist/esm/index.js';
import { common, msp, protos } from '../protos/src/index';
import { type KVLedger, LedgerManager } from '../packages/ledger/src/index';
import { PrivateKey, SigningIdentity } from '../packages/msp/src/index';
import {
  OrdererClient,
  PeerClient,
  approveForMyOrg,
  commitDefinition,
  createChaincodePackage,
  installChaincode,
  invokeChaincode,
} from '../packages/core/src/client/index';
import { LoggingSystem } from '../packages/core/src/logging/index';
import { createPeer } from '../packages/core/src/peer/index';
import {
  ChaincodeListener,
  ChaincodeSupport,
  createChaincodeTLS,
  InProcessLauncher,
  MemoryPackageStore,
  NodeLauncher,
  TLSCA,
} from '../packages/core/src/chaincode/index';

const here = dirname(fileURLToPath(import.meta.url));
const CONTRACT_DIR = join(here, '..', 'packages', 'core', 'test', 'chaincode', 'fixtures', 'contract');
const require = createRequire(join(here, '..', 'packages', 'core', 'package.json'));
const CHANNEL = 'mychannel';
const WARMUP = 500;
const TOTAL = Number(process.env.BENCH_TXS ?? 6000);
const IN_FLIGHT = (process.env.BENCH_IN_FLIGHT ?? '16,64').split(',').map(Number);
const SEQUENTIAL = 500;
const PHASES = new Set((process.env.BENCH_PHASES ?? 'inprocess,launched,coldstart').split(','));
const exec = promisify(execFile);

async function openLedger(): Promise<{ manager: LedgerManager; ledger: KVLedger }> {
  const manager = await LedgerManager.open({ inMemory: true });
  const genesis = common.Block.decode(
    await readFile(
      join(here, '..', 'test', 'fixtures', 'fabric-2.5.12', 'channel', 'mychannel-genesis.block'),
    ),
  );
  return { manager, ledger: await manager.createLedger(genesis) };
}

async function makeCreator(): Promise<Uint8Array> {
  const ca = await TLSCA.create('ca.org1.example.com');
  const user = await ca.newClientCert('User1@org1.example.com');
  return msp.SerializedIdentity.encode({ mspid: 'Org1MSP', idBytes: Buffer.from(user.certPem) });
}

function signedProposal(txId: string, creator: Uint8Array, args: Uint8Array[]): protos.SignedProposal {
  const channelHeader = common.ChannelHeader.encode({
    type: common.HeaderType.ENDORSER_TRANSACTION,
    txId,
    channelId: CHANNEL,
    timestamp: { seconds: Math.floor(Date.now() / 1000), nanos: 0 },
  });
  const signatureHeader = common.SignatureHeader.encode({ creator, nonce: randomBytes(24) });
  const payload = protos.ChaincodeProposalPayload.encode({
    input: protos.ChaincodeInvocationSpec.encode({
      chaincodeSpec: { chaincodeId: { name: 'bench' }, input: { args } },
    }),
  });
  const proposalBytes = protos.Proposal.encode({
    header: common.Header.encode({ channelHeader, signatureHeader }),
    payload,
  });
  return { proposalBytes, signature: randomBytes(70) };
}

interface Figures {
  inFlight: number;
  opsPerSec: number;
  p50: number;
  p99: number;
  /** CPU of this (the peer's) process per second of the run, in cores. */
  peerCpu: number;
}

async function measure(support: ChaincodeSupport, ledger: KVLedger, creator: Uint8Array): Promise<Figures[]> {
  let n = 0;
  const one = async (): Promise<number> => {
    const i = n++;
    const txId = randomBytes(32).toString('hex');
    const args = ['PutGet', `key${i % 1000}`, `value${i}`].map((a) => Buffer.from(a));
    const started = performance.now();
    const sim = await ledger.newTxSimulator(txId);
    try {
      const r = await support.execute(
        {
          channelId: CHANNEL,
          txId,
          signedProposal: signedProposal(txId, creator, args),
          simulator: sim,
          history: ledger,
        },
        'bench',
        { args, decorations: {}, isInit: false },
      );
      if (r.response.status !== 200) throw new Error(`status ${r.response.status}: ${r.response.message}`);
      sim.getTxSimulationResults();
    } finally {
      await sim.done();
    }
    return performance.now() - started;
  };
  const run = async (count: number, inFlight: number): Promise<Figures> => {
    const latencies: number[] = [];
    let left = count;
    const cpu = process.cpuUsage();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (left-- > 0) latencies.push(await one());
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    latencies.sort((a, b) => a - b);
    const q = (p: number): number =>
      latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!;
    return {
      inFlight,
      opsPerSec: count / seconds,
      p50: q(0.5),
      p99: q(0.99),
      peerCpu: (used.user + used.system) / 1e6 / seconds,
    };
  };
  await run(WARMUP, 16);
  const out = [await run(SEQUENTIAL, 1)];
  for (const inFlight of IN_FLIGHT) out.push(await run(TOTAL, inFlight));
  return out;
}

function report(name: string, figures: Figures[]): void {
  console.log(name);
  for (const f of figures) {
    console.log(
      `  ${String(f.inFlight).padStart(3)} in flight: ${f.opsPerSec.toFixed(0).padStart(5)} exec/s   p50 ${f.p50.toFixed(2).padStart(6)} ms   p99 ${f.p99.toFixed(2).padStart(6)} ms   peer CPU ${f.peerCpu.toFixed(2)} cores`,
    );
  }
}

async function nodePackage(): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'cc-bench-'));
  try {
    const pkgJson = JSON.parse(await readFile(join(CONTRACT_DIR, 'package.json'), 'utf8')) as {
      dependencies: object;
    };
    pkgJson.dependencies = {
      'fabric-contract-api': `file:${dirname(require.resolve('fabric-contract-api/package.json'))}`,
      'fabric-shim': `file:${dirname(require.resolve('fabric-shim/package.json'))}`,
    };
    const { mkdir, writeFile } = await import('node:fs/promises');
    await mkdir(join(dir, 'code', 'src'), { recursive: true });
    await mkdir(join(dir, 'outer'));
    await writeFile(join(dir, 'code', 'src', 'package.json'), JSON.stringify(pkgJson));
    await writeFile(join(dir, 'code', 'src', 'index.js'), await readFile(join(CONTRACT_DIR, 'index.js')));
    await tarCreate(
      { gzip: true, file: join(dir, 'outer', 'code.tar.gz'), cwd: join(dir, 'code'), portable: true },
      ['src'],
    );
    await writeFile(
      join(dir, 'outer', 'metadata.json'),
      JSON.stringify({ type: 'node', label: 'bench', path: '' }),
    );
    await tarCreate({ gzip: true, file: join(dir, 'pkg.tar.gz'), cwd: join(dir, 'outer'), portable: true }, [
      'metadata.json',
      'code.tar.gz',
    ]);
    return await readFile(join(dir, 'pkg.tar.gz'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A small fabric-contract-api contract as its developer would write it (no test-only code). */
const COLD_CONTRACT = `'use strict';
const { Contract } = require('fabric-contract-api');
class Store extends Contract {
  async Put(ctx, key, value) {
    await ctx.stub.putState(key, Buffer.from(value));
    return value;
  }
  async Get(ctx, key) {
    return (await ctx.stub.getState(key)).toString();
  }
}
module.exports.contracts = [Store];
`;

const npm = async (cwd: string, args: string[]): Promise<void> => {
  await exec('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, env: process.env });
};

/**
 * The contract's folder (package.json + package-lock.json + index.js) and, untimed, a warm npm cache:
 * the lock file is resolved and `npm ci` run once in a scratch copy.
 */
async function coldSource(dir: string): Promise<{ src: string; warmMs: number }> {
  const src = join(dir, 'src');
  await mkdir(src, { recursive: true });
  await writeFile(
    join(src, 'package.json'),
    JSON.stringify(
      {
        name: 'coldstart-cc',
        version: '1.0.0',
        private: true,
        main: 'index.js',
        scripts: { start: 'fabric-chaincode-node start' },
        dependencies: { 'fabric-contract-api': '2.5.8', 'fabric-shim': '2.5.8' },
      },
      null,
      2,
    ),
  );
  await writeFile(join(src, 'index.js'), COLD_CONTRACT);
  await npm(src, ['install', '--package-lock-only', '--prefer-offline']);
  const scratch = join(dir, 'warm');
  await mkdir(scratch);
  for (const f of ['package.json', 'package-lock.json']) await copyFile(join(src, f), join(scratch, f));
  const started = performance.now();
  await npm(scratch, ['ci', '--omit=dev', '--prefer-offline']);
  const warmMs = performance.now() - started;
  await rm(scratch, { recursive: true, force: true });
  return { src, warmMs };
}

async function coldStart(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'cc-bench-cold-'));
  try {
    const { src, warmMs } = await coldSource(dir);
    const pkg = await createChaincodePackage({ path: src, lang: 'node', label: 'coldstart_1.0' });
    const peer = await createPeer(
      { peer: { fileSystemPath: join(dir, 'peer') }, chaincode: { logging: { level: 'warning' } } },
      { inMemory: true, logging: new LoggingSystem({ spec: 'error', writer: { write: () => true } }) },
    );
    await peer.start();
    const net = peer.devNetwork!;
    const admin = SigningIdentity.from(
      net.peer.localMsp.identityFromCertificate(net.admin.certificate),
      PrivateKey.fromPem(net.admin.privateKey),
      'sha256',
    );
    const peerClient = await PeerClient.connect(
      { address: `localhost:${peer.address.split(':').pop()!}`, tls: { rootCerts: [net.peer.tls.ca] } },
      admin,
    );
    const orderer = await OrdererClient.connect(
      { address: `localhost:${net.ports.orderer}`, tls: { rootCerts: [net.ordererTlsCa] } },
      admin,
    );
    try {
      const t0 = performance.now();
      const { packageId } = await installChaincode(peerClient, pkg);
      const t1 = performance.now();
      const definition = {
        name: 'coldstart',
        version: '1.0',
        sequence: 1,
        // What `peer lifecycle chaincode approveformyorg` sends when no policy is given.
        endorsementPlugin: 'escc',
        validationPlugin: 'vscc',
        validationParameter: protos.ApplicationPolicy.encode({
          channelConfigPolicyReference: '/Channel/Application/Endorsement',
        }),
        collections: undefined,
        initRequired: false,
      };
      await approveForMyOrg([peerClient], orderer, net.channelId, definition, packageId, {
        waitForEvent: true,
      });
      await commitDefinition([peerClient], orderer, net.channelId, definition, { waitForEvent: true });
      const t2 = performance.now();
      const { response } = await invokeChaincode([peerClient], orderer, {
        channelId: net.channelId,
        chaincode: 'coldstart',
        args: ['Put', 'k', 'v'].map((a) => Buffer.from(a)),
        waitForEvent: true,
      });
      const t3 = performance.now();
      if (response?.status !== 200) throw new Error(`first invoke: status ${response?.status}`);
      // The figure is honest only if the peer really built the package: its dependencies were installed
      // by npm (real folders from the registry's tarballs, not links into this workspace).
      const builds = join(dir, 'peer', 'chaincodes', 'node');
      const [build] = await readdir(builds);
      const shim = join(builds, build ?? '', 'src', 'node_modules', 'fabric-shim');
      if (!(await lstat(shim)).isDirectory()) throw new Error(`no npm-installed fabric-shim in ${shim}`);
      const total = (t3 - t0) / 1000;
      console.log(
        `cold start, node package (fabric-contract-api 2.5.8, package-lock, ${(pkg.length / 1024).toFixed(1)} KiB; untimed npm cache warm-up took ${(warmMs / 1000).toFixed(1)} s)`,
      );
      console.log(
        `  install ${((t1 - t0) / 1000).toFixed(2)} s   approve + commit ${((t2 - t1) / 1000).toFixed(2)} s   first invoke (npm ci, start, register, endorse, commit) ${((t3 - t2) / 1000).toFixed(2)} s`,
      );
      console.log(
        `  install -> first successful invoke: ${total.toFixed(1)} s (target < 30 s: ${total < 30 ? 'met' : 'NOT met'})`,
      );
    } finally {
      peerClient.close();
      orderer.close();
      await peer.stop();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(
    `chaincode execute (PutGet: 1 read + 1 write): ${TOTAL} transactions per level, ${availableParallelism()} cores, Node ${process.version}`,
  );
  const creator = await makeCreator();
  const { ShimTestContract } = require(join(CONTRACT_DIR, 'index.js')) as { ShimTestContract: unknown };

  if (PHASES.has('inprocess')) {
    const { manager, ledger } = await openLedger();
    const inProcess = new InProcessLauncher();
    inProcess.add('bench', { contracts: [ShimTestContract] });
    const support = new ChaincodeSupport({ launchers: [inProcess], startupTimeoutMs: 30_000 });
    try {
      report('in-process (real shim server)', await measure(support, ledger, creator));
    } finally {
      await support.close();
      await manager.close();
    }
  }

  const bytes = await nodePackage();
  for (const withTls of PHASES.has('launched') ? [false, true] : []) {
    const { manager, ledger } = await openLedger();
    const builds = await mkdtemp(join(tmpdir(), 'cc-bench-builds-'));
    const packages = new MemoryPackageStore();
    const packageId = await packages.save(bytes);
    const support = new ChaincodeSupport({
      packages,
      tls: withTls ? await createChaincodeTLS() : undefined,
      mspId: 'Org1MSP',
      launchers: [
        new NodeLauncher({ buildsDir: join(builds, 'builds'), logLevel: 'WARNING', stopGraceMs: 2000 }),
      ],
      resolve: () => ({ packageId }),
      startupTimeoutMs: 60_000,
    });
    const listener = await ChaincodeListener.start({ support, address: '127.0.0.1:0' });
    try {
      report(
        `launched node package, TLS ${withTls ? 'on ' : 'off'}`,
        await measure(support, ledger, creator),
      );
    } finally {
      await support.close();
      await listener.close();
      await manager.close();
      await rm(builds, { recursive: true, force: true });
    }
  }
  if (PHASES.has('coldstart')) await coldStart();
}

await main();
