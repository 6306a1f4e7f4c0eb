// gateway.Gateway end to end with the real @hyperledger/fabric-gateway client: a peer on the dev
// network's crypto and genesis (embedded orderer, TLS everywhere, in-process fabric-contract-api
// contract), the client in its own process (as in life; also fabric-gateway's and fabric-shim's
// google-protobuf messages cannot share one process). Phases: submit-to-commit at light load (one
// caller), submit throughput with 50 concurrent callers (submitAsync + getStatus each), evaluate with
// 50 callers and with one. Besides the client's figures it prints the peer process's CPU per
// transaction (peer + orderer + chaincode share it), which does not depend on what else the machine runs.
// Run: node --conditions=source --import tsx bench/gateway.bench.ts [submits=2000] [maxMessageCount=100] [batchTimeout=2ms] [createPeer|harness] [phases]
// createPeer (default): the peer as users get it, createPeer on the in-memory dev network; harness: the
// same parts wired by hand (test/gateway/harness.ts).
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { common } from '../protos/src/index';
import { BroadcastClient } from '../packages/core/src/orderer/index';
import { createPeer } from '../packages/core/src/peer/index';
import { runScenario, targetOf } from '../packages/core/test/gateway/client';
import type { DriverTarget } from '../packages/core/test/gateway/driver';
import { ASSET } from '../packages/core/test/gateway/contract';
import { lifecycleTx, startTestNetwork } from '../packages/core/test/gateway/harness';

const SUBMITS = Number(process.argv[2] ?? 2000);
const MAX_MESSAGE_COUNT = Number(process.argv[3] ?? 100);
const BATCH_TIMEOUT = process.argv[4] ?? '2ms';
const MODE = process.argv[5] ?? 'createPeer';
// Which phases to run (for profiling one): submit1, submit50, evaluate50, evaluate1.
const PHASES = (process.argv[6] ?? 'submit1,submit50,evaluate50,evaluate1').split(',');

interface Bench {
  height(): number;
  target(args: Record<string, unknown>): DriverTarget;
  stop(): Promise<void>;
}

async function harnessBench(): Promise<Bench> {
  const t = await startTestNetwork({ maxMessageCount: MAX_MESSAGE_COUNT, batchTimeout: BATCH_TIMEOUT });
  await t.defineChaincode('basic', ASSET);
  return { height: () => t.channel.height, target: (a) => targetOf(t, 'basic', a), stop: () => t.close() };
}

async function createPeerBench(): Promise<Bench> {
  // A line per block at INFO would drown the figures.
  process.env.FABRIC_LOGGING_SPEC ??= 'warning';
  const peer = await createPeer(
    {},
    {
      inMemory: true,
      chaincodes: { basic: ASSET },
      devNetwork: { inMemory: true, maxMessageCount: MAX_MESSAGE_COUNT, batchTimeout: BATCH_TIMEOUT },
    },
  );
  await peer.start();
  const net = peer.devNetwork!;
  // No _lifecycle system chaincode yet: the definition goes in as the transaction it would endorse.
  const admin = net.crypto!.peerOrg.admin.toMSP().getSigningIdentity();
  const h0 = peer.height(net.channelId);
  const orderer = new BroadcastClient(`127.0.0.1:${net.ports.orderer}`, { rootCerts: [net.ordererTlsCa] });
  const r = await orderer.broadcast(
    lifecycleTx(admin, net.peer.localMsp.getSigningIdentity(), net.channelId, 'basic'),
  );
  orderer.close();
  if (r.status !== common.Status.SUCCESS) throw new Error(`defining basic: ${r.status} ${r.info}`);
  while (peer.height(net.channelId) <= h0) await new Promise((res) => setTimeout(res, 5));
  return {
    height: () => peer.height(net.channelId),
    target: (args) => ({
      address: `localhost:${peer.address.split(':').pop()!}`,
      tlsCa: net.peer.tls.ca,
      mspId: net.user.mspId,
      certificate: net.user.certificate,
      privateKey: net.user.privateKey,
      channel: net.channelId,
      chaincode: 'basic',
      args,
    }),
    stop: () => peer.stop(),
  };
}

interface Figures {
  count: number;
  perSecond: number;
  p50: number;
  p99: number;
  ms: number;
  clientCpuMs: number;
}

async function phase(t: Bench, name: string, args: Record<string, unknown>): Promise<string> {
  const cpu0 = process.cpuUsage();
  const elu0 = performance.eventLoopUtilization();
  const h0 = t.height();
  const r = await runScenario<Figures>('bench', t.target(args), 600_000);
  const cpu = process.cpuUsage(cpu0);
  const elu = performance.eventLoopUtilization(elu0).utilization;
  // The warm-up's 20 submits are in the CPU figure too (and the client's start-up idles the peer).
  const txs = r.count + 20;
  const cpuPerTx = (cpu.user + cpu.system) / 1000 / txs;
  const blocks = t.height() - h0;
  return (
    `${name}: ${r.perSecond} tx/s over ${r.count}, p50 ${r.p50} ms, p99 ${r.p99} ms; ` +
    `peer process ${cpuPerTx.toFixed(2)} ms CPU/tx, event loop ${(elu * 100).toFixed(0)}% busy; ` +
    `client process ${r.clientCpuMs.toFixed(2)} ms CPU/tx` +
    (args.phase === 'evaluate' ? '' : `, ${blocks} blocks`)
  );
}

async function main(): Promise<void> {
  const t = MODE === 'harness' ? await harnessBench() : await createPeerBench();
  try {
    console.log(
      `machine: ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)}; ` +
        `${MODE}; BatchTimeout ${BATCH_TIMEOUT}, MaxMessageCount ${MAX_MESSAGE_COUNT}; TLS on`,
    );
    if (PHASES.includes('submit1'))
      console.log(
        await phase(t, 'submit -> commit status, 1 caller   (target p50 <= 15 ms)', {
          phase: 'submit',
          count: 200,
          concurrency: 1,
        }),
      );
    if (PHASES.includes('submit50'))
      console.log(
        await phase(t, 'submit -> commit status, 50 callers (target >= 1500 tx/s)', {
          phase: 'submit',
          count: SUBMITS,
          concurrency: 50,
        }),
      );
    if (PHASES.includes('evaluate50'))
      console.log(
        await phase(t, 'evaluate, 50 callers', { phase: 'evaluate', count: 5000, concurrency: 50 }),
      );
    if (PHASES.includes('evaluate1'))
      console.log(await phase(t, 'evaluate, 1 caller', { phase: 'evaluate', count: 1000, concurrency: 1 }));
  } finally {
    await t.stop();
  }
}

await main();
