import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'node:test';
import { LoggingSystem } from '../../src/logging/index.js';
import {
  FABRIC_METRICS,
  OperationsServer,
  PrometheusMetricsProvider,
  operationsOptionsFromConfig,
} from '../../src/operations/index.js';
import { resolvePeerConfig } from '../../src/config/index.js';

const servers: OperationsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function started(
  options: ConstructorParameters<typeof OperationsServer>[0],
): Promise<OperationsServer> {
  const server = new OperationsServer({ listenAddress: '127.0.0.1:0', ...options });
  servers.push(server);
  await server.start();
  return server;
}

const quiet = (): LoggingSystem => new LoggingSystem({ writer: { write: () => undefined } });

describe('OperationsServer over HTTP', () => {
  it('binds port 0 and answers /healthz as Fabric', async () => {
    const server = await started({});
    assert.ok(server.port > 0);
    let res = await fetch(`${server.url}/healthz`);
    assert.equal(res.status, 200);
    const ok = (await res.json()) as Record<string, unknown>;
    assert.equal(ok.status, 'OK');
    assert.ok(!Number.isNaN(Date.parse(String(ok.time))));

    server.registerChecker('ledger', () => undefined);
    server.registerChecker('couchdb', async () => {
      throw new Error('failed to connect to couchdb');
    });
    res = await fetch(`${server.url}/healthz`);
    assert.equal(res.status, 503);
    const failed = (await res.json()) as Record<string, unknown>;
    assert.equal(failed.status, 'Service Unavailable');
    assert.deepEqual(failed.failed_checks, [
      { component: 'couchdb', reason: 'failed to connect to couchdb' },
    ]);
    assert.equal((await fetch(`${server.url}/healthz`, { method: 'POST' })).status, 405);
  });

  it('times out a checker that never answers', async () => {
    const server = await started({ healthTimeoutMs: 50 });
    server.registerChecker(
      'stuck',
      (signal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve())),
    );
    const res = await fetch(`${server.url}/healthz`);
    assert.equal(res.status, 503);
    assert.deepEqual(((await res.json()) as { failed_checks: unknown }).failed_checks, [
      { component: 'stuck', reason: 'health check timed out' },
    ]);
  });

  it('reads and sets the log spec at /logspec', async () => {
    const logging = new LoggingSystem({ spec: 'info', writer: { write: () => undefined } });
    const server = await started({ logging });
    assert.deepEqual(await (await fetch(`${server.url}/logspec`)).json(), { spec: 'info' });
    const put = (body: string): Promise<Response> => fetch(`${server.url}/logspec`, { method: 'PUT', body });
    let res = await put(JSON.stringify({ spec: 'gossip=warn:debug' }));
    assert.equal(res.status, 204);
    assert.equal(logging.spec(), 'gossip=warn:debug');
    res = await put(JSON.stringify({ spec: 'chaincode=loud' }));
    assert.equal(res.status, 400);
    const error = (await res.json()) as { Error: string };
    assert.match(error.Error, /invalid logging specification 'chaincode=loud'/);
    assert.equal(logging.spec(), 'gossip=warn:debug');
    assert.equal((await put('{not json')).status, 400);
    res = await fetch(`${server.url}/logspec`, { method: 'POST' });
    assert.deepEqual(await res.json(), { Error: 'invalid request method: POST' });
  });

  it('answers /version and 404 elsewhere', async () => {
    const server = await started({ version: { version: '2.5.12', commitSHA: 'af0b647' } });
    assert.deepEqual(await (await fetch(`${server.url}/version`)).json(), {
      Version: '2.5.12',
      CommitSHA: 'af0b647',
    });
    const res = await fetch(`${server.url}/nope`);
    assert.equal(res.status, 404);
    assert.equal(await res.text(), '404 page not found\n');
    assert.equal(
      (await fetch(`${server.url}/metrics`)).status,
      404,
      'metrics disabled by default, as Fabric',
    );
  });

  it('serves Prometheus text from a registry of its own', async () => {
    const a = new PrometheusMetricsProvider();
    const b = new PrometheusMetricsProvider();
    const serverA = await started({ metrics: a, version: { version: '2.5.12' } });
    const serverB = await started({ metrics: b });
    const height = a.newGauge(FABRIC_METRICS.ledgerBlockchainHeight);
    height.with({ channel: 'mychannel' }).set(14);
    a.newCounter(FABRIC_METRICS.endorserProposalsReceived).add();
    a.newCounter(FABRIC_METRICS.endorserProposalsReceived).add(2);
    a.newHistogram(FABRIC_METRICS.ledgerBlockProcessingTime).with({ channel: 'mychannel' }).observe(0.02);
    b.newCounter(FABRIC_METRICS.grpcServerUnaryRequestsReceived)
      .with({ service: 'protos.Endorser', method: 'ProcessProposal' })
      .add();
    const textA = await (await fetch(`${serverA.url}/metrics`)).text();
    assert.match(textA, /^ledger_blockchain_height\{channel="mychannel"\} 14$/m);
    assert.match(textA, /^endorser_proposals_received 3$/m);
    assert.match(textA, /^ledger_block_processing_time_bucket\{le="0\.05",channel="mychannel"\} 1$/m);
    assert.match(textA, /^fabric_version\{version="2\.5\.12"\} 1$/m);
    assert.doesNotMatch(textA, /grpc_server/);
    const textB = await (await fetch(`${serverB.url}/metrics`)).text();
    assert.match(
      textB,
      /^grpc_server_unary_requests_received\{service="protos\.Endorser",method="ProcessProposal"\} 1$/m,
    );
    assert.doesNotMatch(textB, /ledger_blockchain_height/);
    assert.throws(
      () => a.newCounter({ namespace: 'ledger', name: 'blockchain_height', help: 'x' }),
      /different kind/,
    );
  });

  it('stop() closes kept-alive connections and frees the port', async () => {
    const server = await started({});
    const url = server.url;
    await (await fetch(`${url}/healthz`)).text();
    const began = Date.now();
    await server.stop();
    assert.ok(Date.now() - began < 1000, 'stop must not wait for idle keep-alive sockets');
    await assert.rejects(fetch(`${url}/healthz`));
    await server.stop();
  });

  it('reports a port in use as OperationsError', async () => {
    const first = await started({});
    const second = new OperationsServer({ listenAddress: `127.0.0.1:${first.port}` });
    await assert.rejects(
      second.start(),
      (err: unknown) => (err as { code?: string }).code === 'OPERATIONS_LISTEN_FAILED',
    );
  });

  it('builds its options from the peer config', async () => {
    const config = resolvePeerConfig({
      operations: { listenAddress: '127.0.0.1:0' },
      metrics: { provider: 'prometheus' },
      peer: { profile: { enabled: true } },
    });
    const server = new OperationsServer(operationsOptionsFromConfig(config, { logging: quiet() }));
    servers.push(server);
    await server.start();
    assert.equal((await fetch(`${server.url}/metrics`)).status, 200);
    assert.equal((await fetch(`${server.url}/logspec`)).status, 200);
  });
});

