// fabric-gateway, fabric-contract-api and @fabric-peer/core in one process, in the order a test file
// written top-down imports them (gateway first): the in-process contract must still work. Each order
// runs in a fresh process, since which copy of the protobuf classes loads first is process-wide.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./one-process.ts', import.meta.url));

async function run(order: string): Promise<Record<string, unknown>> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', SCRIPT, order], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FABRIC_LOGGING_SPEC: 'warning' },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  const line = out.split('\n').find((l) => l.startsWith('RESULT '));
  assert.ok(line, `${order}: exited ${code} without a result:\n${out}\n${err}`);
  return JSON.parse(line.slice('RESULT '.length)) as Record<string, unknown>;
}

describe('client and in-process contract in one process', () => {
  for (const order of ['gateway-first', 'shim-first', 'shim-after-gateway']) {
    test(`${order}: submit, evaluate and async commit status through the real client`, async () => {
      const r = await run(order);
      assert.deepEqual(r, { order, submitted: 'v1', evaluated: 'v1', code: 0 /* VALID */, successful: true });
    });
  }
});
