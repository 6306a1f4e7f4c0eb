// `fabric-peer node`: start (core.yaml + CORE_*, or the zero-config dev network), status (Admin),
// and the offline ledger commands (reset, rollback, rebuild-dbs, pause, resume, unjoin), which
// refuse to run while a peer holds the ledger folder.
import { loadClientSettings, nodeAdmin, peerStatus, startNode } from '../core.js';
import { CliUsageError, rawValue, required, type CliContext, type CommandGroup, flagOn } from '../program.js';
import { connectPeers, info, session, using } from './common.js';

const MODULE = 'nodeCmd';

async function start(ctx: CliContext): Promise<number> {
  if (ctx.io.isTTY) ctx.io.stderr('Starting fabric-peer...\n');
  const node = await startNode({
    env: ctx.env,
    cwd: ctx.cwd,
    chaincodeDev: flagOn(ctx.argv, '--peer-chaincodedev'),
    logWriter: { write: (t: string) => ctx.io.stderr(t), isTTY: ctx.io.isTTY === true },
  });
  ctx.io.stdout(node.summary);
  const sig = await ctx.waitForStop();
  info(ctx, MODULE, `Received ${sig}, stopping the peer`);
  await node.stop();
  return 0;
}

const fsPath = (ctx: CliContext): string => loadClientSettings({ env: ctx.env, cwd: ctx.cwd }).fileSystemPath;
const channelId = (ctx: CliContext): string =>
  required(rawValue(ctx.argv, '', '-c', '--channelID'), 'Must supply channel ID (-c)');

function offline(ctx: CliContext, run: () => Promise<string>): Promise<number> {
  return run().then((message) => {
    info(ctx, MODULE, message);
    return 0;
  });
}

export const nodeGroup: CommandGroup = {
  name: 'node',
  description: 'Operate a peer node: start|status|reset|rollback|rebuild-dbs|pause|resume|unjoin.',
  register(cli, ctx, done) {
    cli
      .command(
        'start',
        'Starts the node (with no core.yaml: a one-org development network in ./.fabric-peer).',
      )
      .option('--peer-chaincodedev', 'start peer in chaincode development mode')
      .action(() => done(start(ctx)));
    cli.command('status', 'Returns status of the node.').action(() =>
      done(
        (async () => {
          const s = await session(ctx);
          ctx.io.stdout(`${await using(await connectPeers(ctx, s, true), ([p]) => peerStatus(p!))}\n`);
          return 0;
        })(),
      ),
    );
    cli
      .command(
        'reset',
        'Resets the node (all channels back to their genesis block; the peer must be stopped).',
      )
      .action(() =>
        done(
          offline(
            ctx,
            async () => (
              await nodeAdmin.reset(fsPath(ctx)),
              'Reset of channel ledgers to the genesis block done'
            ),
          ),
        ),
      );
    cli
      .command('rollback', 'Rolls back a channel (the peer must be stopped).')
      .option('-c, --channelID <id>', 'Channel to rollback')
      .option('-b, --blockNumber <n>', 'Block number to which the channel needs to be rolled back to')
      .action(() =>
        done(
          offline(ctx, async () => {
            const id = channelId(ctx);
            const b = required(
              rawValue(ctx.argv, '', '-b', '--blockNumber'),
              'Must supply block number (-b)',
            );
            if (!/^\d+$/.test(b))
              throw new CliUsageError(`invalid argument "${b}" for "-b, --blockNumber" flag`);
            await nodeAdmin.rollback(fsPath(ctx), id, Number(b));
            return `Rolled back channel [${id}] to block [${b}]`;
          }),
        ),
      );
    cli
      .command(
        'rebuild-dbs',
        'Rebuilds databases (state and history, from the blocks at next start; the peer must be stopped).',
      )
      .action(() =>
        done(
          offline(
            ctx,
            async () => (
              await nodeAdmin.rebuildDBs(fsPath(ctx)),
              'Dropped state and history databases: they are rebuilt at next peer start'
            ),
          ),
        ),
      );
    for (const [name, desc, verb] of [
      ['pause', 'Pauses a channel on the peer (the peer must be stopped).', 'Paused'],
      ['resume', 'Resumes a channel on the peer (the peer must be stopped).', 'Resumed'],
      ['unjoin', 'Unjoin the peer from a channel (the peer must be stopped).', 'Unjoined'],
    ] as const) {
      cli
        .command(name, desc)
        .option('-c, --channelID <id>', 'Channel')
        .action(() =>
          done(
            offline(ctx, async () => {
              const id = channelId(ctx);
              await nodeAdmin[name](fsPath(ctx), id);
              return `${verb} channel [${id}]`;
            }),
          ),
        );
    }
  },
};
