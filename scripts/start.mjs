#!/usr/bin/env node
// `pnpm start [args]`: runs `fabric-peer node start` from the sources (no build step), or any other
// fabric-peer command line when arguments are given: `pnpm start -- channel list`.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2).filter((a) => a !== '--');
const result = spawnSync(
  process.execPath,
  [
    '--conditions=source',
    '--import',
    'tsx',
    'packages/cli/src/bin.ts',
    ...(args.length > 0 ? args : ['node', 'start']),
  ],
  { cwd: process.env.INIT_CWD ?? root, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
