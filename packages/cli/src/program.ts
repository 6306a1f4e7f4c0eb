import { cac, type CAC } from 'cac';

/** Where a command writes; tests pass their own to capture output. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export const processIO: CliIO = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/**
 * A command group as the Go `peer` has them (`peer node ...`, `peer channel ...`): each group is its own cac
 * program so that `fabric-peer node --help` lists that group's sub-commands and flags, as cobra does.
 */
export interface CommandGroup {
  name: string;
  description: string;
  /** Registers the group's sub-commands; each action resolves to an exit code. */
  register(cli: CAC, io: CliIO, done: (run: Promise<number>) => void): void;
}

/** Raised for a command line the peer cannot act on; printed as `Error: <message>` with exit code 1, as Go's peer. */
export class CliUsageError extends Error {
  readonly code = 'CLI_USAGE';
}

export async function runGroup(group: CommandGroup, argv: string[], io: CliIO): Promise<number> {
  const cli = cac(`fabric-peer ${group.name}`);
  let pending: Promise<number> | undefined;
  group.register(cli, io, (run) => {
    pending = run;
  });
  cli.help();
  if (argv.length === 0) {
    cli.outputHelp();
    return 0;
  }
  cli.parse(['node', `fabric-peer ${group.name}`, ...argv], { run: false });
  if (cli.options.help) return 0;
  if (!cli.matchedCommand) {
    throw new CliUsageError(`unknown command "${argv[0]}" for "fabric-peer ${group.name}"`);
  }
  await cli.runMatchedCommand();
  return pending ? await pending : 0;
}
