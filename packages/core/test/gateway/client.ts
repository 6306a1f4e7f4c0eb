// Runs a driver.ts scenario in a client process against a test network and returns what it printed.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { DriverTarget } from './driver.js';
import type { TestNetwork } from './harness.js';

const DRIVER = fileURLToPath(new URL('./driver.ts', import.meta.url));

export function targetOf(t: TestNetwork, chaincode: string, args?: Record<string, unknown>): DriverTarget {
  return {
    address: t.peerAddress,
    tlsCa: t.net.peer.tls.ca,
    mspId: t.net.user.mspId,
    certificate: t.net.user.certificate,
    privateKey: t.net.user.privateKey,
    channel: t.channelId,
    chaincode,
    ...(args !== undefined && { args }),
  };
}

export async function runScenario<T = Record<string, unknown>>(
  scenario: string,
  target: DriverTarget,
  timeoutMs = 60_000,
): Promise<T> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', DRIVER, scenario], {
    env: { ...process.env, FP_GATEWAY_TARGET: JSON.stringify(target) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  const line = out.split('\n').find((l) => l.startsWith('RESULT '));
  if (line === undefined)
    throw new Error(`driver ${scenario} exited ${code} without a result:\n${out}\n${err}`);
  const result = JSON.parse(line.slice('RESULT '.length)) as T & { driverError?: unknown };
  if (result.driverError !== undefined) {
    throw new Error(`driver ${scenario} failed: ${JSON.stringify(result.driverError)}\n${err}`);
  }
  return result;
}
