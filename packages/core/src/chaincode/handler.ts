// Handler: the peer's side of one chaincode stream (Fabric's core/chaincode/handler.go). The same
// state machine runs whether the chaincode dialled us (ChaincodeSupport/Register) or we dialled it
// (Chaincode/Connect): created --REGISTER--> established (REGISTERED sent, then READY) --> ready.
// In ready, transactions run concurrently, keyed by channel + tx id; each request of the chaincode
// is answered with RESPONSE or ERROR, and COMPLETED/ERROR ends the transaction.
import { type Init, protos } from '@fabric-peer/protos';
import { type Logger } from '../logging/index.js';
import { CHAINCODE_ERRORS, ChaincodeError, messageOf } from './errors.js';
import { type ChaincodeMetrics } from './metrics.js';
import { REQUEST_HANDLERS, type RequestEnvironment } from './requests.js';
import { contextKey, TransactionContext, type TransactionParams } from './txcontext.js';

const T = protos.ChaincodeMessage_Type;

/** What a handler needs of a gRPC duplex stream (server side of Register, client side of Connect). */
export interface ChaincodeStream {
  write(msg: protos.ChaincodeMessage): unknown;
  end(): unknown;
  on(event: 'data', listener: (msg: protos.ChaincodeMessage) => void): unknown;
  on(event: 'end' | 'close', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  /** Client streams: abort the call. */
  cancel?(): unknown;
}

export type HandlerState = 'created' | 'established' | 'ready' | 'closed';

export interface HandlerOptions extends RequestEnvironment {
  logger: Logger;
  metrics?: ChaincodeMetrics | undefined;
  /**
   * Called on REGISTER with the chaincode's id; throws to refuse (duplicate, not launched by this
   * peer outside dev mode). The handler answers REGISTERED and READY only after it returns.
   */
  register(handler: Handler): void;
  /** Called once when the stream is over, after in-flight transactions were failed. */
  onClose?(handler: Handler): void;
}

export class Handler {
  /** The id the chaincode registered with (a package id, or a name in dev mode). */
  chaincodeId = '';
  private stateValue: HandlerState = 'created';
  private readonly contexts = new Map<string, TransactionContext>();
  /** channel+txid of requests being served: the shim sends one at a time per transaction. */
  private readonly activeRequests = new Set<string>();
  private closedResolve!: () => void;
  /** Resolves when the stream is over. */
  readonly closed: Promise<void> = new Promise((r) => (this.closedResolve = r));
  private readyResolve!: () => void;
  private readyReject!: (err: Error) => void;
  /** Resolves when READY was sent; rejects if the stream ends (or registration fails) before. */
  readonly ready: Promise<void>;

  constructor(
    private readonly stream: ChaincodeStream,
    private readonly opts: HandlerOptions,
  ) {
    this.ready = new Promise<void>((resolve, reject) => {
      this.readyResolve = resolve;
      this.readyReject = reject;
    });
    this.ready.catch(() => undefined); // observed by whoever awaits it; never unhandled
    stream.on('data', (msg) => this.onMessage(msg));
    stream.on('error', (err) => this.shutdown(err));
    stream.on('end', () => this.shutdown());
    stream.on('close', () => this.shutdown());
  }

  get state(): HandlerState {
    return this.stateValue;
  }

  /** Transactions in flight on this stream. */
  get inFlight(): number {
    return this.contexts.size;
  }

