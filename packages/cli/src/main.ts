import { chaincodeGroup } from './commands/chaincode.js';
import { channelGroup } from './commands/channel.js';
import { lifecycleGroup } from './commands/lifecycle.js';
import { loggingGroup } from './commands/logging.js';
import { nodeGroup } from './commands/node.js';
import { versionCommand } from './commands/version.js';
import {
  CliUsageError,
  processIO,
  runGroup,
  type CliContext,
  type CliIO,
  type CommandGroup,
} from './program.js';

const groups: CommandGroup[] = [chaincodeGroup, channelGroup, loggingGroup, nodeGroup];

const LIFECYCLE = {
  name: 'lifecycle',
  description: 'Perform _lifecycle operations',
} as const;

function usage(): string {
  const lines = [
    "fabric-peer: a Hyperledger Fabric peer, in TypeScript. It speaks the `peer` command's language.",
    '',
    'Usage:',
    '  fabric-peer [command]',
    '',
    'Available Commands:',
    ...[...groups, LIFECYCLE]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((g) => `  ${g.name.padEnd(10)} ${g.description}`),
    `  ${versionCommand.name.padEnd(10)} ${versionCommand.description}`,
    '',
    'Environment: FABRIC_CFG_PATH (the folder of core.yaml), CORE_PEER_ADDRESS, CORE_PEER_LOCALMSPID,',
    'CORE_PEER_MSPCONFIGPATH, CORE_PEER_TLS_ENABLED, CORE_PEER_TLS_ROOTCERT_FILE, CORE_PEER_TLS_CLIENTAUTHREQUIRED,',
    'CORE_PEER_TLS_CLIENTCERT_FILE, CORE_PEER_TLS_CLIENTKEY_FILE.',
    '',
    'Use "fabric-peer [command] --help" for more information about a command.',
    '',
  ];
  return lines.join('\n');
}

function lifecycleUsage(): string {
  return [
    'Perform _lifecycle operations',
    '',
    'Usage:',
    '  fabric-peer lifecycle [command]',
    '',
    'Available Commands:',
    `  chaincode   ${lifecycleGroup.description}`,
    '',
  ].join('\n');
}

/** How `main` runs: the environment and folder a command sees (default: the process's own). */
export interface MainOptions {
  env?: Readonly<Record<string, string | undefined>>;
  cwd?: string;
  /** Resolves when the command should stop (`node start`); default: SIGINT or SIGTERM. */
  stopSignal?: Promise<string>;
}

function signalPromise(): Promise<string> {
  return new Promise((resolve) => {
    const on = (sig: string): void => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(sig);
    };
    process.once('SIGINT', on);
    process.once('SIGTERM', on);
  });
}

/** Removes the hidden global `--logging-level <level>` (Go's peer takes it on every command). */
function stripGlobalFlags(argv: string[]): { argv: string[]; loggingLevel?: string } {
  const out: string[] = [];
  let loggingLevel: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--logging-level') loggingLevel = argv[++i];
    else if (a.startsWith('--logging-level=')) loggingLevel = a.slice('--logging-level='.length);
    else out.push(a);
  }
  return loggingLevel === undefined ? { argv: out } : { argv: out, loggingLevel };
}

/** cac's argument errors in cobra/pflag's words, as scripts and users of the Go peer know them. */
function goMessage(message: string): string {
  const unknown = /^Unknown option `(-{1,2})([^`]+)`$/.exec(message);
  if (unknown) {
    return unknown[1] === '--'
      ? `unknown flag: --${unknown[2]}`
      : `unknown shorthand flag: '${unknown[2]}' in -${unknown[2]}`;
  }
  return message;
}

/** Runs one command line; resolves to the process exit code. Errors print as the Go peer prints them. */
export async function main(
  argv: string[],
  io: CliIO = processIO,
  options: MainOptions = {},
): Promise<number> {
  const stripped = stripGlobalFlags(argv);
  const [first, ...rest] = stripped.argv;
  const baseEnv = options.env ?? process.env;
  const env =
    stripped.loggingLevel === undefined
      ? baseEnv
      : { ...baseEnv, FABRIC_LOGGING_SPEC: stripped.loggingLevel };
  let stop = options.stopSignal;
  const ctx: CliContext = {
    io,
    env,
    cwd: options.cwd ?? process.cwd(),
    argv: rest,
    waitForStop: () => (stop ??= signalPromise()),
  };
  try {
    if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
      io.stdout(usage());
      return 0;
    }
    if (first === versionCommand.name) return versionCommand.run(io);
    if (first === LIFECYCLE.name) {
      const [sub, ...more] = rest;
      if (sub === undefined || sub === '--help' || sub === '-h') {
        io.stdout(lifecycleUsage());
        return 0;
      }
      if (sub !== 'chaincode')
        throw new CliUsageError(`unknown command "${sub}" for "fabric-peer lifecycle"`);
      return await runGroup(lifecycleGroup, more, ctx);
    }
    if (first === 'snapshot') {
      throw new CliUsageError(
        '"peer snapshot" needs the peer\'s snapshot service, which fabric-peer does not have yet: join channels from their genesis block (peer channel join -b) instead',
      );
    }
    const group = groups.find((g) => g.name === first);
    if (!group) throw new CliUsageError(`unknown command "${first}" for "fabric-peer"`);
    return await runGroup(group, rest, ctx);
  } catch (err) {
    io.stderr(`Error: ${goMessage(err instanceof Error ? err.message : String(err))}\n`);
    return 1;
  }
}
