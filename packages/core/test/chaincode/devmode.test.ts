// Development mode: the peer launches nothing; the user starts the chaincode (the real
// `fabric-chaincode-node start`) with CORE_CHAINCODE_ID_NAME and --peer.address, and it registers by
// name on the chaincode listener. Outside dev mode such a stranger is turned away.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CHAINCODE_ERRORS,
  ChaincodeError,
  ChaincodeListener,
  ChaincodeSupport,
  createChaincodeTLS,
  InProcessLauncher,
  TLSCA,
} from '../../src/chaincode/index.js';
import { CONTRACT_DIR, openLedger, simulate, SHIM_CLI, tempDir, text, type TestLedger } from './helpers.js';
import { childEnv, Children } from './launch-helpers.js';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';

describe('dev mode', () => {
  const children = new Children();
  let l: TestLedger;

  before(async () => {
    l = await openLedger();
  });

  after(async () => {
    await children.killAll();
    await l.close();
  });

  test('a chaincode started by the user registers by name and serves transactions', async () => {
    const support = new ChaincodeSupport({ devMode: true, executeTimeoutMs: 10_000 });
    const listener = await ChaincodeListener.start({ support, address: '127.0.0.1:0' });
    try {
      // Nothing registered yet: a clear error telling how to start it, no launch attempt.
      await assert.rejects(simulate(support, l.ledger, 'mycc', ['Get', 'a']), (err: unknown) => {
        assert.ok(ChaincodeError.is(err, CHAINCODE_ERRORS.NOT_REGISTERED));
        assert.match(
          err.message,
          new RegExp(`CORE_CHAINCODE_ID_NAME=mycc, --peer.address ${listener.address}`),
        );
        return true;
      });
      children.spawn(
        process.execPath,
        [SHIM_CLI, 'start', '--peer.address', listener.address, '--module-path', CONTRACT_DIR],
        childEnv({ CORE_CHAINCODE_ID_NAME: 'mycc', CORE_PEER_LOCALMSPID: 'Org1MSP' }),
      );
      assert.ok(await support.waitForChaincode('mycc', 10_000), 'chaincode registered');
      const id = await simulate(support, l.ledger, 'mycc', ['Identity']);
      assert.deepEqual(JSON.parse(text(id)), { client: 'Org1MSP', peer: 'Org1MSP', channel: 'mychannel' });
      const put = await simulate(support, l.ledger, 'mycc', ['Put', 'dev', 'mode']);
      assert.equal(text(put), 'mode');

      // Fabric's dev-mode tutorial registers as name:version; without _lifecycle the name finds it.
      children.spawn(
        process.execPath,
        [SHIM_CLI, 'start', '--peer.address', listener.address, '--module-path', CONTRACT_DIR],
        childEnv({ CORE_CHAINCODE_ID_NAME: 'othercc:1.0' }),
      );
      assert.ok(await support.waitForChaincode('othercc:1.0', 10_000));
      assert.equal(
        text(await simulate(support, l.ledger, 'othercc', ['Put', 'v', 'versioned'])),
        'versioned',
      );
    } finally {
      await support.close();
      await listener.close();
    }
  });

  test('with TLS the chaincode needs a client certificate from the peer CA (mutual TLS)', async () => {
    const tls = await createChaincodeTLS();
    const support = new ChaincodeSupport({ devMode: true, tls, executeTimeoutMs: 10_000 });
    const listener = await ChaincodeListener.start({ support, address: '127.0.0.1:0' });
    const dir = await tempDir();
    try {
      const client = await tls.ca.newClientCert('mycc');
      await writeFile(join(dir.path, 'root.pem'), tls.rootCertPem);
      await writeFile(join(dir.path, 'client.key'), Buffer.from(client.keyPem).toString('base64'));
      await writeFile(join(dir.path, 'client.crt'), Buffer.from(client.certPem).toString('base64'));
      const tlsEnv = {
        CORE_PEER_TLS_ENABLED: 'true',
        CORE_PEER_TLS_ROOTCERT_FILE: join(dir.path, 'root.pem'),
        CORE_TLS_CLIENT_KEY_PATH: join(dir.path, 'client.key'),
        CORE_TLS_CLIENT_CERT_PATH: join(dir.path, 'client.crt'),
      };
      const args = [SHIM_CLI, 'start', '--peer.address', listener.address, '--module-path', CONTRACT_DIR];
      // A certificate from another CA is refused at the TLS handshake: it never registers.
      const other = await TLSCA.create('someone else');
      const stranger = await other.newClientCert('mycc');
      await writeFile(join(dir.path, 'stranger.key'), Buffer.from(stranger.keyPem).toString('base64'));
      await writeFile(join(dir.path, 'stranger.crt'), Buffer.from(stranger.certPem).toString('base64'));
      const refused = children.spawn(
        process.execPath,
        args,
        childEnv({
          ...tlsEnv,
          CORE_CHAINCODE_ID_NAME: 'mycc',
          CORE_TLS_CLIENT_KEY_PATH: join(dir.path, 'stranger.key'),
          CORE_TLS_CLIENT_CERT_PATH: join(dir.path, 'stranger.crt'),
        }),
      );
      assert.equal(await support.waitForChaincode('mycc', 1500), false);
      refused.kill('SIGKILL');
      await Children.exited(refused);

      children.spawn(process.execPath, args, childEnv({ ...tlsEnv, CORE_CHAINCODE_ID_NAME: 'mycc' }));
      assert.ok(await support.waitForChaincode('mycc', 10_000));
      const put = await simulate(support, l.ledger, 'mycc', ['Put', 'over', 'tls']);
      assert.equal(text(put), 'tls');
    } finally {
      await support.close();
      await listener.close();
      await dir.remove();
    }
  });

  test('outside dev mode a chaincode the peer did not launch is refused', async () => {
    const support = new ChaincodeSupport({ devMode: false });
    const listener = await ChaincodeListener.start({ support, address: '127.0.0.1:0' });
    try {
      const child = children.spawn(
        process.execPath,
        [SHIM_CLI, 'start', '--peer.address', listener.address, '--module-path', CONTRACT_DIR],
        childEnv({ CORE_CHAINCODE_ID_NAME: 'stranger' }),
      );
      // The peer ends the stream; the Node shim has nothing left to do and exits.
      const code = await Children.exitedWithin(child, 8000);
      assert.notEqual(code, 'still running');
      assert.equal(support.isRunning('stranger'), false);
    } finally {
      await support.close();
      await listener.close();
    }
  });

  test('in dev mode chaincode handed over as code still runs in process', async () => {
    const { ShimTestContract } = createRequire(import.meta.url)(join(CONTRACT_DIR, 'index.js')) as {
      ShimTestContract: unknown;
    };
    const inProcess = new InProcessLauncher();
    inProcess.add('inproc', { contracts: [ShimTestContract] });
    const support = new ChaincodeSupport({ devMode: true, launchers: [inProcess], executeTimeoutMs: 10_000 });
    try {
      assert.equal(
        text(await simulate(support, l.ledger, 'inproc', ['Put', 'k', 'in-process'])),
        'in-process',
      );
      await assert.rejects(simulate(support, l.ledger, 'other', ['Get', 'k']), (err: unknown) =>
        ChaincodeError.is(err, CHAINCODE_ERRORS.NOT_REGISTERED),
      );
    } finally {
      await support.close();
    }
  });
});
