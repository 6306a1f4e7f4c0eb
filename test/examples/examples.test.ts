// Runs each example the way its README says (its package.json script, with the package's own
// node_modules/.bin on PATH, as `pnpm --filter <name> <script>` does) and checks that it ends well
// and printed what a user should see. An example is listed here only once it passes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface Example {
  name: string;
  script: string;
  /** Lines the run must print (each a pattern on the combined output). */
  expect: RegExp[];
  timeoutMs: number;
}

const EXAMPLES: Example[] = [
  {
    name: 'asset-transfer',
    script: 'start',
    expect: [/\*\*\* AssetExists asset\d+: false/, /done: 4 chaincode events for asset\d+/],
    timeoutMs: 60_000,
  },
  {
    name: 'fabric-network',
    script: 'start',
    expect: [/TransferAsset: asset\d+ was owned by Tom/, /done: 4 contract events for asset\d+/],
    timeoutMs: 60_000,
  },
  {
    // Jest exits by itself only when nothing is left open (no --forceExit).
    name: 'jest',
    script: 'test',
    expect: [/Tests:\s+4 passed, 4 total/],
    timeoutMs: 120_000,
  },
];

interface Run {
  code: number | null;
  output: string;
  ms: number;
}

function runScript(dir: string, script: string, timeoutMs: number): Promise<Run> {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const command = pkg.scripts[script];
  assert.ok(command, `${dir} has no "${script}" script`);
  const bins = [join(dir, 'node_modules', '.bin'), join(root, 'node_modules', '.bin')];
  const started = performance.now();
  const child = spawn(command, {
    cwd: dir,
    shell: true,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PATH: [...bins, process.env.PATH ?? ''].join(delimiter), FORCE_COLOR: '0' },
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  // The whole process group, so a shell's children go too.
  const timer = setTimeout(() => child.pid !== undefined && process.kill(-child.pid, 'SIGKILL'), timeoutMs);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output, ms: Math.round(performance.now() - started) });
    });
  });
}

for (const ex of EXAMPLES) {
  test(`examples/${ex.name}: ${ex.script}`, { timeout: ex.timeoutMs + 5_000 }, async () => {
    const run = await runScript(join(root, 'examples', ex.name), ex.script, ex.timeoutMs);
    assert.equal(run.code, 0, `exited ${run.code} after ${run.ms} ms:\n${run.output}`);
    for (const pattern of ex.expect) assert.match(run.output, pattern);
    assert.doesNotMatch(run.output, /did not exit|open handle/i);
    // Noise a user would see from the dev network that is not about their code: the deliver client
    // looking for TLS files an in-memory peer does not have, grpc-js's start() deprecation via the shim.
    assert.doesNotMatch(
      run.output,
      /without a TLS client certificate|Calling start\(\) is no longer necessary/,
    );
    console.log(`examples/${ex.name} ${ex.script}: ${run.ms} ms`);
  });
}
