import { cac, type CAC } from 'cac';

/** Where a command writes; tests pass their own to capture output. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** True when stderr is a terminal: progress is shown only then. */
  isTTY?: boolean;
}

export const processIO: CliIO = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTTY: process.stderr.isTTY === true,
};

/** What a command runs with: its output, its environment (FABRIC_CFG_PATH, CORE_*), its folder. */
export interface CliContext {
  io: CliIO;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** The raw arguments after the group name (for string flags cac would turn into numbers). */
  argv: string[];
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM); `node start` waits on it. */
  waitForStop: () => Promise<string>;
}

/**
 * A command group as the Go `peer` has them (`peer node ...`, `peer channel ...`): each group is its own cac
 * program so that `fabric-peer node --help` lists that group's sub-commands and flags, as cobra does.
 */
export interface CommandGroup {
  name: string;
  description: string;
  /** Registers the group's sub-commands; each action resolves to an exit code. */
  register(cli: CAC, ctx: CliContext, done: (run: Promise<number>) => void): void;
}

/** Raised for a command line the peer cannot act on; printed as `Error: <message>` with exit code 1, as Go's peer. */
export class CliUsageError extends Error {
  readonly code = 'CLI_USAGE';
}

export async function runGroup(group: CommandGroup, argv: string[], ctx: CliContext): Promise<number> {
  const cli = cac(`fabric-peer ${group.name}`);
  let pending: Promise<number> | undefined;
  group.register(cli, { ...ctx, argv }, (run) => {
    pending = run;
  });
  cli.help();
  if (argv.length === 0) {
    toIO(ctx.io, () => cli.outputHelp());
    return 0;
  }
  toIO(ctx.io, () => cli.parse(['node', `fabric-peer ${group.name}`, ...argv], { run: false }));
  if (cli.options.help) return 0;
  if (!cli.matchedCommand) {
    throw new CliUsageError(`unknown command "${argv[0]}" for "fabric-peer ${group.name}"`);
  }
  await cli.runMatchedCommand();
  return pending ? await pending : 0;
}

/** Runs `fn` with console.log (where cac prints help) sent to the command's stdout. */
function toIO(io: CliIO, fn: () => unknown): void {
  const log = console.log;
  console.log = (...a: unknown[]) => io.stdout(`${a.map(String).join(' ')}\n`);
  try {
    fn();
  } finally {
    console.log = log;
  }
}

/**
 * Every value given to a flag, as typed (cac's parser turns "1.0" into 1): `--name v`, `--name=v`,
 * `-n v`. Repeated flags give several values, in order.
 */
export function rawValues(argv: readonly string[], ...names: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    for (const n of names) {
      if (a === n && i + 1 < argv.length) {
        out.push(argv[i + 1]!);
        i++;
        break;
      }
      if (a.startsWith(`${n}=`)) {
        out.push(a.slice(n.length + 1));
        break;
      }
    }
  }
  return out;
}

/** The last value of a string flag, or `fallback`. */
export function rawValue(argv: readonly string[], fallback: string, ...names: string[]): string {
  const v = rawValues(argv, ...names);
  return v.length > 0 ? v[v.length - 1]! : fallback;
}

/** A boolean flag as Go's pflag reads it: `--name`, `--name=true`, `-n`; `--name=false` is off. */
export function flagOn(argv: readonly string[], ...names: string[]): boolean {
  let on = false;
  for (const a of argv) {
    if (a === '--') break;
    for (const n of names) {
      if (a === n || a === `${n}=true`) on = true;
      else if (a === `${n}=false`) on = false;
    }
  }
  return on;
}

/** Go duration flags ("3s", "30s", "1m", "500ms") in milliseconds. */
export function durationMs(s: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(s.trim());
  if (m === null)
    throw new CliUsageError(`invalid argument "${s}" for "${flag}" flag: time: invalid duration "${s}"`);
  const n = Number(m[1]);
  return n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
}

/** A flag the command cannot run without: Go's message names it. */
export function required(value: string, message: string): string {
  if (value === '') throw new CliUsageError(message);
  return value;
}
