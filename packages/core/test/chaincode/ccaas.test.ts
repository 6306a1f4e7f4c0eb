// Chaincode as a service: the peer dials protos.Chaincode/Connect of a chaincode server running in a
// child process (the real `fabric-chaincode-node server`): the real Fabric 2.5.12 ccaas package with
// its own contract, then a package of ours with mutual TLS.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { protos } from '@fabric-peer/protos';
import {
  CHAINCODE_ERRORS,
  ChaincodeError,
  CcaasLauncher,
  ChaincodeSupport,
  MemoryPackageStore,
  parseChaincodePackage,
  TLSCA,
} from '../../src/chaincode/index.js';
import {
  commit,
  CONTRACT_DIR,
  FIXTURES,
  openLedger,
  simulate,
  SHIM_CLI,
  tempDir,
  text,
  type TestLedger,
  writesOf,
} from './helpers.js';
import { buildPackage, childEnv, Children, freePort, waitForPort } from './launch-helpers.js';

describe('chaincode as a service', () => {
  const children = new Children();
  let l: TestLedger;
  let tmp: { path: string; remove(): Promise<void> };

  before(async () => {
    l = await openLedger();
    tmp = await tempDir();
  });

  after(async () => {
    await children.killAll();
    await l.close();
    await tmp.remove();
  });

  test('the real asset_1.0 ccaas package from Fabric 2.5.12 runs its contract', async () => {
    const bytes = await readFile(join(FIXTURES, 'chaincode', 'asset_1.0.tar.gz'));
    const expectedId = (await readFile(join(FIXTURES, 'chaincode', 'asset_1.0.package-id'), 'utf8')).trim();
    const pkg = await parseChaincodePackage(bytes);
    assert.equal(pkg.packageId, expectedId);
    assert.equal(pkg.metadata.type, 'ccaas');

    const packages = new MemoryPackageStore();
    assert.equal(await packages.save(bytes), expectedId);
    // Its connection.json points at 127.0.0.1:28999; the fixture contract serves there, its
    // fabric-contract-api found through NODE_PATH (the fixture folder has no node_modules).
    children.spawn(
      process.execPath,
      [
        SHIM_CLI,
        'server',
        '--chaincode-address',
        '127.0.0.1:28999',
        '--chaincode-id',
        expectedId,
        '--module-path',
        join(FIXTURES, 'chaincode', 'src'),
      ],
      childEnv({ NODE_PATH: join(CONTRACT_DIR, '..', '..', '..', '..', 'node_modules') }),
    );
    await waitForPort(28999);
    const support = new ChaincodeSupport({
      packages,
      launchers: [new CcaasLauncher()],
      resolve: (_channel, name) => (name === 'asset' ? { packageId: expectedId } : undefined),
      executeTimeoutMs: 10_000,
      startupTimeoutMs: 10_000,
    });
    try {
      const put = await simulate(support, l.ledger, 'asset', ['Put', 'car1', 'red']);
      assert.equal(put.response.status, 200, put.response.message);
      assert.deepEqual(writesOf(put.rw, 'asset'), { car1: 'red' });
      assert.equal(put.event?.eventName, 'Put');
      assert.deepEqual(await commit(l.ledger, [put]), [0]);
      const get = await simulate(support, l.ledger, 'asset', ['Get', 'car1']);
      assert.equal(text(get), 'red');
      assert.ok(support.isRunning(expectedId));
    } finally {
      await support.close();
    }
  });

  test('mutual TLS to a chaincode server; a server that goes away is redialled on next use', async () => {
    const ca = await TLSCA.create('chaincode server CA');
    const server = await ca.newServerCert(['localhost', '127.0.0.1']);
    const peerClient = await ca.newClientCert('peer0.org1.example.com');
    for (const [name, content] of Object.entries({
      'server.crt': server.certPem,
      'server.key': server.keyPem,
      'ca.crt': ca.certPem,
    })) {
      await writeFile(join(tmp.path, name), content);
    }
    const port = await freePort();
    const connection = {
      address: `127.0.0.1:${port}`,
      dial_timeout: '5s',
      tls_required: true,
      client_auth_required: true,
      client_key: peerClient.keyPem,
      client_cert: peerClient.certPem,
      root_cert: ca.certPem,
    };
    const bytes = await buildPackage(
      { type: 'ccaas', label: 'shimtest_tls' },
      { 'connection.json': JSON.stringify(connection) },
    );
    const packages = new MemoryPackageStore();
    const packageId = await packages.save(bytes);
    const startServer = async (): Promise<ReturnType<Children['spawn']>> => {
      const child = children.spawn(
        process.execPath,
        [
          SHIM_CLI,
          'server',
          '--chaincode-address',
          `127.0.0.1:${port}`,
          '--chaincode-id',
          packageId,
          '--module-path',
          CONTRACT_DIR,
          '--chaincode-tls-cert-file',
          join(tmp.path, 'server.crt'),
          '--chaincode-tls-key-file',
          join(tmp.path, 'server.key'),
          '--chaincode-tls-client-cacert-file',
          join(tmp.path, 'ca.crt'),
        ],
        childEnv(),
      );
      await waitForPort(port);
      return child;
    };
    const first = await startServer();
    const support = new ChaincodeSupport({
      packages,
      launchers: [new CcaasLauncher()],
      resolve: () => ({ packageId }),
      executeTimeoutMs: 10_000,
      startupTimeoutMs: 10_000,
    });
    try {
      const put = await simulate(support, l.ledger, 'shimtest', ['Put', 'tls', 'yes']);
      assert.equal(put.response.status, 200, put.response.message);
      assert.deepEqual(writesOf(put.rw, 'shimtest'), { tls: 'yes' });

      // The server dies: the stream ends, the chaincode is no longer running; a new server is dialled.
      first.kill('SIGKILL');
      await Children.exited(first);
      for (let i = 0; i < 100 && support.isRunning(packageId); i++)
        await new Promise((r) => setTimeout(r, 20));
      assert.equal(support.isRunning(packageId), false);
      await startServer();
      const again = await simulate(support, l.ledger, 'shimtest', ['Put', 'tls', 'again']);
      assert.equal(text(again), 'again');
    } finally {
      await support.close();
    }
  });

  test('nothing listening at the connection.json address fails the launch with the dial error', async () => {
    const port = await freePort();
    const bytes = await buildPackage(
      { type: 'CCAAS', label: 'nobody_home' },
      { 'connection.json': JSON.stringify({ address: `127.0.0.1:${port}`, dial_timeout: '300ms' }) },
    );
    const packages = new MemoryPackageStore();
    const packageId = await packages.save(bytes);
    const support = new ChaincodeSupport({
      packages,
      launchers: [new CcaasLauncher()],
      resolve: () => ({ packageId }),
      startupTimeoutMs: 10_000,
    });
    try {
      await assert.rejects(
        simulate(support, l.ledger, 'x', ['Get', 'a']),
        /could not launch chaincode nobody_home:\w+: could not connect to chaincode server at 127\.0\.0\.1:\d+/,
      );
    } finally {
      await support.close();
    }
  });

  test('a server that never registers fails the launch after chaincode.startuptimeout and is hung up on', async () => {
    const server = new grpc.Server();
    let cancelled!: () => void;
    const hungUp = new Promise<void>((r) => (cancelled = r));
    server.addService(protos.ChaincodeService, {
      connect: (call: grpc.ServerDuplexStream<protos.ChaincodeMessage, protos.ChaincodeMessage>) => {
        call.on('cancelled', () => cancelled());
        call.on('end', () => cancelled());
        call.on('error', () => cancelled());
      },
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) =>
        err ? reject(err) : resolve(p),
      ),
    );
    const bytes = await buildPackage(
      { type: 'ccaas', label: 'silent' },
      { 'connection.json': JSON.stringify({ address: `127.0.0.1:${port}` }) },
    );
    const packages = new MemoryPackageStore();
    const packageId = await packages.save(bytes);
    const support = new ChaincodeSupport({
      packages,
      launchers: [new CcaasLauncher()],
      resolve: () => ({ packageId }),
      startupTimeoutMs: 300,
    });
    try {
      await assert.rejects(simulate(support, l.ledger, 'silent', ['Get', 'a']), (err: unknown) => {
        assert.ok(ChaincodeError.is(err, CHAINCODE_ERRORS.LAUNCH_TIMEOUT));
        assert.match(
          err.message,
          new RegExp(
            `could not launch chaincode ${packageId}: timeout expired while starting chaincode ${packageId} for transaction`,
          ),
        );
        return true;
      });
      await hungUp;
    } finally {
      await support.close();
      server.forceShutdown();
    }
  });
});
