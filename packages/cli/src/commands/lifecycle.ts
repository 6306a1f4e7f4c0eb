// `fabric-peer lifecycle chaincode ...`: the Fabric 2.x lifecycle, as the Go peer's flags, output
// and `--output json` shapes. package and calculatepackageid run offline; the rest talk to _lifecycle.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'cac';
import {
  approveForMyOrg,
  calculatePackageId,
  checkCommitReadiness,
  commitDefinition,
  createChaincodePackage,
  definitionArgs,
  getInstalledPackage,
  goJsonIndent,
  installChaincode,
  lifecycleFormat as fmt,
  ordererFromChannel,
  queryAllCommitted,
  queryApproved,
  queryCommitted,
  queryInstalled,
  readSettingFile,
  type DefinitionArgs,
} from '../core.js';
import {
  CliUsageError,
  durationMs,
  rawValue,
  required,
  type CliContext,
  type CommandGroup,
} from '../program.js';
import {
  addOrdererFlags,
  addPeerFlags,
  channelFlag,
  connectOrderer,
  connectPeers,
  info,
  session,
  using,
} from './common.js';

const MODULE = 'cli.lifecycle.chaincode';
const json = (ctx: CliContext): boolean => {
  const o = rawValue(ctx.argv, '', '-O', '--output');
  if (o !== '' && o !== 'json')
    throw new CliUsageError(`invalid output format: ${o} (only json is supported)`);
  return o === 'json';
};
const out = (ctx: CliContext, text: string): number => {
  ctx.io.stdout(`${text}\n`);
  return 0;
};
const name = (ctx: CliContext): string =>
  required(
    rawValue(ctx.argv, '', '-n', '--name'),
    "The required parameter 'name' is empty. Rerun the command with -n flag",
  );
const channel = (ctx: CliContext): string =>
  required(
    channelFlag(ctx, '-C'),
    "The required parameter 'channelID' is empty. Rerun the command with -C flag",
  );

async function definition(ctx: CliContext): Promise<DefinitionArgs> {
  const cfgFile = rawValue(ctx.argv, '', '--collections-config');
  return definitionArgs({
    name: name(ctx),
    version: rawValue(ctx.argv, '', '-v', '--version'),
    sequence: Number(rawValue(ctx.argv, '0', '--sequence')),
    endorsementPlugin: rawValue(ctx.argv, '', '-E', '--endorsement-plugin'),
    validationPlugin: rawValue(ctx.argv, '', '-V', '--validation-plugin'),
    signaturePolicy: rawValue(ctx.argv, '', '--signature-policy'),
    channelConfigPolicy: rawValue(ctx.argv, '', '--channel-config-policy'),
    initRequired: ctx.argv.includes('--init-required'),
    ...(cfgFile !== '' && {
      collectionsConfig: readSettingFile(
        cfgFile,
        'the collections config (--collections-config)',
        ctx.cwd,
      ).toString('utf8'),
    }),
  });
}

function addDefinitionFlags(cmd: Command): Command {
  return cmd
    .option('-C, --channelID <id>', 'The channel on which this command should be executed')
    .option('-n, --name <name>', 'Name of the chaincode')
    .option('-v, --version <version>', 'Version of the chaincode')
    .option('--sequence <n>', 'The sequence number of the chaincode definition for the channel')
    .option(
      '-E, --endorsement-plugin <name>',
      'The name of the endorsement plugin to be used for this chaincode',
    )
    .option(
      '-V, --validation-plugin <name>',
      'The name of the validation plugin to be used for this chaincode',
    )
    .option(
      '--signature-policy <policy>',
      'The endorsement policy associated to this chaincode specified as a signature policy',
    )
    .option(
      '--channel-config-policy <policy>',
      'The endorsement policy associated to this chaincode specified as a channel config policy reference',
    )
    .option('--init-required', "Whether the chaincode requires invoking 'init'")
    .option(
      '--collections-config <file>',
      'The fully qualified path to the collection JSON file including the file name',
    );
}

