// gateway.Gateway end to end with the real @hyperledger/fabric-gateway client: a peer on the dev
// network's crypto and genesis (embedded orderer, TLS everywhere, in-process fabric-contract-api
// contract), the client in its own process (as in life; also fabric-gateway's and fabric-shim's
// google-protobuf messages cannot share one process). Phases: submit-to-commit at light load (one
// caller), submit throughput with 50 concurrent callers (submitAsync + getStatus each), evaluate with
// 50 callers and with one. Besides the client's figures it prints the peer process's CPU per
// transaction (peer + orderer + chaincode share it), which does not depend on what else the machine runs.
// Run: node --conditions=source --import tsx bench/gateway.bench.ts [submits=2000] [maxMessageCount=100] [batchTimeout=2ms]
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { runScenario, targetOf } from '../packages/core/test/gateway/client';
import { ASSET } from '../packages/core/test/gateway/contract';
import { type TestNetwork, startTestNetwork } from '../packages/core/test/gateway/harness';

const SUBMITS = Number(process.argv[2] ?? 2000);
const MAX_MESSAGE_COUNT = Number(process.argv[3] ?? 100);
const BATCH_TIMEOUT = process.argv[4] ?? '2ms';

interface Figures {
  count: number;
  perSecond: number;
  p50: number;
  p99: number;
  ms: number;
}

async function phase(t: TestNetwork, name: string, args: Record<string, unknown>): Promise<string> {
  const cpu0 = process.cpuUsage();
  const elu0 = performance.eventLoopUtilization();
  const h0 = t.channel.height;
  const r = await runScenario<Figures>('bench', targetOf(t, 'basic', args), 600_000);
  const cpu = process.cpuUsage(cpu0);
  const elu = performance.eventLoopUtilization(elu0).utilization;
  // The warm-up's 20 submits are in the CPU figure too (and the client's start-up idles the peer).
  const txs = r.count + 20;
  const cpuPerTx = (cpu.user + cpu.system) / 1000 / txs;
  const blocks = t.channel.height - h0;
  return (
    `${name}: ${r.perSecond} tx/s over ${r.count}, p50 ${r.p50} ms, p99 ${r.p99} ms; ` +
    `peer process ${cpuPerTx.toFixed(2)} ms CPU/tx, event loop ${(elu * 100).toFixed(0)}% busy` +
    (args.phase === 'evaluate' ? '' : `, ${blocks} blocks`)
  );
}

async function main(): Promise<void> {
  const t = await startTestNetwork({ maxMessageCount: MAX_MESSAGE_COUNT, batchTimeout: BATCH_TIMEOUT });
  try {
    await t.defineChaincode('basic', ASSET);
    console.log(
      `machine: ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)}; ` +
        `BatchTimeout ${BATCH_TIMEOUT}, MaxMessageCount ${MAX_MESSAGE_COUNT}; TLS on`,
    );
    console.log(
      await phase(t, 'submit -> commit status, 1 caller   (target p50 <= 15 ms)', {
        phase: 'submit',
        count: 200,
        concurrency: 1,
      }),
    );
    console.log(
      await phase(t, 'submit -> commit status, 50 callers (target >= 1500 tx/s)', {
        phase: 'submit',
        count: SUBMITS,
        concurrency: 50,
      }),
    );
    console.log(await phase(t, 'evaluate, 50 callers', { phase: 'evaluate', count: 5000, concurrency: 50 }));
    console.log(await phase(t, 'evaluate, 1 caller', { phase: 'evaluate', count: 1000, concurrency: 1 }));
  } finally {
    await t.close();
  }
}

await main();
