// External builders with tiny shell-script builders: detect/build/release/run get Fabric's arguments,
// propagateEnvironment passes only the listed variables, builds persist per package id, a release
// with chaincode/server/connection.json makes the peer dial, and bin/run gets chaincode.json
// (here with TLS, so the chaincode registers over mutual TLS with the peer-issued client pair).
import assert from 'node:assert/strict';
import { appendFile, chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  ChaincodeListener,
  ChaincodeSupport,
  createChaincodeTLS,
  ExternalBuilderLauncher,
  MemoryPackageStore,
  type ExternalBuilderConfig,
} from '../../src/chaincode/index.js';
import {
  CONTRACT_DIR,
  openLedger,
  simulate,
  SHIM_CLI,
  tempDir,
  text,
  type TestLedger,
  writesOf,
} from './helpers.js';
import { buildPackage, childEnv, Children, freePort, waitForPort } from './launch-helpers.js';

const NODE_PATH = join(CONTRACT_DIR, '..', '..', '..', '..', 'node_modules');

const SCRIPTS = {
  run: {
    detect: `#!/bin/sh
echo "detect $1 $2" >> "$BUILDER_LOG"
grep -q '"type":"shell-run"' "$2/metadata.json"`,
    build: `#!/bin/sh
set -e
echo "build $1 $2 $3" >> "$BUILDER_LOG"
cp -R "$1/." "$3/"
echo "\${SECRET_NOT_LISTED:-unset}" > "$3/not-listed.txt"`,
    release: `#!/bin/sh
echo "release $1 $2" >> "$BUILDER_LOG"`,
    run: `#!/bin/sh
set -e
echo "run $1 $2" >> "$BUILDER_LOG"
J="$2/chaincode.json"
TLS=$(mktemp -d "$BUILDER_TMP/tls.XXXXXX")
export CORE_CHAINCODE_ID_NAME="$(jq -r .chaincode_id "$J")"
export CORE_PEER_LOCALMSPID="$(jq -r .mspid "$J")"
if [ -n "$(jq -r .client_cert "$J")" ]; then
  export CORE_PEER_TLS_ENABLED=true
  jq -r .root_cert "$J" > "$TLS/root.crt"
  jq -r .client_cert "$J" | base64 -w0 > "$TLS/client.crt"
  jq -r .client_key "$J" | base64 -w0 > "$TLS/client.key"
  export CORE_PEER_TLS_ROOTCERT_FILE="$TLS/root.crt" CORE_TLS_CLIENT_CERT_PATH="$TLS/client.crt" CORE_TLS_CLIENT_KEY_PATH="$TLS/client.key"
fi
export NODE_PATH="$CC_NODE_PATH" CORE_CHAINCODE_LOGGING_LEVEL=WARNING
exec node "$SHIM_CLI_PATH" start --peer.address "$(jq -r .peer_address "$J")" --module-path "$1"`,
  },
  server: {
    detect: `#!/bin/sh
grep -q '"type":"shell-server"' "$2/metadata.json"`,
    build: `#!/bin/sh
cp "$1/connection.json" "$3/"`,
    release: `#!/bin/sh
mkdir -p "$2/chaincode/server" && cp "$1/connection.json" "$2/chaincode/server/"`,
  },
};

async function writeBuilder(dir: string, scripts: Record<string, string>): Promise<void> {
  await mkdir(join(dir, 'bin'), { recursive: true });
  for (const [name, body] of Object.entries(scripts)) {
    await writeFile(join(dir, 'bin', name), body + '\n');
    await chmod(join(dir, 'bin', name), 0o755);
  }
}