async function submit(
  ctx: CliContext,
  run: (
    peers: Parameters<typeof commitDefinition>[0],
    o: Parameters<typeof commitDefinition>[1],
    ch: string,
    wait: {
      waitForEvent: boolean;
      waitForEventTimeoutMs: number;
      onCommitted: (t: string, s: string, a: string) => void;
    },
  ) => Promise<string>,
): Promise<number> {
  const ch = channel(ctx);
  const s = await session(ctx);
  const wait = {
    waitForEvent: !ctx.argv.includes('--waitForEvent=false'),
    waitForEventTimeoutMs: durationMs(
      rawValue(ctx.argv, '30s', '--waitForEventTimeout'),
      'waitForEventTimeout',
    ),
    onCommitted: (t: string, st: string, a: string) =>
      info(ctx, MODULE, `txid [${t}] committed with status (${st}) at ${a}`),
  };
  return using(await connectPeers(ctx, s), async (peers) => {
    let address = rawValue(ctx.argv, '', '-o', '--orderer');
    if (address === '') address = await ordererFromChannel(peers[0]!, ch);
    await using([await connectOrderer(ctx, s, address)], ([o]) => run(peers, o!, ch, wait));
    return 0;
  });
}

const onePeer = async <R>(
  ctx: CliContext,
  fn: (p: Parameters<typeof queryInstalled>[0]) => Promise<R>,
): Promise<R> => {
  const s = await session(ctx);
  return using(await connectPeers(ctx, s, true), ([p]) => fn(p!));
};

