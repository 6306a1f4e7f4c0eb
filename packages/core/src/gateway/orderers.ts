// Submit's side: send the client-signed transaction to one orderer of the channel, trying them in a
// random order (Fabric's non-BFT submit), and map the BroadcastResponse as Fabric's gateway does.
import { type Client, type ClientDuplexStream, makeGenericClientConstructor } from '@grpc/grpc-js';
import { common, orderer } from '@fabric-peer/protos';
import type { ChannelConfig } from '../channel/index.js';
import { type ClientTlsOptions, clientChannelOptions, clientCredentials } from '../server/index.js';
import { GATEWAY_ERRORS, GatewayError, errorDetail } from './errors.js';
import { errorMessage } from '../errors/index.js';

export interface OrdererTarget {
  address: string;
  mspId: string;
  /** omitted = plaintext */
  tls?: ClientTlsOptions;
}

export interface BroadcasterOptions {
  /** The orderers of a channel: default from its config (org Endpoints, else OrdererAddresses). */
  orderers?: (channelId: string) => OrdererTarget[] | undefined;
  channelConfig: (channelId: string) => ChannelConfig | undefined;
  /** Dial config orderers with TLS (peer.tls.enabled), with this client certificate when given. */
  tls: boolean;
  clientCert?: { cert: string; key: string };
  /** peer.gateway.broadcastTimeout (ms). */
  timeoutMs: number;
}

/** Orderer endpoints of a channel config with their org's MSP id and TLS roots. */
export function configOrderers(
  config: ChannelConfig,
  tls: boolean,
  clientCert?: { cert: string; key: string },
): OrdererTarget[] {
  const withTls = (rootCerts: string[]): ClientTlsOptions | undefined =>
    tls ? { rootCerts, ...(clientCert ?? {}) } : undefined;
  const perOrg = config.ordererOrgs.flatMap((org) =>
    org.ordererEndpoints.map((address) => ({ address, mspId: org.mspId, tls: withTls(org.tlsRootCertsPem) })),
  );
  if (perOrg.length > 0) return perOrg.map(dropUndefinedTls);
  const roots = config.ordererOrgs.flatMap((o) => o.tlsRootCertsPem);
  return config.ordererAddresses.map((address) =>
    dropUndefinedTls({ address, mspId: '', tls: withTls(roots) }),
  );
}

function dropUndefinedTls(t: {
  address: string;
  mspId: string;
  tls: ClientTlsOptions | undefined;
}): OrdererTarget {
  return t.tls === undefined ? { address: t.address, mspId: t.mspId } : (t as OrdererTarget);
}

function shuffled<T>(xs: readonly T[]): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

const AtomicBroadcastClient = makeGenericClientConstructor(orderer.AtomicBroadcastService, 'AtomicBroadcast');

/**
 * One Broadcast stream per transaction, as Fabric's gateway: write, half-close, read the one response,
 * and let the orderer end the stream. (Cancelling each stream after its answer instead makes Node's
 * HTTP/2 server see a flood of RST_STREAMs under load and close the whole connection.)
 */
export class OrdererConnection {
  private readonly client: Client;

  constructor(address: string, tls?: ClientTlsOptions) {
    this.client = new AtomicBroadcastClient(address, clientCredentials(tls), clientChannelOptions(tls));
  }

  broadcast(env: common.Envelope, timeoutMs: number): Promise<orderer.BroadcastResponse> {
    const call = (
      this.client as unknown as {
        broadcast(o: object): ClientDuplexStream<common.Envelope, orderer.BroadcastResponse>;
      }
    ).broadcast({ deadline: Date.now() + timeoutMs });
    return new Promise((resolve, reject) => {
      let answer: orderer.BroadcastResponse | undefined;
      call.on('data', (r: orderer.BroadcastResponse) => {
        answer ??= r;
        resolve(r);
      });
      call.on('error', (err) => {
        if (answer === undefined) reject(err);
      });
      call.on('end', () => {
        if (answer === undefined) reject(new Error('broadcast stream ended without a response'));
      });
      call.write(env);
      call.end();
    });
  }

  close(): void {
    this.client.close();
  }
}

export class Broadcaster {
  private readonly clients = new Map<string, OrdererConnection>();

  constructor(private readonly o: BroadcasterOptions) {}

  targets(channelId: string): OrdererTarget[] {
    const explicit = this.o.orderers?.(channelId);
    if (explicit !== undefined && explicit.length > 0) return explicit;
    const config = this.o.channelConfig(channelId);
    if (config === undefined) {
      throw new GatewayError(GATEWAY_ERRORS.FAILED_PRECONDITION, `channel ${channelId} not found`);
    }
    return configOrderers(config, this.o.tls, this.o.clientCert);
  }

  async submit(channelId: string, env: common.Envelope): Promise<void> {
    const targets = this.targets(channelId);
    if (targets.length === 0)
      throw new GatewayError(GATEWAY_ERRORS.UNAVAILABLE, 'no orderer nodes available');
    const details = [];
    for (const t of shuffled(targets)) {
      let r: orderer.BroadcastResponse;
      try {
        r = await this.client(t).broadcast(env, this.o.timeoutMs);
      } catch (err) {
        details.push(errorDetail(t.address, t.mspId, errorMessage(err)));
        continue;
      }
      if (r.status === common.Status.SUCCESS) return;
      const message = `received unsuccessful response from orderer: status=${common.Status[r.status] ?? r.status}, info=${r.info}`;
      // A client error will not go better elsewhere.
      if (r.status >= 400 && r.status < 500) throw new GatewayError(GATEWAY_ERRORS.ABORTED, message);
      details.push(errorDetail(t.address, t.mspId, message));
    }
    throw new GatewayError(
      GATEWAY_ERRORS.UNAVAILABLE,
      'no orderers could successfully process transaction',
      details,
    );
  }

  private client(t: OrdererTarget): OrdererConnection {
    const key = `${t.address}|${t.tls === undefined ? 'plain' : 'tls'}`;
    let c = this.clients.get(key);
    if (c === undefined) this.clients.set(key, (c = new OrdererConnection(t.address, t.tls)));
    return c;
  }

  close(): void {
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }
}
