// One transaction's life on one chaincode stream (Fabric's TransactionContext): what the shim's
// requests run against, the open query iterators, and the promise the endorser waits on.
import { type protos, type queryresult } from '@fabric-peer/protos';
import { type QueryExecutor, type TxSimulator } from '@fabric-peer/ledger';

/** What history queries need; a KVLedger is one. */
export interface HistoryQueryExecutor {
  getHistoryForKey(ns: string, key: string): AsyncIterator<queryresult.KeyModification>;
}

/** Where a transaction runs: Fabric's ccprovider.TransactionParams. */
export interface TransactionParams {
  channelId: string;
  txId: string;
  signedProposal?: protos.SignedProposal | undefined;
  proposal?: protos.Proposal | undefined;
  /** A TxSimulator for endorsements; a QueryExecutor makes writes fail (read-only context). */
  simulator: TxSimulator | QueryExecutor;
  /** Needed by GET_HISTORY_FOR_KEY; without it the chaincode gets "history database is not enabled". */
  history?: HistoryQueryExecutor | undefined;
  isInit?: boolean;
}

/** A range or history iteration kept open between QUERY_STATE_NEXT calls. */
export interface OpenQuery {
  next(): Promise<IteratorResult<protos.QueryResultBytes>>;
  close(): Promise<void>;
  /** A result read ahead of the last batch (Fabric keeps it pending). */
  pending: protos.QueryResultBytes[];
  returned: number;
}

export class TransactionContext {
  readonly queries = new Map<string, OpenQuery>();
  readonly response: Promise<protos.ChaincodeMessage>;
  /** Set once the endorser stopped waiting (timeout, stream end): late messages are dropped. */
  finished = false;
  private settle!: (m: protos.ChaincodeMessage) => void;
  private abort!: (err: Error) => void;

  constructor(
    readonly params: TransactionParams,
    /** The chaincode's own namespace: the name it was invoked under. */
    readonly namespace: string,
    readonly isInit: boolean,
  ) {
    this.response = new Promise((resolve, reject) => {
      this.settle = resolve;
      this.abort = reject;
    });
    this.response.catch(() => undefined); // the endorser awaits it; never unhandled
  }

  get channelId(): string {
    return this.params.channelId;
  }

  get txId(): string {
    return this.params.txId;
  }

  notify(msg: protos.ChaincodeMessage): void {
    this.settle(msg);
  }

  /** Ends the wait with an error (the stream is gone). */
  fail(err: Error): void {
    this.abort(err);
  }

  /** True when the simulator takes writes. */
  get writable(): boolean {
    return typeof (this.params.simulator as Partial<TxSimulator>).setState === 'function';
  }

  /** Keeps an iteration open for QUERY_STATE_NEXT; refused once the transaction is over. */
  async addQuery(id: string, q: OpenQuery): Promise<void> {
    if (this.finished) {
      await q.close();
      throw new Error('transaction already finished');
    }
    this.queries.set(id, q);
  }

  async closeQuery(id: string): Promise<void> {
    const q = this.queries.get(id);
    if (!q) return;
    this.queries.delete(id);
    await q.close();
  }

  /** Closes every open iteration; called when the transaction ends, whatever the outcome. */
  async close(): Promise<void> {
    this.finished = true;
    const open = [...this.queries.values()];
    this.queries.clear();
    await Promise.allSettled(open.map((q) => q.close()));
  }
}

/** Key of a context on a stream: Fabric keys them by channel and tx id. */
export const contextKey = (channelId: string, txId: string): string => `${channelId}\u0000${txId}`;
