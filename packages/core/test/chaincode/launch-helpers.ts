// Helpers for the launch tests: chaincode packages built the way `peer lifecycle chaincode package`
// lays them out, free ports, and child processes that are always killed at the end.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { dirname, join } from 'node:path';
import { create as tarCreate } from 'tar';
import { tempDir } from './helpers.js';

/** A lifecycle package: metadata.json + code.tar.gz holding `files` (paths relative to its root). */
export async function buildPackage(metadata: object, files: Record<string, string>): Promise<Buffer> {
  const tmp = await tempDir('cc-pkg-');
  try {
    const code = join(tmp.path, 'code');
    for (const [path, content] of Object.entries(files)) {
      await mkdir(dirname(join(code, path)), { recursive: true });
      await writeFile(join(code, path), content);
    }
    const outer = join(tmp.path, 'outer');
    await mkdir(outer);
    await tarCreate(
      { gzip: true, file: join(outer, 'code.tar.gz'), cwd: code, portable: true },
      Object.keys(files),
    );
    await writeFile(join(outer, 'metadata.json'), JSON.stringify(metadata));
    await tarCreate({ gzip: true, file: join(tmp.path, 'pkg.tar.gz'), cwd: outer, portable: true }, [
      'metadata.json',
      'code.tar.gz',
    ]);
    return await readFile(join(tmp.path, 'pkg.tar.gz'));
  } finally {
    await tmp.remove();
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts TCP connections on `port`. */
export async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = connect(port, '127.0.0.1');
      c.once('connect', () => {
        c.destroy();
        resolve(true);
      });
      c.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on port ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Child processes a test starts; killAll() in `after`. */
export class Children {
  private readonly list: ChildProcess[] = [];
  readonly output: string[] = [];

  spawn(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): ChildProcess {
    const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (d: Buffer) => this.output.push(d.toString()));
    child.stderr?.on('data', (d: Buffer) => this.output.push(d.toString()));
    this.list.push(child);
    return child;
  }

  static exited(child: ChildProcess): Promise<number | string | null> {
    if (child.exitCode !== null || child.signalCode !== null)
      return Promise.resolve(child.exitCode ?? child.signalCode);
    return new Promise((resolve) => child.once('exit', (code, sig) => resolve(code ?? sig)));
  }

  /** The exit code, or 'still running' after `ms` (the timer is cleared either way). */
  static async exitedWithin(child: ChildProcess, ms: number): Promise<number | string | null> {
    let timer: NodeJS.Timeout | undefined;
    const r = await Promise.race([
      Children.exited(child),
      new Promise<string>((resolve) => (timer = setTimeout(() => resolve('still running'), ms))),
    ]);
    clearTimeout(timer);
    return r;
  }

  async killAll(): Promise<void> {
    await Promise.all(
      this.list.map(async (c) => {
        if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
        await Children.exited(c);
      }),
    );
  }
}

/** Whether a process id is alive (a zombie waiting for a parent that never reaps it is not). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/** Environment for shim children: PATH and a quiet shim. */
export const childEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  CORE_CHAINCODE_LOGGING_LEVEL: 'WARNING',
  ...extra,
});
