// The helpers of `fabric-peer lifecycle chaincode ...`: --output, the definition flags, the
// endorse-order-wait of approveformyorg/commit, one-peer queries.
import type { Command } from 'cac';
import {
  type commitDefinition,
  definitionArgs,
  ordererFromChannel,
  type queryInstalled,
  readSettingFile,
  type DefinitionArgs,
} from '../core.js';
import { CliUsageError, durationMs, rawValue, required, type CliContext, flagOn } from '../program.js';
import { channelFlag, connectOrderer, connectPeers, info, progress, session, using } from './common.js';

export const MODULE = 'cli.lifecycle.chaincode';
export const json = (ctx: CliContext): boolean => {
  const o = rawValue(ctx.argv, '', '-O', '--output');
  if (o !== '' && o !== 'json')
    throw new CliUsageError(`invalid output format: ${o} (only json is supported)`);
  return o === 'json';
};
export const out = (ctx: CliContext, text: string): number => {
  ctx.io.stdout(`${text}\n`);
  return 0;
};
export const name = (ctx: CliContext): string =>
  required(
    rawValue(ctx.argv, '', '-n', '--name'),
    "The required parameter 'name' is empty. Rerun the command with -n flag",
  );
export const channel = (ctx: CliContext): string =>
  required(
    channelFlag(ctx, '-C'),
    "The required parameter 'channelID' is empty. Rerun the command with -C flag",
  );

export async function definition(ctx: CliContext): Promise<DefinitionArgs> {
  const cfgFile = rawValue(ctx.argv, '', '--collections-config');
  return definitionArgs({
    name: name(ctx),
    version: rawValue(ctx.argv, '', '-v', '--version'),
    sequence: Number(rawValue(ctx.argv, '0', '--sequence')),
    endorsementPlugin: rawValue(ctx.argv, '', '-E', '--endorsement-plugin'),
    validationPlugin: rawValue(ctx.argv, '', '-V', '--validation-plugin'),
    signaturePolicy: rawValue(ctx.argv, '', '--signature-policy'),
    channelConfigPolicy: rawValue(ctx.argv, '', '--channel-config-policy'),
    initRequired: flagOn(ctx.argv, '--init-required'),
    ...(cfgFile !== '' && {
      collectionsConfig: readSettingFile(
        cfgFile,
        'the collections config (--collections-config)',
        ctx.cwd,
      ).toString('utf8'),
    }),
  });
}

export function addDefinitionFlags(cmd: Command): Command {
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

export async function submit(
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
    if (wait.waitForEvent) progress(ctx, 'Submitting and waiting for the transaction to commit...');
    await using([await connectOrderer(ctx, s, address)], ([o]) => run(peers, o!, ch, wait));
    return 0;
  });
}

export const onePeer = async <R>(
  ctx: CliContext,
  fn: (p: Parameters<typeof queryInstalled>[0]) => Promise<R>,
): Promise<R> => {
  const s = await session(ctx);
  return using(await connectPeers(ctx, s, true), ([p]) => fn(p!));
};