export const lifecycleGroup: CommandGroup = {
  name: 'lifecycle chaincode',
  description:
    'Perform chaincode operations: package|calculatepackageid|install|queryinstalled|getinstalledpackage|approveformyorg|queryapproved|checkcommitreadiness|commit|querycommitted.',
  register(cli, ctx, done) {
    const argv = ctx.argv;
    const c = (sub: string, desc: string): Command => cli.command(sub, desc);
    c('package <outputfile>', 'Package a chaincode')
      .option('-p, --path <path>', 'Path to the chaincode source')
      .option('-l, --lang <lang>', 'Language the chaincode is written in (default "golang")')
      .option('--label <label>', 'The package label contains a human-readable description of the package')
      .action((file: string) =>
        done(
          (async () => {
            const pkg = await createChaincodePackage({
              path: rawValue(argv, '', '-p', '--path'),
              lang: rawValue(argv, 'golang', '-l', '--lang'),
              label: rawValue(argv, '', '--label'),
              cwd: ctx.cwd,
            });
            await writeFile(resolve(ctx.cwd, file), pkg);
            return 0;
          })(),
        ),
      );
    c('calculatepackageid <packagefile>', 'Calculate the package ID for a chaincode.')
      .option(
        '-O, --output <format>',
        'The output format for query results. Default is human-readable plain-text. json is currently the only supported format.',
      )
      .action((file: string) =>
        done(
          (async () => {
            const id = calculatePackageId(
              await readFile(resolve(ctx.cwd, file)).catch(() =>
                readSettingFile(file, 'the chaincode package', ctx.cwd),
              ),
            );
            return out(ctx, json(ctx) ? goJsonIndent({ package_id: id }) : id);
          })(),
        ),
      );
    addPeerFlags(c('install <packagefile>', 'Install a chaincode.')).action((file: string) =>
      done(
        (async () => {
          const pkg = readSettingFile(file, 'the chaincode install package', ctx.cwd);
          const r = await onePeer(ctx, (p) => installChaincode(p, pkg));
          info(
            ctx,
            MODULE,
            `Installed remotely: response:<status:200 payload:"\\n${r.packageId.length > 0 ? '' : ''}${r.packageId}\\022${r.label}" >`,
          );
          info(ctx, MODULE, `Chaincode code package identifier: ${r.packageId}`);
          return 0;
        })(),
      ),
    );
    addPeerFlags(c('queryinstalled', 'Query the installed chaincodes on a peer.'))
      .option('-O, --output <format>', 'The output format for query results (json)')
      .action(() =>
        done(
          (async () => {
            const asJson = json(ctx);
            const r = await onePeer(ctx, (p) => queryInstalled(p));
            return out(ctx, asJson ? fmt.installedJson(r) : fmt.installedText(r));
          })(),
        ),
      );
    addPeerFlags(c('getinstalledpackage', 'Get an installed chaincode package from a peer.'))
      .option('--package-id <id>', 'The identifier of the chaincode install package')
      .option(
        '--output-directory <dir>',
        'The output destination directory for the chaincode install package',
      )
      .action(() =>
        done(
          (async () => {
            const id = required(
              rawValue(argv, '', '--package-id'),
              "The required parameter 'package-id' is empty. Rerun the command with --package-id flag",
            );
            const pkg = await onePeer(ctx, (p) => getInstalledPackage(p, id));
            const dir = resolve(ctx.cwd, rawValue(argv, '.', '--output-directory'));
            await mkdir(dir, { recursive: true });
            await writeFile(join(dir, `${id}.tar.gz`), pkg);
            return 0;
          })(),
        ),
      );
    addOrdererFlags(
      addPeerFlags(addDefinitionFlags(c('approveformyorg', 'Approve the chaincode definition for my org.'))),
    )
      .option('--package-id <id>', 'The identifier of the chaincode install package')
      .option(
        '--waitForEvent',
        "Whether to wait for the event from each peer's deliver filtered service (default true)",
      )
      .option('--waitForEventTimeout <duration>', 'Time to wait for the event (default 30s)')
      .action(() =>
        done(
          (async () => {
            const d = await definition(ctx);
            return submit(ctx, (peers, o, ch, w) =>
              approveForMyOrg(peers, o, ch, d, rawValue(argv, '', '--package-id'), w),
            );
          })(),
        ),
      );
    addPeerFlags(c('queryapproved', "Query an org's approved chaincode definition from its peer."))
      .option('-C, --channelID <id>', 'The channel on which this command should be executed')
      .option('-n, --name <name>', 'Name of the chaincode')
      .option('--sequence <n>', 'The sequence number of the chaincode definition (default: the latest)')
      .option('-O, --output <format>', 'The output format for query results (json)')
      .action(() =>
        done(
          (async () => {
            const asJson = json(ctx);
            const ch = channel(ctx);
            const n = name(ctx);
            const r = await onePeer(ctx, (p) =>
              queryApproved(p, ch, n, Number(rawValue(argv, '0', '--sequence'))),
            );
            return out(ctx, asJson ? fmt.approvedJson(r) : fmt.approvedText(n, ch, r));
          })(),
        ),
      );
    addPeerFlags(
      addDefinitionFlags(
        c(
          'checkcommitreadiness',
          'Check whether a chaincode definition is ready to be committed on a channel.',
        ),
      ),
    )
      .option('-O, --output <format>', 'The output format for query results (json)')
      .action(() =>
        done(
          (async () => {
            const asJson = json(ctx);
            const ch = channel(ctx);
            const d = await definition(ctx);
            const r = await onePeer(ctx, (p) => checkCommitReadiness(p, ch, d));
            return out(
              ctx,
              asJson ? fmt.readinessJson(r) : fmt.readinessText(d.name, d.version, d.sequence, ch, r),
            );
          })(),
        ),
      );
    addOrdererFlags(
      addPeerFlags(addDefinitionFlags(c('commit', 'Commit the chaincode definition on the channel.'))),
    )
      .option(
        '--waitForEvent',
        "Whether to wait for the event from each peer's deliver filtered service (default true)",
      )
      .option('--waitForEventTimeout <duration>', 'Time to wait for the event (default 30s)')
      .action(() =>
        done(
          (async () => {
            const d = await definition(ctx);
            return submit(ctx, (peers, o, ch, w) => commitDefinition(peers, o, ch, d, w));
          })(),
        ),
      );
    addPeerFlags(c('querycommitted', 'Query the committed chaincode definitions by channel on a peer.'))
      .option('-C, --channelID <id>', 'The channel on which this command should be executed')
      .option('-n, --name <name>', 'Name of the chaincode')
      .option('-O, --output <format>', 'The output format for query results (json)')
      .action(() =>
        done(
          (async () => {
            const asJson = json(ctx);
            const ch = channel(ctx);
            const n = rawValue(argv, '', '-n', '--name');
            if (n !== '') {
              const r = await onePeer(ctx, (p) => queryCommitted(p, ch, n));
              return out(ctx, asJson ? fmt.committedJson(r) : fmt.committedText(n, ch, r));
            }
            const r = await onePeer(ctx, (p) => queryAllCommitted(p, ch));
            return out(ctx, asJson ? fmt.allCommittedJson(r) : fmt.allCommittedText(ch, r));
          })(),
        ),
      );
  },
};
