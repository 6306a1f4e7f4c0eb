// The operations HTTP(S) server (operations.listenAddress): /healthz, /metrics, /logspec, /version
// and, when peer.profile.enabled, /debug/pprof. Like Fabric, /healthz and /version stay open while
// /metrics, /logspec and profiling need a verified client certificate whenever TLS is on.
import { readFileSync } from 'node:fs';
import { type IncomingMessage, type ServerResponse, createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { splitHostPort } from '../config/index.js';
import { ERRORS, OperationsError, errorMessage } from '../errors/index.js';
import { type Logger, NOOP_LOGGER } from '../logging/index.js';
import { FABRIC_METRICS } from './fabric-metrics.js';
import { type HealthChecker, HealthRegistry } from './health.js';
import { sendError, sendNotFound } from './http-util.js';
import { type MetricsProvider, DisabledMetricsProvider, PrometheusMetricsProvider } from './metrics.js';
import { Profiler } from './pprof.js';
import { StatsdMetricsProvider } from './statsd.js';
import {
  type LogSpecController,
  type RouteHandler,
  type VersionInfo,
  cpuProfileHandler,
  healthzHandler,
  heapHandler,
  logspecHandler,
  metricsHandler,
  versionHandler,
} from './routes.js';

export interface OperationsTlsOptions {
  enabled: boolean;
  /** PEM, or read from certFile / keyFile at start(). */
  cert?: string | Buffer;
  key?: string | Buffer;
  certFile?: string;
  keyFile?: string;
  clientAuthRequired?: boolean;
  clientRootCAs?: (string | Buffer)[];
  clientRootCAFiles?: string[];
}

export interface OperationsServerOptions {
  /** Default 127.0.0.1:9443; port 0 picks a free port (read it from `port` after start). */
  listenAddress?: string;
  tls?: OperationsTlsOptions;
  /** Serves /logspec when given (a LoggingSystem). */
  logging?: LogSpecController;
  /** Prometheus serves /metrics; disabled (the default) serves nothing there, as Fabric. */
  metrics?: MetricsProvider;
  version?: VersionInfo;
  /** peer.profile.enabled: serve /debug/pprof/profile and /debug/pprof/heap. */
  profileEnabled?: boolean;
  healthTimeoutMs?: number;
  logger?: Logger;
}

interface Route {
  handler: RouteHandler;
  secure: boolean;
}

export class OperationsServer {
  readonly health: HealthRegistry;
  readonly metrics: MetricsProvider;
  private readonly routes = new Map<string, Route>();
  private readonly sockets = new Set<Socket>();
  private readonly profiler = new Profiler();
  private readonly logger: Logger;
  private readonly tlsEnabled: boolean;
  private server: ReturnType<typeof createHttpServer> | ReturnType<typeof createHttpsServer> | undefined;
  private boundPort: number | undefined;

  constructor(private readonly options: OperationsServerOptions = {}) {
    this.health = new HealthRegistry(options.healthTimeoutMs);
    this.metrics = options.metrics ?? new DisabledMetricsProvider();
    this.logger = options.logger ?? NOOP_LOGGER;
    this.tlsEnabled = options.tls?.enabled === true;
    this.routes.set('/healthz', { handler: healthzHandler(this.health), secure: false });
    this.routes.set('/version', {
      handler: versionHandler(options.version ?? { version: 'unknown' }),
      secure: false,
    });
    if (this.metrics instanceof PrometheusMetricsProvider) {
      this.registerHandler('/metrics', metricsHandler(this.metrics));
    }
    if (options.logging !== undefined) this.registerHandler('/logspec', logspecHandler(options.logging));
    if (options.profileEnabled === true) {
      this.registerHandler('/debug/pprof/profile', cpuProfileHandler(this.profiler));
      this.registerHandler('/debug/pprof/heap', heapHandler(this.profiler));
    }
  }

  get listenAddress(): string {
    return this.options.listenAddress ?? '127.0.0.1:9443';
  }

  /** The bound port once started (useful with port 0). */
  get port(): number {
    if (this.boundPort === undefined) throw new Error('operations server is not started');
    return this.boundPort;
  }

  /** http(s)://host:port of the running server. */
  get url(): string {
    const host = splitHostPort(this.listenAddress)?.host || '127.0.0.1';
    const shown = host.includes(':') ? `[${host}]` : host;
    return `${this.tlsEnabled ? 'https' : 'http'}://${shown}:${this.port}`;
  }

  registerChecker(component: string, checker: HealthChecker): void {
    this.health.register(component, checker);
  }

  /** Add an endpoint; `secure` (default) requires a client certificate when TLS is on. */
  registerHandler(path: string, handler: RouteHandler, secure = true): void {
    this.routes.set(path, { handler, secure });
  }

  async start(): Promise<void> {
    if (this.server !== undefined) {
      throw new OperationsError(ERRORS.OPERATIONS.ALREADY_STARTED, { address: this.listenAddress });
    }
    const hostPort = splitHostPort(this.listenAddress);
    if (hostPort === undefined) {
      throw new OperationsError(ERRORS.OPERATIONS.LISTEN_FAILED, {
        address: this.listenAddress,
        reason: 'expected host:port',
      });
    }
    const tlsOptions = this.tlsEnabled ? this.tlsOptions() : undefined;
    // As Fabric's System.Start: the metrics sender first (statsd must be reachable), then the listener.
    if (this.metrics instanceof StatsdMetricsProvider) await this.metrics.start();
    try {
      this.server = await this.listen(hostPort, tlsOptions);
    } catch (error) {
      if (this.metrics instanceof StatsdMetricsProvider) await this.metrics.stop();
      throw error;
    }
    const address = this.server.address();
    this.boundPort = typeof address === 'object' && address !== null ? address.port : hostPort.port;
    const version = this.options.version?.version;
    if (version !== undefined) this.metrics.newGauge(FABRIC_METRICS.fabricVersion).with({ version }).set(1);
    this.logger.info(`Operations server listening on ${this.url}`);
  }

  private async listen(
    hostPort: { host: string; port: number },
    tlsOptions: Parameters<typeof createHttpsServer>[0] | undefined,
  ): Promise<NonNullable<OperationsServer['server']>> {
    const server = tlsOptions !== undefined ? createHttpsServer(tlsOptions) : createHttpServer();
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void this.dispatch(req, res));
    if (this.tlsEnabled) {
      // Go's VerifyClientCertIfGiven: a certificate that is offered must verify, or no connection.
      server.on('secureConnection', (socket: TLSSocket) => {
        if (!socket.authorized && Object.keys(socket.getPeerCertificate()).length > 0) socket.destroy();
      });
    }
    // Fabric's http.Server reads a request within 10 seconds.
    server.requestTimeout = 10_000;
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      const onError = (cause: Error): void =>
        reject(
          new OperationsError(
            ERRORS.OPERATIONS.LISTEN_FAILED,
            { address: this.listenAddress, reason: cause.message },
            { cause },
          ),
        );
      server.once('error', onError);
      // An empty host means every interface, as in Go.
      server.listen(hostPort.port, hostPort.host === '' ? undefined : hostPort.host, () => {
        server.off('error', onError);
        resolve();
      });
    });
    server.on('error', (error) => this.logger.error('operations server error', {}, error));
    return server;
  }

  /** Closes the listener and every open connection, and ends a running CPU profile. */
  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    this.boundPort = undefined;
    this.profiler.cancel();
    if (this.metrics instanceof StatsdMetricsProvider) await this.metrics.stop();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await closed;
  }

  private tlsOptions(): Parameters<typeof createHttpsServer>[0] {
    const tls = this.options.tls ?? { enabled: true };
    try {
      const read = (
        pem: string | Buffer | undefined,
        file: string | undefined,
        what: string,
      ): string | Buffer => {
        if (pem !== undefined) return pem;
        if (file === undefined || file === '') throw new Error(`no ${what} given`);
        return readFileSync(file);
      };
      const clientCAs = [
        ...(tls.clientRootCAs ?? []),
        ...(tls.clientRootCAFiles ?? []).map((f) => readFileSync(f)),
      ];
      return {
        cert: read(tls.cert, tls.certFile, 'certificate'),
        key: read(tls.key, tls.keyFile, 'key'),
        minVersion: 'TLSv1.2',
        // Fabric asks every client for a certificate and verifies it if given; only
        // clientAuthRequired makes the handshake fail without one.
        requestCert: true,
        rejectUnauthorized: tls.clientAuthRequired === true,
        ...(clientCAs.length > 0 ? { ca: clientCAs } : {}),
      };
    } catch (cause) {
      const reason = errorMessage(cause);
      throw new OperationsError(ERRORS.OPERATIONS.TLS_CONFIG, { reason }, { cause });
    }
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://operations');
    const route = this.routes.get(url.pathname);
    if (route === undefined) {
      sendNotFound(res);
      return;
    }
    if (route.secure && this.tlsEnabled && !(req.socket as TLSSocket).authorized) {
      res.writeHead(401).end();
      return;
    }
    try {
      await route.handler(req, res, url);
    } catch (error) {
      this.logger.error(`operations request ${url.pathname} failed`, {}, error);
      if (!res.headersSent) sendError(res, 500, errorMessage(error));
      else res.destroy();
    }
  }
}
