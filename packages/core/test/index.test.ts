import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as core from '../src/index.js';

describe('@fabric-peer/core public surface', () => {
  it('exports exactly the deliberate list of values', () => {
    assert.deepEqual(Object.keys(core).sort(), [
      'ConfigError',
      'DEFAULT_LOG_FORMAT',
      'DisabledMetricsProvider',
      'ERRORS',
      'FABRIC_METRICS',
      'FabricLogger',
      'FabricPeerError',
      'LoggingError',
      'LoggingSystem',
      'NOOP_LOGGER',
      'OperationsError',
      'OperationsServer',
      'PEER_ERRORS',
      'PeerError',
      'PrometheusMetricsProvider',
      'StatsdMetricsProvider',
      'certHash',
      'clientChannelOptions',
      'clientCredentials',
      'createPeer',
      'defaultPeerConfig',
      'findConfigFile',
      'loadPeerConfig',
      'operationsOptionsFromConfig',
      'resolvePeerConfig',
    ]);
  });

  it('composes: config -> logging -> operations', async () => {
    const config = core.resolvePeerConfig({
      operations: { listenAddress: '127.0.0.1:0' },
      metrics: { provider: 'prometheus' },
    });
    const lines: string[] = [];
    const logging = new core.LoggingSystem({
      spec: 'info',
      format: 'json',
      writer: { write: (l) => lines.push(l) },
    });
    const server = new core.OperationsServer(
      core.operationsOptionsFromConfig(config, {
        logging,
        version: { version: '0.1.0' },
        logger: logging.getLogger('operations'),
      }),
    );
    await server.start();
    try {
      assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
      assert.match(lines[0] ?? '', /"msg":"Operations server listening on http:\/\/127\.0\.0\.1:\d+"/);
    } finally {
      await server.stop();
    }
  });
});
