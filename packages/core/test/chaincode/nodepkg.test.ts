// Node chaincode packages: a package in `peer lifecycle chaincode package --lang node` layout
// (metadata.json {type: node} + code.tar.gz with src/...) is unpacked, its dependencies installed by
// the real npm, and `npm start -- --peer.address` runs the real shim as a child over mutual TLS.
// To stay offline and fast, the package's package.json points fabric-contract-api and fabric-shim at
// the workspace's installed copies with `file:` paths (npm links them; nothing is downloaded).
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  CHAINCODE_ERRORS,
  ChaincodeError,
  ChaincodeListener,
  ChaincodeSupport,
  createChaincodeTLS,
  MemoryPackageStore,
  NodeLauncher,
} from '../../src/chaincode/index.js';
import { type Logger } from '../../src/logging/index.js';
import {
  CONTRACT_API_DIR,
  CONTRACT_DIR,
  FIXTURES,
  openLedger,
  SHIM_DIR,
  simulate,
  tempDir,
  text,
  type TestLedger,
  writesOf,
} from './helpers.js';
import { alive, buildPackage } from './launch-helpers.js';

/** Collects what the chaincode printed (the `chaincode.<name>` logger). */
function captureLogger(lines: string[]): Logger {
  const push = (m: string): void => void lines.push(m);
  return { debug: push, info: push, warn: push, error: push };
}

