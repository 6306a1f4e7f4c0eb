// `npx fabric-peer node start` from the packed tarballs: in a fresh folder with no core.yaml it brings up
// the dev network on test-network's ports, the printed exports make `fabric-peer channel list|getinfo`
// work, and SIGINT stops it with exit code 0. Needs the npm registry (third-party dependencies) and
// ports 7050-7053 free (skipped otherwise).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const packages = ['protos', 'packages/msp', 'packages/ledger', 'packages/core', 'packages/cli'];
const pnpm = ['-y', 'pnpm@9.15.9'];

const run = (cmd: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv): string =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...(env && { env }) });

const portFree = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '0.0.0.0', () => s.close(() => resolve(true)));
  });

test(
  'npx fabric-peer node start from the packed tarballs serves the dev network and stops on SIGINT',
  { timeout: 400_000 },
  async (t) => {
    for (const p of [7050, 7051, 7052, 7053]) {
      if (!(await portFree(p))) {
        t.skip(`port ${p} is in use`);
        return;
      }
    }
    if (packages.some((p) => !existsSync(join(root, p, 'dist', 'index.cjs'))))
      run('npx', [...pnpm, 'run', 'build'], root);
    const work = mkdtempSync(join(tmpdir(), 'fabric-peer-start-'));
    try {
      const tgz = join(work, 'tgz');
      for (const p of packages) run('npx', [...pnpm, 'pack', '--pack-destination', tgz], join(root, p));
      const app = join(work, 'app');
      run('mkdir', ['-p', app], work);
      writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true }));
      run('npm', ['install', '--no-audit', '--no-fund', ...readdirSync(tgz).map((f) => join(tgz, f))], app);

      const bin = join(app, 'node_modules', '.bin', 'fabric-peer');
      const child = spawn(bin, ['node', 'start'], {
        cwd: app,
        env: { ...process.env, FABRIC_LOGGING_SPEC: 'warn' },
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      for (let i = 0; i < 600 && !out.includes('export ORDERER_CA='); i++)
        await new Promise((r) => setTimeout(r, 100));
      assert.match(out, /channel:\s+mychannel \(joined\)/);
      const env: NodeJS.ProcessEnv = { ...process.env };
      for (const m of out.matchAll(/^export (\w+)=(.*)$/gm)) env[m[1]!] = m[2]!;
      assert.equal(run(bin, ['channel', 'list'], app, env), 'Channels peers has joined: \nmychannel\n');
      assert.match(
        run(bin, ['channel', 'getinfo', '-c', 'mychannel'], app, env),
        /^Blockchain info: \{"height":1,/,
      );
      child.kill('SIGINT');
      assert.equal(await exited, 0);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  },
);
