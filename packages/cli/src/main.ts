import { nodeGroup } from './commands/node.js';
import { versionCommand } from './commands/version.js';
import { CliUsageError, processIO, runGroup, type CliIO, type CommandGroup } from './program.js';

const groups: CommandGroup[] = [nodeGroup];

function usage(): string {
  const lines = [
    "fabric-peer: a Hyperledger Fabric peer, in TypeScript. It speaks the `peer` command's language.",
    '',
    'Usage:',
    '  fabric-peer [command]',
    '',
    'Available Commands:',
    ...groups.map((g) => `  ${g.name.padEnd(10)} ${g.description}`),
    `  ${versionCommand.name.padEnd(10)} ${versionCommand.description}`,
    '',
    'Use "fabric-peer [command] --help" for more information about a command.',
    '',
  ];
  return lines.join('\n');
}

/** Runs one command line; resolves to the process exit code. Errors print as the Go peer prints them. */
export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  const [first, ...rest] = argv;
  try {
    if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
      io.stdout(usage());
      return 0;
    }
    if (first === versionCommand.name) return versionCommand.run(io);
    const group = groups.find((g) => g.name === first);
    if (!group) throw new CliUsageError(`unknown command "${first}" for "fabric-peer"`);
    return await runGroup(group, rest, io);
  } catch (err) {
    io.stderr(`Error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
