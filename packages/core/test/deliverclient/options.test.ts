import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { resolvePeerConfig } from '../../src/config/index.js';
import { deliverServiceOptionsFromConfig } from '../../src/deliverclient/index.js';

const signer = { serialize: () => new Uint8Array(), sign: () => new Uint8Array() };

describe('deliver service options from core.yaml', () => {
  it('maps peer.deliveryclient.* and reads override CA files once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dcopts-'));
    try {
      await writeFile(join(dir, 'ca.pem'), 'PEM');
      const config = resolvePeerConfig({
        peer: {
          tls: { enabled: true },
          deliveryclient: {
            connTimeout: 1234,
            reConnectBackoffThreshold: 5678,
            addressOverrides: [
              { from: 'orderer:7050', to: 'localhost:7050', caCertsFile: join(dir, 'ca.pem') },
            ],
          },
        },
      });
      const o = deliverServiceOptionsFromConfig(config, signer, undefined, { cert: 'C', key: 'K' });
      assert.equal(o.tls, true);
      assert.equal(o.connTimeoutMs, 1234);
      assert.equal(o.maxRetryDelayMs, 5678);
      assert.deepEqual(o.overrides, [{ from: 'orderer:7050', to: 'localhost:7050', caCertsPem: ['PEM'] }]);
      assert.equal(o.clientCert, 'C');
      const plain = deliverServiceOptionsFromConfig(
        resolvePeerConfig({ peer: { tls: { enabled: false } } }),
        signer,
      );
      assert.equal(plain.tls, false);
      assert.equal(plain.clientCert, undefined);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
