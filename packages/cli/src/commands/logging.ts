// `fabric-peer logging`: the peer's log levels through protos.Admin (Fabric 1.4's commands; the
// caller must be an admin of the peer's MSP).
import {
  getLogLevel,
  getLogSpec,
  revertLogLevels,
  setLogLevel,
  setLogSpec,
  type PeerClient,
} from '../core.js';
import type { CliContext, CommandGroup } from '../program.js';
import { connectPeers, info, session, using } from './common.js';

async function withPeer(ctx: CliContext, fn: (p: PeerClient) => Promise<string>): Promise<number> {
  const s = await session(ctx);
  const message = await using(await connectPeers(ctx, s, true), ([p]) => fn(p!));
  info(ctx, 'cli.logging', message);
  return 0;
}

export const loggingGroup: CommandGroup = {
  name: 'logging',
  description: 'Logging configuration: getlevel|setlevel|revertlevels|getlogspec|setlogspec.',
  register(cli, ctx, done) {
    cli
      .command('getlevel <logger>', 'Returns the logging level of the specified logger.')
      .action((m: string) => done(withPeer(ctx, (p) => getLogLevel(p, String(m)))));
    cli
      .command('setlevel <logger> <level>', 'Adds the logger and level to the current logging spec.')
      .action((m: string, l: string) => done(withPeer(ctx, (p) => setLogLevel(p, String(m), String(l)))));
    cli
      .command('revertlevels', "Reverts the logging spec to the peer's spec at startup.")
      .action(() => done(withPeer(ctx, (p) => revertLogLevels(p))));
    cli
      .command('getlogspec', 'Returns the active log spec.')
      .action(() => done(withPeer(ctx, (p) => getLogSpec(p))));
    cli
      .command('setlogspec <spec>', 'Sets the logging spec.')
      .action((s: string) => done(withPeer(ctx, (p) => setLogSpec(p, String(s)))));
  },
};
