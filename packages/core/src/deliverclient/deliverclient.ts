// Fabric's blocksprovider for one channel: dial an orderer of the channel, send a signed SeekInfo from
// the ledger height to the end of time (BLOCK_UNTIL_READY), hand each block in order to the channel's
// committer (which verifies it), and on any failure back off (100 ms * 1.2^n, capped) and fail over to
// the next endpoint, resuming from the ledger height. Works the same against the embedded orderer
// and a real Fabric orderer: it only speaks orderer.AtomicBroadcast/Deliver.
import { type Client, type ClientDuplexStream, makeGenericClientConstructor } from '@grpc/grpc-js';
import { common, orderer } from '@fabric-peer/protos';
import { type Signer, createSignedEnvelope } from '../configtx/index.js';
import { type Logger, NOOP_LOGGER } from '../logging/index.js';
import { certHash, clientChannelOptions, clientCredentials } from '../server/index.js';
import type { ChannelConfig } from '../channel/index.js';
import { type OrdererEndpoint, type ResolvedOverride, ordererEndpoints } from './endpoints.js';
import { errorMessage } from '../errors/index.js';

const AtomicBroadcastClient = makeGenericClientConstructor(orderer.AtomicBroadcastService, 'AtomicBroadcast');
type DeliverStream = ClientDuplexStream<common.Envelope, orderer.DeliverResponse>;

/** What the deliver client feeds: a joined channel (channel/'s Channel satisfies it). */
export interface DeliverTarget {
  readonly id: string;
  readonly height: number;
  config(): ChannelConfig;
  commitBlock(block: common.Block): Promise<unknown>;
}

export interface DeliverClientOptions {
  /** The peer's signing identity (its SeekInfo must satisfy the channel's Readers). */
  signer: Signer;
  /** Client certificate for mutual TLS (PEM); also bound into the seek request's tls_cert_hash. */
  clientCert?: string | Buffer;
  clientKey?: string | Buffer;
  /** false = dial orderers in plaintext (peer.tls.enabled: false). Default true. */
  tls?: boolean;
  overrides?: ResolvedOverride[];
  /** Endpoints to use instead of the channel config's (tests, pinned orderers). */
  endpoints?: () => OrdererEndpoint[];
  /** peer.deliveryclient.connTimeout (default 3 s). */
  connTimeoutMs?: number;
  /** peer.deliveryclient.reConnectBackoffThreshold: the longest sleep between attempts (default 1 h). */
  maxRetryDelayMs?: number;
  /** First retry delay (default 100 ms, growing 1.2x per failure as Fabric). */
  initialRetryDelayMs?: number;
  logger?: Logger;
}

const MAX_UINT64 = 2 ** 64;

export class DeliverClient {
  private stopped = false;
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private call: DeliverStream | undefined;
  private client: Client | undefined;
  private connectedTo: string | undefined;
  private lastError = 'not started';
  private readonly logger: Logger;

  constructor(
    private readonly target: DeliverTarget,
    private readonly opts: DeliverClientOptions,
  ) {
    this.logger = opts.logger ?? NOOP_LOGGER;
  }

  get channelId(): string {
    return this.target.id;
  }

  /** The orderer currently streaming blocks, if any. */
  get connectedEndpoint(): string | undefined {
    return this.connectedTo;
  }

  /** Why the client is not connected (for health reports). */
  get status(): string {
    return this.connectedTo !== undefined ? `connected to ${this.connectedTo}` : this.lastError;
  }

  start(): void {
    if (this.loop) return;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    this.call?.cancel();
    this.client?.close();
    await this.loop;
  }

  private endpoints(): OrdererEndpoint[] {
    return this.opts.endpoints?.() ?? ordererEndpoints(this.target.config(), this.opts.overrides ?? []);
  }

