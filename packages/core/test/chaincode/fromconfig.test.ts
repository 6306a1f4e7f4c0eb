// ChaincodeSupport built from core.yaml settings: timeouts, dev mode, the installed-package folder
// and Fabric's launcher order (the default core.yaml's ccaas_builder path is absent here and is
// skipped; the built-in ccaas launcher serves the package). And the listener on the peer's own TLS
// certificate (cryptogen-like dev crypto), as Fabric's chaincode server uses peer.tls.cert.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { generateOrg } from '@fabric-peer/msp';
import { defaultPeerConfig } from '../../src/config/index.js';
import {
  ChaincodeListener,
  ChaincodeSupport,
  createChaincodeSupport,
  createChaincodeTLS,
  FilePackageStore,
  installedPackagesDir,
} from '../../src/chaincode/index.js';
import { CONTRACT_DIR, openLedger, simulate, SHIM_CLI, tempDir, text, type TestLedger } from './helpers.js';
import { buildPackage, childEnv, Children, freePort } from './launch-helpers.js';

describe('chaincode support from configuration', () => {
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

  test('core.yaml values, installed packages and launcher order', async () => {
    const config = defaultPeerConfig();
    config.peer.fileSystemPath = tmp.path;
    config.peer.localMspId = 'Org1MSP';
    config.chaincode.executetimeout = 1234;
    config.chaincode.startuptimeout = 20_000;
    assert.equal(config.chaincode.externalBuilders[0]?.name, 'ccaas_builder');

    const port = await freePort();
    const bytes = await buildPackage(
      { type: 'ccaas', label: 'cfg' },
      { 'connection.json': JSON.stringify({ address: `127.0.0.1:${port}`, dial_timeout: '200ms' }) },
    );
    const packageId = await new FilePackageStore(installedPackagesDir(config)).save(bytes);

    const { support, inProcess } = createChaincodeSupport({
      config,
      resolve: (_c, n) => (n === 'cfg' ? { packageId } : { packageId: n }),
    });
    try {
      assert.equal(support.executeTimeoutMs, 1234);
      assert.equal(support.startupTimeoutMs, 20_000);
      assert.equal(support.devMode, false);
      // Found in peer.fileSystemPath/lifecycle/chaincodes, claimed by the built-in ccaas launcher.
      await assert.rejects(
        simulate(support, l.ledger, 'cfg', ['Get', 'a']),
        /could not connect to chaincode server at 127\.0\.0\.1:\d+/,
      );
      // Code handed over to the peer runs in process.
      const { ShimTestContract } = createRequire(import.meta.url)(join(CONTRACT_DIR, 'index.js')) as {
        ShimTestContract: unknown;
      };
      inProcess.add('given', { contracts: [ShimTestContract] });
      assert.equal(text(await simulate(support, l.ledger, 'given', ['Put', 'k', 'v'])), 'v');
    } finally {
      await support.close();
    }

    config.chaincode.mode = 'dev';
    const dev = createChaincodeSupport({ config });
    assert.equal(dev.support.devMode, true);
    await dev.support.close();
    const forced = createChaincodeSupport({
      config: { ...config, chaincode: { ...config.chaincode, mode: 'net' } },
      devMode: true, // --peer-chaincodedev
    });
    assert.equal(forced.support.devMode, true);
    await forced.support.close();
  });

  test('the listener can serve with the peer TLS certificate; chaincode trusts the peer TLS CA', async () => {
    const org = await generateOrg({ kind: 'peer', domain: 'org1.example.com', mspId: 'Org1MSP' });
    const peer = org.nodes[0]!;
    const tls = await createChaincodeTLS({
      serverCertPem: peer.tls.certificate,
      serverKeyPem: peer.tls.privateKey,
      rootCertPem: peer.tls.ca,
    });
    assert.equal(tls.rootCertPem, org.tlsCa.certificate);
    const support = new ChaincodeSupport({ devMode: true, tls, executeTimeoutMs: 10_000 });
    const listener = await ChaincodeListener.start({ support, address: '127.0.0.1:0' });
    try {
      const client = await tls.ca.newClientCert('peertls');
      await writeFile(join(tmp.path, 'root.pem'), tls.rootCertPem);
      await writeFile(join(tmp.path, 'c.key'), Buffer.from(client.keyPem).toString('base64'));
      await writeFile(join(tmp.path, 'c.crt'), Buffer.from(client.certPem).toString('base64'));
      children.spawn(
        process.execPath,
        [SHIM_CLI, 'start', '--peer.address', listener.address, '--module-path', CONTRACT_DIR],
        childEnv({
          CORE_CHAINCODE_ID_NAME: 'peertls',
          CORE_PEER_TLS_ENABLED: 'true',
          CORE_PEER_TLS_ROOTCERT_FILE: join(tmp.path, 'root.pem'),
          CORE_TLS_CLIENT_KEY_PATH: join(tmp.path, 'c.key'),
          CORE_TLS_CLIENT_CERT_PATH: join(tmp.path, 'c.crt'),
        }),
      );
      assert.ok(await support.waitForChaincode('peertls', 10_000));
      assert.equal(text(await simulate(support, l.ledger, 'peertls', ['Put', 'peer', 'tls'])), 'tls');
    } finally {
      await support.close();
      await listener.close();
    }
  });
});
