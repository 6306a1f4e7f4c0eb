// `fabric-peer chaincode`: invoke and query as the Go peer (-C -n -c, --peerAddresses,
// --tlsRootCertFiles, --waitForEvent, --isInit, --transient) and the legacy lscc commands (install,
// instantiate, upgrade, list; package/signpackage of signed CDS packages are refused).
import type { Command } from 'cac';
import {
  formatResponse,
  legacyDeploy,
  legacyInstall,
  legacyList,
  invokeChaincode,
  ordererFromChannel,
  parseChaincodeInput,
  parseTransient,
  queryChaincode,
} from '../core.js';
import {
  CliUsageError,
  durationMs,
  rawValue,
  required,
  type CliContext,
  type CommandGroup,
  flagOn,
} from '../program.js';
import {
  addOrdererFlags,
  addPeerFlags,
  addWaitForEventFlags,
  channelFlag,
  connectOrderer,
  connectPeers,
  info,
  progress,
  session,
  using,
} from './common.js';

const MODULE = 'chaincodeCmd';

function addCallFlags(cmd: Command): Command {
  return addPeerFlags(
    cmd
      .option('-C, --channelID <id>', 'The channel on which this command should be executed')
      .option('-n, --name <name>', 'Name of the chaincode')
      .option('-c, --ctor <json>', 'Constructor message for the chaincode in JSON format (default "{}")')
      .option('--transient <json>', 'Transient map of arguments in JSON encoding'),
  );
}

function input(ctx: CliContext): {
  channelId: string;
  chaincode: string;
  args: Uint8Array[];
  transient?: Record<string, Uint8Array>;
  isInit: boolean;
} {
  const chaincode = required(
    rawValue(ctx.argv, '', '-n', '--name'),
    'must supply value for chaincode name parameter (-n)',
  );
  const channelId = required(
    channelFlag(ctx, '-C'),
    "The required parameter 'channelID' is empty. Rerun the command with -C flag",
  );
  const args = parseChaincodeInput(rawValue(ctx.argv, '{}', '-c', '--ctor'));
  const transient = parseTransient(rawValue(ctx.argv, '', '--transient'));
  return {
    channelId,
    chaincode,
    args,
    ...(transient && { transient }),
    isInit: flagOn(ctx.argv, '--isInit', '-I'),
  };
}

async function invoke(ctx: CliContext): Promise<number> {
  const i = input(ctx);
  const s = await session(ctx);
  const wait = flagOn(ctx.argv, '--waitForEvent');
  const timeout = durationMs(rawValue(ctx.argv, '30s', '--waitForEventTimeout'), 'waitForEventTimeout');
  return using(await connectPeers(ctx, s), async (peers) => {
    let address = rawValue(ctx.argv, '', '-o', '--orderer');
    if (address === '') {
      address = await ordererFromChannel(peers[0]!, i.channelId);
      info(ctx, MODULE, `Retrieved channel (${i.channelId}) orderer endpoint: ${address}`);
    }
    const orderer = await connectOrderer(ctx, s, address);
    if (wait)
      progress(
        ctx,
        `Waiting up to ${timeout / 1000}s for the transaction to commit on ${peers.length} peer(s)...`,
      );
    const { response } = await using([orderer], ([o]) =>
      invokeChaincode(peers, o!, {
        ...i,
        waitForEvent: wait,
        waitForEventTimeoutMs: timeout,
        onCommitted: (txId, st, at) =>
          info(ctx, MODULE, `txid [${txId}] committed with status (${st}) at ${at}`),
      }),
    );
    info(ctx, MODULE, `Chaincode invoke successful. result: ${formatResponse(response)}`);
    return 0;
  });
}

async function query(ctx: CliContext): Promise<number> {
  const i = input(ctx);
  const s = await session(ctx);
  const payload = await using(await connectPeers(ctx, s), (peers) => queryChaincode(peers, i));
  if (flagOn(ctx.argv, '-r', '--raw')) ctx.io.stdout(`[${[...payload].join(' ')}]\n`);
  else if (flagOn(ctx.argv, '-x', '--hex')) ctx.io.stdout(`${Buffer.from(payload).toString('hex')}\n`);
  else ctx.io.stdout(`${Buffer.from(payload).toString('utf8')}\n`);
  return 0;
}

const LEGACY = ['package', 'signpackage'] as const;

function legacySpec(
  ctx: CliContext,
  withArgs: boolean,
): { name: string; version: string; path: string; lang: string; args?: Uint8Array[] } {
  return {
    name: rawValue(ctx.argv, '', '-n', '--name'),
    version: rawValue(ctx.argv, '', '-v', '--version'),
    path: rawValue(ctx.argv, '', '-p', '--path'),
    lang: rawValue(ctx.argv, 'golang', '-l', '--lang'),
    ...(withArgs && { args: parseChaincodeInput(rawValue(ctx.argv, '{}', '-c', '--ctor')) }),
  };
}

async function legacyInstallCmd(ctx: CliContext): Promise<number> {
  const s = await session(ctx);
  const r = await using(await connectPeers(ctx, s, true), ([p]) =>
    legacyInstall(p!, legacySpec(ctx, false), ctx.cwd),
  );
  info(ctx, MODULE, `Installed remotely response:{${formatResponse(r)}}`);
  return 0;
}