  private async run(): Promise<void> {
    let failures = 0;
    let next = 0;
    while (!this.stopped) {
      const eps = this.endpoints();
      if (eps.length === 0) {
        this.lastError = 'no orderer endpoints in the channel config';
      } else {
        const ep = eps[next % eps.length]!;
        try {
          const received = await this.session(ep);
          if (received > 0) failures = 0;
        } catch (err) {
          this.lastError = `${ep.address}: ${errorMessage(err)}`;
        }
        this.connectedTo = undefined;
        if (this.stopped) return;
        this.logger.warn('block delivery interrupted, will retry', {
          channel: this.channelId,
          reason: this.lastError,
        });
        next++; // fail over to the next endpoint
      }
      failures++;
      const initial = this.opts.initialRetryDelayMs ?? 100;
      const delay = Math.min(initial * 1.2 ** failures, this.opts.maxRetryDelayMs ?? 3_600_000);
      await sleep(delay, this.abort.signal);
    }
  }

  /** One stream to one orderer; resolves (with the number of blocks committed) when it ends. */
  private async session(ep: OrdererEndpoint): Promise<number> {
    const o = this.opts;
    const tlsOn = o.tls !== false;
    const tls = tlsOn
      ? {
          rootCerts: ep.rootCerts,
          ...(o.clientCert !== undefined &&
            o.clientKey !== undefined && { cert: o.clientCert, key: o.clientKey }),
        }
      : undefined;
    const client = new AtomicBroadcastClient(ep.address, clientCredentials(tls), clientChannelOptions(tls));
    this.client = client;
    try {
      await new Promise<void>((resolve, reject) =>
        client.waitForReady(Date.now() + (o.connTimeoutMs ?? 3000), (err) => (err ? reject(err) : resolve())),
      );
      if (this.stopped) return 0;
      return await this.stream(client, ep);
    } finally {
      client.close();
      if (this.client === client) this.client = undefined;
    }
  }

  private seekEnvelope(start: number): common.Envelope {
    const seek = orderer.SeekInfo.encode({
      start: { specified: { number: start } },
      stop: { specified: { number: MAX_UINT64 } },
      behavior: orderer.SeekInfo_SeekBehavior.BLOCK_UNTIL_READY,
    });
    const tlsCertHash =
      this.opts.clientCert !== undefined ? certHash(this.opts.clientCert.toString()) : undefined;
    return createSignedEnvelope(common.HeaderType.DELIVER_SEEK_INFO, this.channelId, this.opts.signer, seek, {
      ...(tlsCertHash && { tlsCertHash }),
    });
  }

  private stream(client: Client, ep: OrdererEndpoint): Promise<number> {
    const call = (client as unknown as { deliver(): DeliverStream }).deliver();
    this.call = call;
    let expected = this.target.height;
    let received = 0;
    let work: Promise<void> = Promise.resolve();
    return new Promise<number>((resolve, reject) => {
      let done = false;
      const finish = (err?: Error): void => {
        if (done) return;
        done = true;
        call.cancel();
        if (this.call === call) this.call = undefined;
        void work.then(() => (err && received === 0 ? reject(err) : resolve(received)));
        if (err) this.lastError = `${ep.address}: ${err.message}`;
      };
      call.on('data', (resp: orderer.DeliverResponse) => {
        if (resp.block) {
          const block = resp.block;
          this.connectedTo = ep.address;
          call.pause(); // commit one block at a time: the stream waits for the committer
          work = work.then(async () => {
            if (done) return;
            const n = block.header?.number;
            if (n !== expected) return finish(new Error(`expected block ${expected}, got ${n}`));
            try {
              await this.target.commitBlock(block);
            } catch (err) {
              return finish(err instanceof Error ? err : new Error(String(err)));
            }
            expected++;
            received++;
            call.resume();
          });
        } else {
          finish(new Error(`orderer answered status ${common.Status[resp.status ?? 0] ?? resp.status}`));
        }
      });
      call.on('error', (err) => finish(err));
      call.on('end', () => finish(new Error('stream ended by the orderer')));
      this.connectedTo = ep.address;
      call.write(this.seekEnvelope(expected));
    });
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
