// Child processes the runtime starts (chaincode programs, npm, builder scripts): their output goes
// line by line to a logger, and stop() sends SIGTERM, then SIGKILL after a grace period, and waits.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { type Logger } from '../logging/index.js';

export interface RunOptions {
  cwd?: string;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** Log level of stdout lines (stderr always goes to warn... unless `quiet`). */
  stdoutLevel?: 'info' | 'debug';
  /** Kill the process when this aborts. */
  signal?: AbortSignal;
}

export class ChildProgram {
  readonly exited: Promise<number | string | null>;
  /** Why the program could not be started at all (ENOENT, EACCES...), if so. */
  startError: Error | undefined;
  private readonly child: ChildProcess;
  private done = false;

  constructor(command: string, args: readonly string[], opts: RunOptions) {
    // detached: the program leads its own process group, so stop() also reaches what it started
    // (npm start runs a shell, which runs node).
    this.child = spawn(command, args, {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const level = opts.stdoutLevel ?? 'info';
    const pipe = (stream: NodeJS.ReadableStream | null, lvl: 'info' | 'debug' | 'warn'): void => {
      if (!stream) return;
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => opts.logger[lvl](line));
    };
    pipe(this.child.stdout, level);
    pipe(this.child.stderr, 'warn');
    this.exited = new Promise((resolve) => {
      this.child.once('error', (err) => {
        this.startError = err;
        opts.logger.error(`could not start ${command}`, { error: err.message });
        this.done = true;
        resolve(null);
      });
      this.child.once('exit', (code, signal) => {
        this.done = true;
        resolve(code ?? signal);
      });
    });
    if (opts.signal) {
      const onAbort = (): void => void this.stop();
      opts.signal.addEventListener('abort', onAbort, { once: true });
      void this.exited.then(() => opts.signal?.removeEventListener('abort', onAbort));
    }
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /**
   * SIGTERM to the process group, SIGKILL after `graceMs`; resolves once the program and everything
   * it started in its group are gone (npm start -> sh -> node: the leader may exit first).
   */
  async stop(graceMs = 5000): Promise<void> {
    const pid = this.child.pid;
    if (pid === undefined) return;
    const deadline = Date.now() + graceMs;
    if (!this.done) this.signalGroup(pid, 'SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.exited, new Promise<void>((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
    // Stragglers of the group get the rest of the grace period, checked every 50 ms, then SIGKILL.
    while ((await groupAlive(pid)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (await groupAlive(pid)) this.signalGroup(pid, 'SIGKILL');
    if (!this.done) this.child.kill('SIGKILL');
    await this.exited;
  }

  private signalGroup(pid: number, sig: NodeJS.Signals): void {
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        this.child.kill(sig);
      } catch {
        // gone already
      }
    }
  }
}

/**
 * Whether any process of the group still runs. A member whose parent died first is re-parented to
 * init and may linger as a zombie until init reaps it; it is dead, so on Linux zombies do not count.
 */
async function groupAlive(pgid: number): Promise<boolean> {
  if (process.platform === 'win32') return false;
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  if (process.platform !== 'linux') return true;
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (entry.charCodeAt(0) < 48 || entry.charCodeAt(0) > 57) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // "pid (comm) state ppid pgrp ...": comm may hold spaces, so read after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z') return true;
  }
  return false;
}

/** Runs a program to completion; rejects with its last output lines when it fails. */
export async function runToCompletion(
  command: string,
  args: readonly string[],
  opts: Omit<RunOptions, 'logger'> & { logger: Logger; timeoutMs?: number },
): Promise<void> {
  const tail: string[] = [];
  const logger: Logger = {
    debug: (m) => {
      tail.push(m);
      if (tail.length > 20) tail.shift();
      opts.logger.debug(m);
    },
    info: (m) => opts.logger.info(m),
    warn: (m) => {
      tail.push(m);
      if (tail.length > 20) tail.shift();
      opts.logger.debug(m);
    },
    error: (m, c) => opts.logger.error(m, c),
  };
  const p = new ChildProgram(command, args, { ...opts, logger, stdoutLevel: 'debug' });
  let timer: NodeJS.Timeout | undefined;
  if (opts.timeoutMs !== undefined) timer = setTimeout(() => void p.stop(1000), opts.timeoutMs);
  const code = await p.exited;
  clearTimeout(timer);
  if (p.startError) throw new Error(`could not run ${command}: ${p.startError.message}`);
  if (code !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited with ${String(code)}${tail.length ? `: ${tail.join('\n')}` : ''}`,
    );
  }
}