describe('node chaincode package', () => {
  let l: TestLedger;
  let tmp: { path: string; remove(): Promise<void> };
  let support: ChaincodeSupport;
  let listener: ChaincodeListener;
  let packageId: string;
  let packagesStore: MemoryPackageStore;
  const lines: string[] = [];

  before(async () => {
    l = await openLedger();
    tmp = await tempDir();
    const pkgJson = JSON.parse(await readFile(join(CONTRACT_DIR, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    pkgJson.dependencies = {
      'fabric-contract-api': `file:${CONTRACT_API_DIR}`,
      'fabric-shim': `file:${SHIM_DIR}`,
    };
    const bytes = await buildPackage(
      { type: 'node', label: 'shimtest_node', path: '' },
      {
        'src/package.json': JSON.stringify(pkgJson),
        'src/index.js': await readFile(join(CONTRACT_DIR, 'index.js'), 'utf8'),
      },
    );
    const packages = new MemoryPackageStore();
    packagesStore = packages;
    packageId = await packages.save(bytes);
    const tls = await createChaincodeTLS();
    support = new ChaincodeSupport({
      packages,
      tls,
      mspId: 'Org1MSP',
      launchers: [
        new NodeLauncher({
          buildsDir: join(tmp.path, 'builds'),
          stopGraceMs: 2000,
          logLevel: 'WARNING',
          offline: true,
        }),
      ],
      resolve: (_c, name) => (name === 'nodecc' ? { packageId } : undefined),
      executeTimeoutMs: 10_000,
      startupTimeoutMs: 60_000,
      getLogger: () => captureLogger(lines),
    });
    listener = await ChaincodeListener.start({ support, address: '127.0.0.1:0' });
  });

  after(async () => {
    await support.close();
    await listener.close();
    await l.close();
    await tmp.remove();
  });

  test('built once (npm install, offline), started with the shim environment, serves transactions', async () => {
    const put = await simulate(support, l.ledger, 'nodecc', ['Put', 'n', 'node']);
    assert.equal(put.response.status, 200, put.response.message);
    assert.equal(text(put), 'node');
    const id = await simulate(support, l.ledger, 'nodecc', ['Identity']);
    assert.deepEqual(JSON.parse(text(id)), { client: 'Org1MSP', peer: 'Org1MSP', channel: 'mychannel' });
    const builds = await readdir(join(tmp.path, 'builds'));
    assert.deepEqual(builds, [packageId.replace(':', '-')]);
    const src = join(tmp.path, 'builds', builds[0]!, 'src');
    assert.ok((await readdir(join(src, 'node_modules'))).includes('fabric-shim'));
    assert.ok(lines.some((line) => line.includes('npm install --omit=dev')));
  });

  test('a chaincode that crashes mid-transaction fails that proposal and is relaunched on next use', async () => {
    await assert.rejects(simulate(support, l.ledger, 'nodecc', ['Crash', 'c']), (err: unknown) => {
      assert.ok(ChaincodeError.is(err, CHAINCODE_ERRORS.STREAM_TERMINATED));
      assert.match(err.message, /error sending: chaincode stream terminated/);
      return true;
    });
    const installs = lines.filter((line) => line.includes('npm install')).length;
    const again = await simulate(support, l.ledger, 'nodecc', ['Put', 'back', 'again']);
    assert.equal(text(again), 'again');
    assert.equal(
      lines.filter((line) => line.includes('npm install')).length,
      installs,
      'the build is reused',
    );
  });

  test('a build that cannot run npm fails the launch with the reason', async () => {
    const bad = new ChaincodeSupport({
      packages: packagesStore,
      launchers: [
        new NodeLauncher({
          buildsDir: join(tmp.path, 'bad-builds'),
          npmCommand: join(tmp.path, 'no-npm-here'),
        }),
      ],
      resolve: () => ({ packageId }),
      startupTimeoutMs: 20_000,
    });
    try {
      await assert.rejects(
        simulate(bad, l.ledger, 'nodecc', ['Get', 'a']),
        /could not launch chaincode shimtest_node:\w+: error building chaincode: could not run .*no-npm-here: spawn .*ENOENT/,
      );
    } finally {
      await bad.close();
    }
  });

  test('close() stops the chaincode process', async () => {
    const pids = await childPids();
    assert.ok(pids.length > 0, 'a chaincode process runs');
    await support.close();
    for (const pid of pids) assert.equal(alive(pid), false, `process ${pid} stopped`);
  });
});

/** Processes running the shim CLI with our package id (ours are the only ones). */
async function childPids(): Promise<number[]> {
  const out: number[] = [];
  for (const p of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(p)) continue;
    const cmd = await readFile(`/proc/${p}/cmdline`, 'utf8').catch(() => '');
    const env = await readFile(`/proc/${p}/environ`, 'utf8').catch(() => '');
    if (cmd.includes('fabric-chaincode-node') && env.includes('CORE_CHAINCODE_ID_NAME=shimtest_node:'))
      out.push(Number(p));
  }
  return out;
}

describe('the real node package of Fabric 2.5.12 (asset-node.tar.gz)', () => {
  test('is built from the npm cache (offline) and serves its contract', async (t) => {
    const l = await openLedger();
    const tmp = await tempDir();
    const packages = new MemoryPackageStore();
    const packageId = await packages.save(await readFile(join(FIXTURES, 'chaincode', 'asset-node.tar.gz')));
    assert.equal(
      packageId,
      (await readFile(join(FIXTURES, 'chaincode', 'asset-node.package-id'), 'utf8')).trim(),
    );
    const lines: string[] = [];
    const support = new ChaincodeSupport({
      packages,
      mspId: 'Org1MSP',
      launchers: [
        new NodeLauncher({
          buildsDir: join(tmp.path, 'builds'),
          offline: true,
          logLevel: 'WARNING',
          stopGraceMs: 2000,
        }),
      ],
      resolve: () => ({ packageId }),
      executeTimeoutMs: 10_000,
      startupTimeoutMs: 60_000,
      getLogger: () => captureLogger(lines),
    });
    const listener = await ChaincodeListener.start({ support, address: '127.0.0.1:0' });
    try {
      let put;
      try {
        put = await simulate(support, l.ledger, 'asset', ['Put', 'car9', 'blue']);
      } catch (err) {
        // Its package.json names registry versions: with an empty npm cache there is nothing to install from.
        if (/ENOTCACHED/.test(String((err as Error).message))) {
          t.skip(
            'the npm cache lacks fabric-contract-api@2.5.8 and its dependencies (run one online npm install of them)',
          );
          return;
        }
        throw err;
      }
      assert.equal(put.response.status, 200, put.response.message);
      assert.deepEqual(writesOf(put.rw, 'asset'), { car9: 'blue' });
      assert.equal(put.event?.eventName, 'Put');
    } finally {
      await support.close();
      await listener.close();
      await l.close();
      await tmp.remove();
    }
  });
});