describe('external builders', () => {
  const children = new Children();
  let l: TestLedger;
  let tmp: { path: string; remove(): Promise<void> };
  let builders: ExternalBuilderConfig[];
  const saved: Record<string, string | undefined> = {};

  before(async () => {
    l = await openLedger();
    tmp = await tempDir();
    await writeBuilder(join(tmp.path, 'run-builder'), SCRIPTS.run);
    await writeBuilder(join(tmp.path, 'server-builder'), SCRIPTS.server);
    builders = [
      // Fabric's default core.yaml lists a builder that is not installed here: skipped, not fatal.
      { name: 'ccaas_builder', path: join(tmp.path, 'not-installed') },
      {
        name: 'run-builder',
        path: join(tmp.path, 'run-builder'),
        propagateEnvironment: ['BUILDER_LOG', 'BUILDER_TMP', 'SHIM_CLI_PATH', 'CC_NODE_PATH'],
      },
      { name: 'server-builder', path: join(tmp.path, 'server-builder') },
    ];
    const env = {
      BUILDER_LOG: join(tmp.path, 'builder.log'),
      BUILDER_TMP: tmp.path,
      SHIM_CLI_PATH: SHIM_CLI,
      CC_NODE_PATH: NODE_PATH,
      SECRET_NOT_LISTED: 'leaked',
    };
    for (const [k, v] of Object.entries(env)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
  });

  after(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await children.killAll();
    await l.close();
    await tmp.remove();
  });

  const launcher = (): ExternalBuilderLauncher =>
    new ExternalBuilderLauncher({
      builders,
      buildsDir: join(tmp.path, 'builds'),
      scratchDir: join(tmp.path, 'scratch'),
      stopGraceMs: 2000,
    });

  test('detect, build, release, run with Fabric argument order; TLS pair in chaincode.json', async () => {
    const bytes = await buildPackage(
      { type: 'shell-run', label: 'ext_run' },
      {
        'index.js': await readFile(join(CONTRACT_DIR, 'index.js'), 'utf8'),
        'package.json': await readFile(join(CONTRACT_DIR, 'package.json'), 'utf8'),
      },
    );
    const packages = new MemoryPackageStore();
    const packageId = await packages.save(bytes);
    const tls = await createChaincodeTLS();
    const make = (): ChaincodeSupport =>
      new ChaincodeSupport({
        packages,
        tls,
        mspId: 'Org1MSP',
        launchers: [launcher()],
        resolve: () => ({ packageId }),
        executeTimeoutMs: 10_000,
        startupTimeoutMs: 20_000,
      });
    let support = make();
    let listener = await ChaincodeListener.start({ support, address: '127.0.0.1:0' });
    try {
      const put = await simulate(support, l.ledger, 'extcc', ['Put', 'ext', 'built']);
      assert.equal(put.response.status, 200, put.response.message);
      assert.deepEqual(writesOf(put.rw, 'extcc'), { ext: 'built' });
      const id = await simulate(support, l.ledger, 'extcc', ['Identity']);
      assert.equal(JSON.parse(text(id)).peer, 'Org1MSP');

      const log = (await readFile(join(tmp.path, 'builder.log'), 'utf8')).trim().split('\n');
      assert.deepEqual(
        log.map((line) => line.split(' ')[0]),
        ['detect', 'build', 'release', 'run'],
      );
      const [, src, meta] = log[0]!.split(' ');
      assert.deepEqual(log[1]!.split(' ').slice(1, 3), [src, meta]);
      const bld = log[1]!.split(' ')[3]!;
      assert.equal(log[2]!.split(' ').length, 3);
      // run gets the persisted build output and its own metadata folder.
      const runArgs = log[3]!.split(' ');
      assert.match(runArgs[1]!, /builds\/ext_run-[0-9a-f]{64}\/bld$/);
      assert.notEqual(runArgs[1], bld);
      const builtDir = runArgs[1]!;
      assert.equal(
        (await readFile(join(builtDir, 'not-listed.txt'), 'utf8')).trim(),
        'unset',
        'only listed variables reach builders',
      );

      // A new peer run (fresh launcher, same folders) reuses the persisted build: only run again.
      await support.close();
      await listener.close();
      await appendFile(join(tmp.path, 'builder.log'), '--\n');
      support = make();
      listener = await ChaincodeListener.start({ support, address: '127.0.0.1:0' });
      const again = await simulate(support, l.ledger, 'extcc', ['Get', 'missing']);
      assert.equal(again.response.status, 500);
      const after = (await readFile(join(tmp.path, 'builder.log'), 'utf8'))
        .split('--\n')[1]!
        .trim()
        .split('\n');
      assert.deepEqual(
        after.map((line) => line.split(' ')[0]),
        ['run'],
      );
    } finally {
      await support.close();
      await listener.close();
    }
  });

  test('a release with chaincode/server/connection.json makes the peer dial the chaincode server', async () => {
    const port = await freePort();
    const bytes = await buildPackage(
      { type: 'shell-server', label: 'ext_server' },
      {
        'connection.json': JSON.stringify({
          address: `127.0.0.1:${port}`,
          dial_timeout: '5s',
          tls_required: false,
        }),
      },
    );
    const packages = new MemoryPackageStore();
    const packageId = await packages.save(bytes);
    children.spawn(
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
      ],
      childEnv(),
    );
    await waitForPort(port);
    const support = new ChaincodeSupport({
      packages,
      launchers: [launcher()],
      resolve: () => ({ packageId }),
      executeTimeoutMs: 10_000,
      startupTimeoutMs: 20_000,
    });
    try {
      const put = await simulate(support, l.ledger, 'srv', ['Put', 'via', 'release']);
      assert.equal(text(put), 'release');
    } finally {
      await support.close();
    }
  });

  test('a package no builder claims is left to the next launcher', async () => {
    const bytes = await buildPackage({ type: 'golang', label: 'gocc' }, { 'src/main.go': 'package main' });
    const packages = new MemoryPackageStore();
    const packageId = await packages.save(bytes);
    const support = new ChaincodeSupport({
      packages,
      launchers: [launcher()],
      resolve: () => ({ packageId }),
      startupTimeoutMs: 20_000,
    });
    try {
      await assert.rejects(
        simulate(support, l.ledger, 'gocc', ['x']),
        /no launcher for chaincode package type 'golang'/,
      );
    } finally {
      await support.close();
    }
  });
});
