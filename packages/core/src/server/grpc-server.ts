// The peer's gRPC server (Fabric's comm.GRPCServer): one listener for Endorser, Deliver, Admin,
// Gateway and the grpc.health.v1 service, with TLS / mutual TLS, Fabric's keepalive and 100 MB limits.
import {
  Server,
  type ServiceDefinition,
  type UntypedServiceImplementation,
  type ServerCredentials,
} from '@grpc/grpc-js';
import { splitHostPort } from '../config/index.js';
import type { PeerConfig } from '../config/index.js';
import { type Logger, NOOP_LOGGER } from '../logging/index.js';
import { serverCredentials, serverTlsFromConfig, type ServerTlsOptions } from './credentials.js';
import { SERVER_ERRORS, ServerError } from './errors.js';
import { HealthService } from './health.js';
import { metricsInterceptor } from './metrics.js';
import type { MetricsProvider } from '../operations/index.js';

/** Fabric's comm defaults: 100 MB each way. */
export const DEFAULT_MAX_MSG_SIZE = 100 * 1024 * 1024;

export interface GrpcServerOptions {
  /** host:port; port 0 picks a free port (read `port` / `address` after start). */
  listenAddress: string;
  tls?: ServerTlsOptions;
  maxRecvMsgSize?: number;
  maxSendMsgSize?: number;
  /** peer.keepalive.interval / timeout in ms (server pings idle clients). */
  keepaliveIntervalMs?: number;
  keepaliveTimeoutMs?: number;
  /** Fabric's grpc_server_* metrics are recorded here when given. */
  metrics?: MetricsProvider;
  logger?: Logger;
}

export class GrpcServer {
  readonly health = new HealthService();
  private server: Server | undefined;
  private readonly services: [ServiceDefinition, UntypedServiceImplementation][] = [];
  private boundPort: number | undefined;
  private readonly logger: Logger;

  constructor(private readonly options: GrpcServerOptions) {
    this.logger = options.logger ?? NOOP_LOGGER;
  }

  /**
   * peer.listenAddress, peer.tls.*, peer.keepalive.*, peer.maxRecvMsgSize / maxSendMsgSize. `tls`
   * (PEMs) replaces the peer.tls.* files when TLS is enabled.
   */
  static fromConfig(
    config: PeerConfig,
    extra: { logger?: Logger; metrics?: MetricsProvider; tls?: ServerTlsOptions } = {},
  ): GrpcServer {
    const o: GrpcServerOptions = {
      listenAddress: config.peer.listenAddress,
      maxRecvMsgSize: config.peer.maxRecvMsgSize || DEFAULT_MAX_MSG_SIZE,
      maxSendMsgSize: config.peer.maxSendMsgSize || DEFAULT_MAX_MSG_SIZE,
      keepaliveIntervalMs: config.peer.keepalive.interval,
      keepaliveTimeoutMs: config.peer.keepalive.timeout,
    };
    const tls = config.peer.tls.enabled && extra.tls !== undefined ? extra.tls : serverTlsFromConfig(config);
    if (tls !== undefined) o.tls = { ...tls };
    if (extra.logger !== undefined) o.logger = extra.logger;
    if (extra.metrics !== undefined) o.metrics = extra.metrics;
    return new GrpcServer(o);
  }

  get tlsEnabled(): boolean {
    return this.options.tls !== undefined;
  }

  get mutualTls(): boolean {
    return this.options.tls?.clientAuthRequired === true;
  }

  /**
   * More CAs client certificates may chain to under mutual TLS (Fabric adds every channel org's TLS
   * roots). Taken at the next start(): grpc-js fixes credentials when it binds.
   */
  addClientRootCAs(pems: readonly (string | Buffer)[]): void {
    const tls = this.options.tls;
    if (tls === undefined || tls.clientAuthRequired !== true) return;
    const have = new Set((tls.clientRootCAs ?? []).map((p) => p.toString().trim()));
    const added = pems.filter((p) => !have.has(p.toString().trim()));
    if (added.length > 0) tls.clientRootCAs = [...(tls.clientRootCAs ?? []), ...added];
  }

  /** Registers a service; must be called before start(). */
  addService<I extends UntypedServiceImplementation>(definition: ServiceDefinition, impl: I): void {
    this.services.push([definition, impl]);
    if (this.server !== undefined) this.server.addService(definition, impl);
  }

  async start(): Promise<void> {
    if (this.server !== undefined) return;
    const o = this.options;
    const server = new Server({
      'grpc.max_receive_message_length': o.maxRecvMsgSize ?? DEFAULT_MAX_MSG_SIZE,
      'grpc.max_send_message_length': o.maxSendMsgSize ?? DEFAULT_MAX_MSG_SIZE,
      ...(o.keepaliveIntervalMs ? { 'grpc.keepalive_time_ms': o.keepaliveIntervalMs } : {}),
      ...(o.keepaliveTimeoutMs ? { 'grpc.keepalive_timeout_ms': o.keepaliveTimeoutMs } : {}),
      ...(o.metrics !== undefined ? { interceptors: [metricsInterceptor(o.metrics)] } : {}),
    });
    server.addService(HealthService.definition, this.health.implementation());
    for (const [d, impl] of this.services) server.addService(d, impl);
    const creds: ServerCredentials = serverCredentials(o.tls);
    const hp = splitHostPort(o.listenAddress);
    const bindTo =
      hp === undefined
        ? o.listenAddress
        : `${hp.host.includes(':') ? `[${hp.host}]` : hp.host || '0.0.0.0'}:${hp.port}`;
    this.boundPort = await new Promise<number>((resolve, reject) => {
      server.bindAsync(bindTo, creds, (err, port) => {
        if (err) {
          reject(
            new ServerError(
              SERVER_ERRORS.BIND_FAILED,
              { address: o.listenAddress, reason: err.message },
              { cause: err },
            ),
          );
        } else resolve(port);
      });
    });
    this.server = server;
    this.health.setServing(true);
    this.logger.info('gRPC server listening', { address: this.address, tls: this.tlsEnabled });
  }

  /** The bound port (port 0 resolved). */
  get port(): number {
    if (this.boundPort === undefined) throw new ServerError(SERVER_ERRORS.NOT_STARTED, {});
    return this.boundPort;
  }

  /** host:port clients dial: a wildcard listen host is reached as 127.0.0.1. */
  get address(): string {
    const host = splitHostPort(this.options.listenAddress)?.host ?? '';
    const shown = host === '' || host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
    return `${shown.includes(':') ? `[${shown}]` : shown}:${this.port}`;
  }

  get started(): boolean {
    return this.server !== undefined;
  }

  /** Ends every call (streams included) after a grace period, then closes the listener. */
  async stop(graceMs = 1000): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    this.boundPort = undefined;
    this.health.setServing(false);
    this.health.closeWatchers();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        server.forceShutdown();
        resolve();
      }, graceMs);
      server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