async function legacyDeployCmd(ctx: CliContext, action: 'deploy' | 'upgrade'): Promise<number> {
  const channelId = required(
    channelFlag(ctx, '-C'),
    "The required parameter 'channelID' is empty. Rerun the command with -C flag",
  );
  const spec = legacySpec(ctx, true);
  const s = await session(ctx);
  return using(await connectPeers(ctx, s), async (peers) => {
    let address = rawValue(ctx.argv, '', '-o', '--orderer');
    if (address === '') address = await ordererFromChannel(peers[0]!, channelId);
    await using([await connectOrderer(ctx, s, address)], ([o]) =>
      legacyDeploy(peers, o!, channelId, action, spec, {
        policy: rawValue(ctx.argv, '', '-P', '--policy'),
        escc: rawValue(ctx.argv, '', '-E', '--escc'),
        vscc: rawValue(ctx.argv, '', '-V', '--vscc'),
      }),
    );
    return 0;
  });
}

async function legacyListCmd(ctx: CliContext): Promise<number> {
  const installed = flagOn(ctx.argv, '--installed');
  const instantiated = flagOn(ctx.argv, '--instantiated');
  if (installed === instantiated)
    throw new CliUsageError('must explicitly specify "--installed" or "--instantiated"');
  const channelId = instantiated
    ? required(
        channelFlag(ctx, '-C'),
        "The required parameter 'channelID' is empty. Rerun the command with -C flag",
      )
    : '';
  const s = await session(ctx);
  const text = await using(await connectPeers(ctx, s, true), ([p]) =>
    legacyList(p!, installed ? 'installed' : 'instantiated', channelId),
  );
  ctx.io.stdout(`${text}\n`);
  return 0;
}

export const chaincodeGroup: CommandGroup = {
  name: 'chaincode',
  description:
    'Operate a chaincode: invoke|query (install|instantiate|package|signpackage|upgrade|list: legacy lscc).',
  register(cli, ctx, done) {
    // -o, --tls, --cafile, ... are persistent flags of the whole group in the Go peer.
    addOrdererFlags(cli);
    addWaitForEventFlags(addCallFlags(cli.command('invoke', 'Invoke the specified chaincode.')), false)
      .option(
        '-I, --isInit',
        'Is this invocation for init (useful for supporting legacy chaincodes in the new lifecycle)',
      )
      .action(() => done(invoke(ctx)));
    addCallFlags(cli.command('query', 'Query using the specified chaincode.'))
      .option(
        '-x, --hex',
        'If true, output the query value byte array in hexadecimal. Incompatible with --raw',
      )
      .option(
        '-r, --raw',
        'If true, output the query value as raw bytes, otherwise format as a printable string',
      )
      .action(() => done(query(ctx)));
    const legacyFlags = (cmd: Command): Command =>
      cmd
        .option('-n, --name <name>', 'Name of the chaincode')
        .option(
          '-v, --version <version>',
          'Version of the chaincode specified in install/instantiate/upgrade commands',
        )
        .option('-p, --path <path>', 'Path to chaincode')
        .option('-l, --lang <lang>', 'Language the chaincode is written in (default "golang")');
    addPeerFlags(legacyFlags(cli.command('install', 'Install a chaincode (legacy lscc).'))).action(() =>
      done(legacyInstallCmd(ctx)),
    );
    for (const [name, action] of [
      ['instantiate', 'deploy'],
      ['upgrade', 'upgrade'],
    ] as const) {
      addPeerFlags(
        legacyFlags(
          cli.command(
            name,
            `${name === 'instantiate' ? 'Deploy' : 'Upgrade'} the specified chaincode (legacy lscc).`,
          ),
        ),
      )
        .option('-C, --channelID <id>', 'The channel on which this command should be executed')
        .option('-c, --ctor <json>', 'Constructor message for the chaincode in JSON format')
        .option('-P, --policy <policy>', 'The endorsement policy associated to this chaincode')
        .option(
          '-E, --escc <name>',
          'The name of the endorsement system chaincode to be used for this chaincode',
        )
        .option(
          '-V, --vscc <name>',
          'The name of the verification system chaincode to be used for this chaincode',
        )
        .action(() => done(legacyDeployCmd(ctx, action)));
    }
    addPeerFlags(
      cli.command(
        'list',
        'Get the instantiated chaincodes on a channel or installed chaincodes on a peer (legacy lscc).',
      ),
    )
      .option('--installed', 'Get the installed chaincodes on a peer')
      .option('--instantiated', 'Get the instantiated chaincodes on a channel')
      .option('-C, --channelID <id>', 'The channel on which this command should be executed')
      .action(() => done(legacyListCmd(ctx)));
    for (const name of LEGACY) {
      cli
        .command(name, `Legacy lscc ${name} (Fabric 1.x lifecycle).`)
        .allowUnknownOptions()
        .action(() =>
          done(
            Promise.reject(
              new CliUsageError(
                `"peer chaincode ${name}" (signed legacy CDS packages) is not supported by fabric-peer: use "fabric-peer chaincode install -n -v -p -l" or "fabric-peer lifecycle chaincode package" (the Fabric 2.x lifecycle)`,
              ),
            ),
          ),
        );
    }
  },
};
