import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { resolvePeerConfig } from '../../src/config/index.js';
import {
  FABRIC_METRICS,
  OperationsServer,
  StatsdMetricsProvider,
  metricsProviderFromConfig,
  statsdName,
} from '../../src/operations/index.js';

describe('statsd names', () => {
  it('follow Fabric: dotted full name, then label values with . | : and spaces replaced', () => {
    assert.equal(
      statsdName(FABRIC_METRICS.ledgerBlockchainHeight, { channel: 'my.channel' }),
      'ledger.blockchain_height.my_channel',
    );
    assert.equal(
      statsdName(FABRIC_METRICS.grpcServerUnaryRequestsCompleted, {
        service: 'protos.Endorser',
        method: 'ProcessProposal',
        code: 'OK',
      }),
      'grpc.server.unary_requests_completed.protos_Endorser.ProcessProposal.OK',
    );
    assert.equal(
      statsdName(
        { namespace: 'a', name: 'b', help: 'h', labelNames: ['x'], statsdFormat: '%{#namespace}-%{x}' },
        { x: 'y z' },
      ),
      'a-y_z',
    );
    assert.throws(
      () => statsdName(FABRIC_METRICS.ledgerBlockchainHeight, {}),
      /invalid label in name format: channel/,
    );
  });
});

describe('StatsdMetricsProvider', () => {
  it('sends aggregated lines over UDP every writeInterval and on stop', async () => {
    const daemon = createSocket('udp4');
    const received: string[] = [];
    daemon.on('message', (msg) =>
      received.push(
        ...msg
          .toString()
          .split('\n')
          .filter((l) => l !== ''),
      ),
    );
    await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
    const { port } = daemon.address();
    try {
      const config = resolvePeerConfig({
        metrics: {
          provider: 'statsd',
          statsd: { address: `127.0.0.1:${port}`, writeInterval: 20, prefix: 'peer0' },
        },
      });
      const provider = metricsProviderFromConfig(config);
      assert.ok(provider instanceof StatsdMetricsProvider);
      await provider.start();
      const proposals = provider.newCounter(FABRIC_METRICS.endorserProposalsReceived);
      proposals.add();
      proposals.add(2);
      provider.newGauge(FABRIC_METRICS.ledgerBlockchainHeight).with({ channel: 'mychannel' }).set(14);
      provider
        .newHistogram(FABRIC_METRICS.ledgerBlockProcessingTime)
        .with({ channel: 'mychannel' })
        .observe(0.25);
      const until = Date.now() + 2000;
      while (received.length < 3 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(received.sort(), [
        'peer0.endorser.proposals_received:3|c',
        'peer0.ledger.block_processing_time.mychannel:0.25|ms',
        'peer0.ledger.blockchain_height.mychannel:14|g',
      ]);
      provider.newGauge(FABRIC_METRICS.ledgerBlockchainHeight).with({ channel: 'other' }).add(-1);
      await provider.stop();
      while (received.length < 4 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      assert.equal(received[3], 'peer0.ledger.blockchain_height.other:-1|g');
    } finally {
      daemon.close();
    }
  });

  it('makes the operations server fail to start when a TCP statsd is unreachable', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const address = probe.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const metrics = new StatsdMetricsProvider({
      network: 'tcp',
      address: `127.0.0.1:${port}`,
      writeInterval: 10,
    });
    const server = new OperationsServer({ listenAddress: '127.0.0.1:0', metrics });
    await assert.rejects(
      server.start(),
      (err: unknown) => (err as { code?: string }).code === 'METRICS_STATSD_UNREACHABLE',
    );
  });
});
