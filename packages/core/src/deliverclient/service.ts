// Fabric's deliverservice: one DeliverClient per joined channel, started when the channel is joined or
// reopened and stopped when it is left; the health checker reports channels with no orderer stream.
import { readFileSync } from 'node:fs';
import type { PeerConfig } from '../config/index.js';
import { type Logger, NOOP_LOGGER } from '../logging/index.js';
import { type HealthChecker } from '../operations/index.js';
import { type DeliverClientOptions, DeliverClient, type DeliverTarget } from './deliverclient.js';
import { resolveOverrides } from './endpoints.js';
import { errorMessage } from '../errors/index.js';

export type DeliverServiceOptions = DeliverClientOptions;

/**
 * DeliverClientOptions from core.yaml: peer.tls (client cert for mutual TLS), peer.deliveryclient.*.
 * `clientTls` gives the client certificate as PEMs instead of files (in-memory peers, the dev network).
 */
export function deliverServiceOptionsFromConfig(
  config: PeerConfig,
  signer: DeliverClientOptions['signer'],
  logger?: Logger,
  clientTls?: { cert: string | Buffer; key: string | Buffer },
): DeliverServiceOptions {
  const tls = config.peer.tls;
  const dc = config.peer.deliveryclient;
  const certFile = tls.clientCert.file || tls.cert.file;
  const keyFile = tls.clientKey.file || tls.key.file;
  const fromFiles = (): { cert: Buffer; key: Buffer } | undefined => {
    if (!certFile || !keyFile) return undefined;
    try {
      return { cert: readFileSync(certFile), key: readFileSync(keyFile) };
    } catch (err) {
      // In-memory peers have TLS material but no files: pull without a client certificate, which only
      // an orderer requiring mutual TLS refuses (visible in the health report).
      logger?.warn('deliver client runs without a TLS client certificate', {
        file: certFile,
        reason: errorMessage(err),
      });
      return undefined;
    }
  };
  // Files are read only when TLS is on, as Fabric reads them only then.
  const client = tls.enabled ? (clientTls ?? fromFiles()) : undefined;
  return {
    signer,
    tls: tls.enabled,
    ...(client && { clientCert: client.cert, clientKey: client.key }),
    overrides: resolveOverrides(dc.addressOverrides),
    connTimeoutMs: dc.connTimeout,
    maxRetryDelayMs: dc.reConnectBackoffThreshold,
    ...(logger !== undefined && { logger }),
  };
}

export class DeliverService {
  private readonly clients = new Map<string, DeliverClient>();
  private readonly logger: Logger;

  constructor(private readonly opts: DeliverServiceOptions) {
    this.logger = opts.logger ?? NOOP_LOGGER;
  }

  /** Starts pulling blocks for `channel` (no-op if already pulling). */
  startDeliverForChannel(channel: DeliverTarget): DeliverClient {
    const have = this.clients.get(channel.id);
    if (have) return have;
    const c = new DeliverClient(channel, this.opts);
    this.clients.set(channel.id, c);
    c.start();
    this.logger.info('started block delivery', { channel: channel.id });
    return c;
  }

  async stopDeliverForChannel(channelId: string): Promise<void> {
    const c = this.clients.get(channelId);
    this.clients.delete(channelId);
    await c?.stop();
  }

  client(channelId: string): DeliverClient | undefined {
    return this.clients.get(channelId);
  }

  async stop(): Promise<void> {
    const all = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(all.map((c) => c.stop()));
  }

  /** For the operations server's /healthz: fails while any channel has no orderer stream. */
  readonly healthCheck: HealthChecker = () => {
    const down = [...this.clients.values()].filter((c) => c.connectedEndpoint === undefined);
    if (down.length > 0) {
      throw new Error(
        down.map((c) => `channel ${c.channelId}: orderer connection down (${c.status})`).join('; '),
      );
    }
  };
}
