// The zero-config dev network: ensureDevNetwork + embedded orderer start on an empty folder (crypto
// generation included), on the same folder again, and in memory; then broadcast-to-block latency on the
// embedded orderer (in process, and over gRPC with TLS), the dev default of a block per transaction.
// Run: node --conditions=source --import tsx bench/devnet.bench.ts [txs=300]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { common } from '../protos/src/index';
import { createSignedEnvelope } from '../packages/core/src/configtx/index';
import {
  createDevOrderer,
  devPeerInputs,
  ensureDevNetwork,
  startDevNetwork,
} from '../packages/core/src/devnet/index';
import { createPeer } from '../packages/core/src/peer/index';
import { LoggingSystem } from '../packages/core/src/logging/index';
import { BroadcastClient, type EmbeddedOrderer } from '../packages/core/src/orderer/index';

const TXS = Number(process.argv[2] ?? 300);
const ms = (t0: number): string => `${(performance.now() - t0).toFixed(1)} ms`;
const pct = (xs: number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const FREE = { peer: 0, chaincode: 0, orderer: 0, ordererAdmin: 0 };

async function startup(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'devnet-bench-'));
  try {
    let t0 = performance.now();
    let net = await ensureDevNetwork({ dataDir: dir, ports: FREE });
    let o = createDevOrderer(net);
    await o.start();
    console.log(`empty folder: ensureDevNetwork + orderer start  ${ms(t0)}  (target <= 1000 ms)`);
    await o.stop();
    t0 = performance.now();
    net = await ensureDevNetwork({ dataDir: dir });
    o = createDevOrderer(net);
    await o.start();
    console.log(`existing folder: ensureDevNetwork + orderer start  ${ms(t0)}  (target <= 300 ms)`);
    await o.stop();
    t0 = performance.now();
    net = await ensureDevNetwork({ inMemory: true });
    o = createDevOrderer(net);
    await o.start();
    console.log(`in memory: ensureDevNetwork + orderer start  ${ms(t0)}`);
    await o.stop();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Resolves when block `n` is on the orderer's chain. */
async function blockWritten(o: EmbeddedOrderer, n: number): Promise<void> {
  for await (const b of o.registrar.getChain('mychannel')!.store.blocksFrom(n))
    if (b.header!.number >= n) return;
}

async function latency(): Promise<void> {
  const net = await ensureDevNetwork({ inMemory: true });
  const o = createDevOrderer(net);
  await o.start();
  const user = net.crypto!.peerOrg.users[0]!.toMSP().getSigningIdentity();
  const tx = (): common.Envelope =>
    createSignedEnvelope(common.HeaderType.ENDORSER_TRANSACTION, 'mychannel', user, new Uint8Array(64), {
      withTxId: true,
    });
  const chain = o.registrar.getChain('mychannel')!;

  const inproc: number[] = [];
  for (let i = 0; i < TXS; i++) {
    const env = tx();
    const next = chain.height;
    const t0 = performance.now();
    await o.broadcast(env);
    await blockWritten(o, next);
    inproc.push(performance.now() - t0);
  }
  console.log(
    `broadcast -> block, in process (${TXS} txs, BatchTimeout 2ms): p50 ${pct(inproc, 0.5).toFixed(2)} ms, p99 ${pct(inproc, 0.99).toFixed(2)} ms`,
  );

  const tls = { rootCerts: [net.ordererTlsCa], serverNameOverride: 'orderer.example.com' };
  const client = new BroadcastClient(`localhost:${o.port}`, tls);
  const grpc: number[] = [];
  for (let i = 0; i < TXS; i++) {
    const env = tx();
    const next = chain.height;
    const t0 = performance.now();
    // fabric-common's way: a Broadcast stream per envelope, one write, half-close, one response.
    await client.broadcast(env);
    await blockWritten(o, next);
    grpc.push(performance.now() - t0);
  }
  console.log(
    `broadcast -> block, gRPC + TLS, stream per tx (${TXS} txs): p50 ${pct(grpc, 0.5).toFixed(2)} ms, p99 ${pct(grpc, 0.99).toFixed(2)} ms`,
  );
  client.close();
  await o.stop();
}

/** The dev default end to end: orderer + createPeer in memory, broadcast -> committed on the peer. */
async function withPeer(): Promise<void> {
  let t0 = performance.now();
  const dev = await startDevNetwork({ inMemory: true });
  const inputs = devPeerInputs(dev.network);
  const peer = await createPeer(inputs.config, {
    ...inputs.options,
    logging: new LoggingSystem({ spec: 'error', writer: { write: () => true } }),
  });
  await peer.start();
  if (!peer.channels().includes(inputs.channelId)) await peer.joinChannel(inputs.genesisBlock);
  console.log(`in memory: dev network + orderer + createPeer start + join  ${ms(t0)}  (target <= 100 ms)`);
  const user = dev.network.crypto!.peerOrg.users[0]!.toMSP().getSigningIdentity();
  const lat: number[] = [];
  for (let i = 0; i < Math.min(TXS, 200); i++) {
    const env = createSignedEnvelope(
      common.HeaderType.ENDORSER_TRANSACTION,
      'mychannel',
      user,
      new Uint8Array(64),
      {
        withTxId: true,
      },
    );
    const target = peer.height('mychannel') + 1;
    t0 = performance.now();
    await dev.orderer.broadcast(env);
    while (peer.height('mychannel') < target) await new Promise((r) => setImmediate(r));
    lat.push(performance.now() - t0);
  }
  console.log(
    `broadcast -> committed on the peer (deliver client over gRPC + TLS): p50 ${pct(lat, 0.5).toFixed(2)} ms, p99 ${pct(lat, 0.99).toFixed(2)} ms`,
  );
  await peer.stop();
  await dev.stop();
}

await startup();
await latency();
await withPeer();
