// `peer node start` as a library call: with no core.yaml it brings up the dev network (crypto on disk,
// embedded orderer, channel joined) and prints how to connect; a second start reuses the folder.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNode } from '../../src/client/index.js';

const quiet = { write: (): boolean => true };

describe('startNode', () => {
  it('with no core.yaml: the dev network in <cwd>/.fabric-peer, mychannel joined, restartable', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'fabric-peer-start-'));
    const env = { CORE_OPERATIONS_LISTENADDRESS: '127.0.0.1:0', FABRIC_LOGGING_SPEC: 'error' };
    const ports = { peer: 0, chaincode: 0, orderer: 0, ordererAdmin: 0 };
    try {
      const node = await startNode({ env, cwd, logWriter: quiet, devPorts: ports });
      try {
        assert.deepEqual(node.peer.channels(), ['mychannel']);
        assert.match(node.summary, /export CORE_PEER_MSPCONFIGPATH=.*Admin@org1\.example\.com\/msp/);
        assert.ok(existsSync(join(cwd, '.fabric-peer', 'devnet.json')));
      } finally {
        await node.stop();
      }
      const again = await startNode({ env, cwd, logWriter: quiet });
      try {
        assert.equal(again.devnet?.created, false);
        assert.deepEqual(again.peer.channels(), ['mychannel']);
      } finally {
        await again.stop();
      }
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('a FABRIC_CFG_PATH folder that does not exist fails as the Go peer', async () => {
    await assert.rejects(
      startNode({ env: { FABRIC_CFG_PATH: '/no/such/folder' }, logWriter: quiet }),
      /no\/such\/folder/,
    );
  });
});
