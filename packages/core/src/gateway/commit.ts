// CommitStatus's finder: a transaction's validation code and block number, read from the ledger when
// it is already committed, else awaited on the channel's commit listener. The waiter is registered
// before the ledger is read, so a block committed in between is never missed.
import type { KVLedger } from '@fabric-peer/ledger';
import { common } from '@fabric-peer/protos';
import type { BlockCommittedEvent } from '../channel/index.js';
import { GATEWAY_ERRORS, GatewayError } from './errors.js';

export interface CommitChannel {
  readonly ledger: Pick<KVLedger, 'getTransactionById'>;
  onBlockCommitted(cb: (e: BlockCommittedEvent) => void): () => void;
}

export interface TxStatus {
  code: number;
  blockNumber: number;
}

type Waiter = (s: TxStatus) => void;

/** The tx id of one envelope of a block ('' when it does not parse). */
export function envelopeTxId(envBytes: Uint8Array): string {
  try {
    const payload = common.Payload.decode(common.Envelope.decode(envBytes).payload);
    return common.ChannelHeader.decode(payload.header?.channelHeader ?? new Uint8Array()).txId;
  } catch {
    return '';
  }
}

export class CommitNotifier {
  private readonly waiters = new Map<string, Map<string, Set<Waiter>>>();
  private readonly unsubscribe = new Map<string, () => void>();
  /** Every pending wait, so close() can end them instead of leaving calls hanging. */
  private readonly pending = new Set<(err: Error) => void>();

  constructor(private readonly channels: { getChannel(id: string): CommitChannel | undefined }) {}

  async status(channelId: string, txId: string, signal?: AbortSignal): Promise<TxStatus> {
    const ch = this.channels.getChannel(channelId);
    if (ch === undefined) {
      throw new GatewayError(GATEWAY_ERRORS.NOT_FOUND, `channel ${channelId} not found`);
    }
    this.listen(channelId, ch);
    let resolveWait!: Waiter;
    let rejectWait!: (err: Error) => void;
    const committed = new Promise<TxStatus>((resolve, reject) => {
      resolveWait = resolve;
      rejectWait = reject;
    });
    const set = this.waitersOf(channelId, txId);
    set.add(resolveWait);
    this.pending.add(rejectWait);
    try {
      try {
        const tx = await ch.ledger.getTransactionById(txId);
        return { code: tx.validationCode, blockNumber: tx.blockNumber };
      } catch (err) {
        if ((err as { code?: string }).code !== 'LEDGER_TX_NOT_FOUND') throw err;
      }
      return await abortable(committed, signal);
    } finally {
      this.pending.delete(rejectWait);
      set.delete(resolveWait);
      if (set.size === 0) this.waiters.get(channelId)?.delete(txId);
    }
  }

  close(): void {
    const stopping = new GatewayError(GATEWAY_ERRORS.UNAVAILABLE, 'the peer is shutting down');
    for (const reject of this.pending) reject(stopping);
    this.pending.clear();
    for (const u of this.unsubscribe.values()) u();
    this.unsubscribe.clear();
    this.waiters.clear();
  }

  private waitersOf(channelId: string, txId: string): Set<Waiter> {
    let byTx = this.waiters.get(channelId);
    if (byTx === undefined) this.waiters.set(channelId, (byTx = new Map()));
    let set = byTx.get(txId);
    if (set === undefined) byTx.set(txId, (set = new Set()));
    return set;
  }

  private listen(channelId: string, ch: CommitChannel): void {
    if (this.unsubscribe.has(channelId)) return;
    this.unsubscribe.set(
      channelId,
      ch.onBlockCommitted((e) => {
        const byTx = this.waiters.get(channelId);
        // Envelopes are decoded only while someone waits on this channel.
        if (byTx === undefined || byTx.size === 0) return;
        e.block.data?.data.forEach((env, i) => {
          const set = byTx.get(envelopeTxId(env));
          if (set === undefined) return;
          const s = { code: e.validationCodes[i] ?? 0, blockNumber: e.blockNumber };
          for (const w of set) w(s);
        });
      }),
    );
  }
}

function abortable<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (signal === undefined) return p;
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err as Error);
      },
    );
  });
}