describe('profiling endpoints', () => {
  after(async () => Promise.all(servers.splice(0).map((s) => s.stop())));

  it('are absent unless peer.profile.enabled', async () => {
    const server = await started({});
    assert.equal((await fetch(`${server.url}/debug/pprof/profile?seconds=1`)).status, 404);
  });

  it('returns a V8 CPU profile and a heap snapshot', async () => {
    const server = await started({ profileEnabled: true });
    const res = await fetch(`${server.url}/debug/pprof/profile?seconds=0.2`);
    assert.equal(res.status, 200);
    const profile = (await res.json()) as { nodes: unknown[]; startTime: number; endTime: number };
    assert.ok(Array.isArray(profile.nodes) && profile.nodes.length > 0);
    assert.ok(profile.endTime > profile.startTime);

    const [first, second] = await Promise.all([
      fetch(`${server.url}/debug/pprof/profile?seconds=0.2`),
      new Promise((resolve) => setTimeout(resolve, 50)).then(() =>
        fetch(`${server.url}/debug/pprof/profile?seconds=0.2`),
      ),
    ]);
    assert.equal(first.status, 200);
    assert.equal(second.status, 500, 'one CPU profile at a time');
    await first.arrayBuffer();
    await second.arrayBuffer();

    const heap = await fetch(`${server.url}/debug/pprof/heap`);
    assert.equal(heap.status, 200);
    const snapshot = (await heap.json()) as { snapshot: { node_count: number } };
    assert.ok(snapshot.snapshot.node_count > 0);
  });

  it('stop() ends a running CPU profile at once', async () => {
    const server = await started({ profileEnabled: true });
    const pending = fetch(`${server.url}/debug/pprof/profile?seconds=60`).then(
      () => 'answered',
      () => 'cut off',
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const began = Date.now();
    await server.stop();
    assert.equal(await pending, 'cut off');
    assert.ok(Date.now() - began < 2000);
  });
});
