// Crash safety: a child commits blocks to classic-level and is killed with SIGKILL at random
// moments, again and again. After each reopen every acknowledged block is in the block store, and
// state and history equal a fresh replay of the stored blocks (with the same validation codes).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { LedgerManager, MetadataIndex, type KVLedger } from '../src/index.js';
import { VersionedDB } from '../src/statedb/statedb.js';
import { collect, tempDir } from './helpers.js';

const KILLS = 20; // 4 rounds each: a random timer, then a kill at each step of the commit
const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));

const PHASES = ['timer', 'file', 'index', 'state', 'history'] as const;
type Phase = (typeof PHASES)[number];

async function runAndKill(dir: string, phase: Phase, delayMs: number): Promise<number> {
  const env = {
    ...process.env,
    CRASH_PHASE: phase === 'timer' ? '' : phase,
    CRASH_AFTER: String(1 + (delayMs % 3)),
  };
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', CHILD, dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env,
  });
  let lastAck = -1;
  let buf = '';
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (line.startsWith('ready') && phase === 'timer') setTimeout(() => child.kill('SIGKILL'), delayMs);
        if (line.startsWith('ack ')) lastAck = Number(line.slice(4));
      }
    });
    child.on('exit', (code, signal) =>
      signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited ${code}`)),
    );
  });
  await exited;
  return lastAck;
}

async function snapshot(l: KVLedger): Promise<string> {
  const vdb = new VersionedDB(l._store, l.ledgerId);
  const rows: string[] = [];
  for await (const kv of vdb.range('cc', Buffer.alloc(0), undefined)) {
    rows.push(`${kv.key}=${kv.value.toString()}@${kv.version.blockNum}.${kv.version.txNum}`);
  }
  const hist: string[] = [];
  for (let k = 0; k < 30; k++) {
    for (const h of await collect(l.getHistoryForKey('cc', `k${k}`)))
      hist.push(`k${k}:${h.txId}:${h.isDelete}`);
  }
  return JSON.stringify({ rows, hist });
}

describe('crash safety (classic-level, SIGKILL)', () => {
  it(
    `loses no acknowledged block and rebuilds state and history after ${KILLS} kills`,
    { timeout: 60_000 },
    async () => {
      const dir = await tempDir();
      let replayedSomething = 0;
      try {
        let prevHeight = 0;
        for (let round = 0; round < KILLS; round++) {
          const phase = PHASES[round % PHASES.length] as Phase;
          const lastAck = await runAndKill(dir, phase, 20 + Math.floor(Math.random() * 150));
          const m = await LedgerManager.open({ path: dir });
          try {
            if (!(await m.exists('crash'))) continue; // killed before the genesis block was in
            const l = await m.openLedger('crash');
            if (l.recovery.stateBlocksReplayed + l.recovery.historyBlocksReplayed > 0) replayedSomething++;
            assert.ok(l.height >= lastAck + 1, `round ${round}: height ${l.height}, last ack ${lastAck}`);
            assert.ok(l.height >= prevHeight, 'the chain never shrinks');
            // Injected kills: the unacknowledged block is in the files (file), or indexed too (the
            // rest); at open it is indexed from the file, and state / history catch up from it.
            const expected: Record<Phase, [number, number, number] | undefined> = {
              timer: undefined,
              file: [lastAck + 2, 1, 1],
              index: [lastAck + 2, 1, 1],
              state: [lastAck + 2, 0, 1],
              history: [lastAck + 2, 0, 0],
            };
            const e = expected[phase];
            if (e) {
              assert.deepEqual(
                [l.height, l.recovery.stateBlocksReplayed, l.recovery.historyBlocksReplayed],
                e,
                `round ${round} (${phase}): height and replays`,
              );
            }
            prevHeight = l.height;
            const fresh = await LedgerManager.open({ inMemory: true });
            try {
              const r = await fresh.createLedger(await l.getBlockByNumber(0));
              for (let n = 1; n < l.height; n++) {
                const stored = await l.getBlockByNumber(n);
                const res = await r.commit({ ...stored, metadata: { metadata: [] } });
                assert.deepEqual(res.validationCodes, [
                  ...stored.metadata!.metadata[MetadataIndex.TRANSACTIONS_FILTER]!,
                ]);
              }
              assert.equal(await snapshot(l), await snapshot(r), `round ${round}: state/history differ`);
            } finally {
              await fresh.close();
            }
          } finally {
            await m.close();
          }
        }
        assert.ok(prevHeight > 1, 'the child committed blocks');
        // Not asserted (timing-dependent), but reported: how often a kill fell between append and state.
        process.stdout.write(
          `# crash rounds that needed replay: ${replayedSomething}/${KILLS}, final height ${prevHeight}\n`,
        );
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
});
