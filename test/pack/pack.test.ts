// The published shape: each workspace package packs to a tarball that installs with plain npm in a fresh
// folder outside the repository, loads from CommonJS and ESM, runs under Jest's default configuration,
// and puts a working `fabric-peer` on the PATH. Needs the npm registry for third-party dependencies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const packages = ['protos', 'packages/msp', 'packages/ledger', 'packages/core', 'packages/cli'];
const pnpm = ['-y', 'pnpm@9.15.9'];

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

test(
  'packed tarballs install in a fresh folder and load from CJS, ESM, Jest and the CLI',
  { timeout: 300_000 },
  () => {
    if (packages.some((p) => !existsSync(join(root, p, 'dist', 'index.cjs')))) {
      run('npx', [...pnpm, 'run', 'build'], root);
    }
    const work = mkdtempSync(join(tmpdir(), 'fabric-peer-pack-'));
    try {
      const tgz = join(work, 'tgz');
      for (const p of packages) run('npx', [...pnpm, 'pack', '--pack-destination', tgz], join(root, p));
      const tarballs = readdirSync(tgz).map((f) => join(tgz, f));
      assert.equal(tarballs.length, packages.length);

      const app = join(work, 'app');
      run('mkdir', ['-p', app], work);
      writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true }));
      run('npm', ['install', '--no-audit', '--no-fund', ...tarballs, 'jest@29'], app);

      const cjs = run(
        'node',
        [
          '-e',
          `const core = require('@fabric-peer/core'); const { common } = require('@fabric-peer/protos');
         const { generateOrg } = require('@fabric-peer/msp'); const { LedgerManager } = require('@fabric-peer/ledger');
         console.log([typeof core.loadPeerConfig, typeof common.Block.decode, typeof generateOrg, typeof LedgerManager].join())`,
        ],
        app,
      );
      assert.equal(cjs.trim(), 'function,function,function,function');

      const esm = run(
        'node',
        [
          '--input-type=module',
          '-e',
          `import { loadPeerConfig } from '@fabric-peer/core'; import { common } from '@fabric-peer/protos';
         const bytes = common.BlockHeader.encode({ number: 7 });
         console.log(typeof loadPeerConfig, common.BlockHeader.decode(bytes).number)`,
        ],
        app,
      );
      assert.equal(esm.trim(), 'function 7');

      writeFileSync(
        join(app, 'lib.test.js'),
        `const { common } = require('@fabric-peer/protos');
       const { main } = require('fabric-peer');
       test('the library loads under Jest defaults', () => {
         expect(common.BlockHeader.decode(common.BlockHeader.encode({ number: 3 })).number).toBe(3);
         expect(typeof main).toBe('function');
       });`,
      );
      const jest = spawnSync('npx', ['jest', '--ci'], { cwd: app, encoding: 'utf8' });
      assert.equal(jest.status, 0, jest.stderr);
      assert.match(jest.stderr, /1 passed/);

      const help = run(join(app, 'node_modules', '.bin', 'fabric-peer'), ['--help'], app);
      assert.match(help, /Available Commands:/);
      const version = run(join(app, 'node_modules', '.bin', 'fabric-peer'), ['version'], app);
      assert.match(version, /^fabric-peer:\n Version: 0\.1\.0/);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  },
);