  /**
   * Sends INIT/TRANSACTION and waits for COMPLETED or ERROR (Fabric's Handler.Execute). Rejects with
   * a ChaincodeError on timeout, stream end, or a transaction already running under this channel+txid.
   */
  async execute(
    params: TransactionParams,
    namespace: string,
    input: protos.ChaincodeInput,
    timeoutMs: number,
  ): Promise<protos.ChaincodeMessage> {
    const { channelId, txId } = params;
    const key = contextKey(channelId, txId);
    if (this.stateValue !== 'ready') {
      throw new ChaincodeError(CHAINCODE_ERRORS.STREAM_TERMINATED, { txId }, { channel: channelId, txId });
    }
    if (this.contexts.has(key)) {
      throw new ChaincodeError(
        CHAINCODE_ERRORS.TX_EXISTS,
        { txId, channel: channelId },
        { channel: channelId, txId },
      );
    }
    const isInit = params.isInit === true;
    const ctx = new TransactionContext(params, namespace, isInit);
    this.contexts.set(key, ctx);
    let timer: NodeJS.Timeout | undefined;
    try {
      // The shim builds the stub (creator, tx time, ClientIdentity) from the signed proposal.
      try {
        this.send({
          type: isInit ? T.INIT : T.TRANSACTION,
          payload: protos.ChaincodeInput.encode(input),
          txid: txId,
          channelId,
          proposal: params.signedProposal,
        });
      } catch (err) {
        // A stream that ended under us (write after end): the transaction cannot be sent.
        throw new ChaincodeError(
          CHAINCODE_ERRORS.STREAM_TERMINATED,
          { txId },
          { channel: channelId, txId, cause: err },
        );
      }
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          this.opts.metrics?.executeTimedOut(this.chaincodeId);
          reject(
            new ChaincodeError(CHAINCODE_ERRORS.EXECUTE_TIMEOUT, { txId }, { channel: channelId, txId }),
          );
        }, timeoutMs);
      });
      return await Promise.race([ctx.response, timeout]);
    } finally {
      clearTimeout(timer);
      this.contexts.delete(key);
      await ctx.close();
    }
  }

  /** Ends the stream (the chaincode sees it close); in-flight transactions fail. */
  close(): void {
    if (this.stateValue === 'closed') return;
    try {
      if (this.stream.cancel) this.stream.cancel();
      else this.stream.end();
    } catch {
      // already gone
    }
    this.shutdown();
  }

  private send(msg: Init<protos.ChaincodeMessage>): void {
    this.stream.write(protos.ChaincodeMessage.create(msg));
  }

  private onMessage(msg: protos.ChaincodeMessage): void {
    if (msg.type === T.KEEPALIVE) return; // answered by nobody, as in Fabric
    switch (this.stateValue) {
      case 'created':
        if (msg.type === T.REGISTER) return this.onRegister(msg);
        break;
      case 'ready':
        if (msg.type === T.COMPLETED || msg.type === T.ERROR) return this.notify(msg);
        if (REQUEST_HANDLERS.has(msg.type)) {
          void this.serve(msg);
          return;
        }
        break;
      default:
        break;
    }
    this.protocolError(
      `[${msg.txid}] Fabric side handler cannot handle message (${T[msg.type] ?? msg.type}) while in ${this.stateValue} state`,
    );
  }

  private onRegister(msg: protos.ChaincodeMessage): void {
    let id: string;
    try {
      id = protos.ChaincodeID.decode(msg.payload).name;
    } catch (err) {
      return this.protocolError(
        `error in received REGISTER, could not unmarshal registration info: ${messageOf(err)}`,
      );
    }
    if (id === '')
      return this.protocolError('error in handling register chaincode, chaincodeID name is empty');
    this.chaincodeId = id;
    try {
      this.opts.register(this);
    } catch (err) {
      return this.protocolError(messageOf(err));
    }
    this.send({ type: T.REGISTERED });
    this.stateValue = 'established';
    this.send({ type: T.READY });
    this.stateValue = 'ready';
    this.opts.logger.info('chaincode registered', { chaincode: id });
    this.readyResolve();
  }

  private notify(msg: protos.ChaincodeMessage): void {
    const ctx = this.contexts.get(contextKey(msg.channelId, msg.txid));
    if (!ctx || ctx.finished) {
      this.opts.logger.warn('response for a transaction no longer waited on', {
        chaincode: this.chaincodeId,
        txID: msg.txid,
        channel: msg.channelId,
      });
      return;
    }
    ctx.notify(msg);
  }

  /** Fabric's HandleTransaction: one request, answered with RESPONSE or ERROR. */
  private async serve(msg: protos.ChaincodeMessage): Promise<void> {
    const key = contextKey(msg.channelId, msg.txid);
    if (this.activeRequests.has(key)) {
      this.opts.logger.error('another request pending for this transaction; dropped', {
        chaincode: this.chaincodeId,
        txID: msg.txid,
        channel: msg.channelId,
      });
      return;
    }
    this.activeRequests.add(key);
    const typeName = T[msg.type] ?? String(msg.type);
    const completed = this.opts.metrics?.request(typeName, msg.channelId, this.chaincodeId);
    let reply: Init<protos.ChaincodeMessage>;
    try {
      const ctx = this.contexts.get(key);
      if (!ctx || ctx.finished) throw new Error('no ledger context');
      const payload = await REQUEST_HANDLERS.get(msg.type)!(msg, ctx, this.opts);
      reply = { type: T.RESPONSE, payload, txid: msg.txid, channelId: msg.channelId };
      completed?.(true);
    } catch (err) {
      const text = `${typeName} failed: transaction ID: ${msg.txid}: ${messageOf(err)}`;
      this.opts.logger.debug('chaincode request failed', { chaincode: this.chaincodeId, error: text });
      reply = { type: T.ERROR, payload: Buffer.from(text), txid: msg.txid, channelId: msg.channelId };
      completed?.(false);
    } finally {
      this.activeRequests.delete(key);
    }
    if (this.stateValue !== 'closed') this.send(reply);
  }

  /** A message out of turn ends the stream, as Fabric's ProcessStream does on an error. */
  private protocolError(text: string): void {
    this.opts.logger.error('chaincode stream error', {
      chaincode: this.chaincodeId || undefined,
      error: text,
    });
    this.readyReject(new Error(text));
    this.close();
  }

  private shutdown(err?: Error): void {
    if (this.stateValue === 'closed') return;
    this.stateValue = 'closed';
    if (err)
      this.opts.logger.debug('chaincode stream error', { chaincode: this.chaincodeId, error: err.message });
    this.readyReject(err ?? new Error('chaincode stream terminated before registration'));
    // Every transaction still waiting fails now (Fabric's "chaincode stream terminated").
    for (const ctx of this.contexts.values()) {
      ctx.fail(
        new ChaincodeError(
          CHAINCODE_ERRORS.STREAM_TERMINATED,
          { txId: ctx.txId },
          { channel: ctx.channelId, txId: ctx.txId },
        ),
      );
    }
    this.closedResolve();
    this.opts.onClose?.(this);
  }
}
