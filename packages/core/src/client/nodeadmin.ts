// The offline `peer node` commands (reset, rollback, rebuild-dbs, pause, resume, unjoin) on the
// ledgers under peer.fileSystemPath/ledgersData. They need the peer stopped: its open stores hold
// LevelDB's lock, which turns into a clear CLIENT_PEER_RUNNING error here.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LedgerManager } from '@fabric-peer/ledger';
import { CLIENT_ERRORS, ClientError } from './errors.js';

export type OfflineCommand = 'reset' | 'rollback' | 'rebuild-dbs' | 'pause' | 'resume' | 'unjoin';

function isLockError(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    if (/lock|LEVEL_LOCKED|already held/i.test(`${(e as { code?: string }).code ?? ''} ${e.message}`))
      return true;
  }
  return false;
}

/** Opens the ledger manager of `fileSystemPath`, runs `fn`, closes it. */
export async function withLedgers<T>(
  fileSystemPath: string,
  command: OfflineCommand,
  fn: (m: LedgerManager) => Promise<T>,
): Promise<T> {
  const dir = join(fileSystemPath, 'ledgersData');
  if (!existsSync(dir)) {
    throw new ClientError(CLIENT_ERRORS.FILE_NOT_FOUND, {
      what: 'the peer ledger folder',
      file: dir,
      reason: 'no such folder (check CORE_PEER_FILESYSTEMPATH / peer.fileSystemPath)',
    });
  }
  let m: LedgerManager;
  try {
    m = await LedgerManager.open({ path: dir });
  } catch (err) {
    if (isLockError(err)) throw new ClientError(CLIENT_ERRORS.PEER_RUNNING, { dir, command }, { cause: err });
    throw err;
  }
  try {
    return await fn(m);
  } finally {
    await m.close();
  }
}

async function requireLedger(m: LedgerManager, channelId: string): Promise<void> {
  if (!(await m.exists(channelId))) {
    throw new ClientError(CLIENT_ERRORS.BAD_INPUT, { reason: `ledger [${channelId}] does not exist` });
  }
}

export const nodeAdmin = {
  reset: (fsPath: string): Promise<void> => withLedgers(fsPath, 'reset', (m) => m.reset()),
  rollback: (fsPath: string, channelId: string, blockNumber: number): Promise<void> =>
    withLedgers(fsPath, 'rollback', async (m) => {
      await requireLedger(m, channelId);
      await m.rollback(channelId, blockNumber);
    }),
  rebuildDBs: (fsPath: string): Promise<void> => withLedgers(fsPath, 'rebuild-dbs', (m) => m.rebuildDBs()),
  pause: (fsPath: string, channelId: string): Promise<void> =>
    withLedgers(fsPath, 'pause', async (m) => {
      await requireLedger(m, channelId);
      await m.pause(channelId);
    }),
  resume: (fsPath: string, channelId: string): Promise<void> =>
    withLedgers(fsPath, 'resume', async (m) => {
      await requireLedger(m, channelId);
      await m.resume(channelId);
    }),
  unjoin: (fsPath: string, channelId: string): Promise<void> =>
    withLedgers(fsPath, 'unjoin', async (m) => {
      await requireLedger(m, channelId);
      await m.unjoin(channelId);
    }),
};
