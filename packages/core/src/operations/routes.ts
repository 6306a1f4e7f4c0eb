// The operations endpoints, answering as Fabric's operations system does (status codes, bodies).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HealthRegistry } from './health.js';
import { readBody, sendError, sendJson } from './http-util.js';
import type { PrometheusMetricsProvider } from './metrics.js';
import { type Profiler, profileSeconds } from './pprof.js';
import { errorMessage } from '../errors/index.js';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>;

/** What /logspec needs: the LoggingSystem satisfies it. */
export interface LogSpecController {
  spec(): string;
  activateSpec(spec: string): void;
}

export interface VersionInfo {
  version: string;
  commitSHA?: string;
}

export function healthzHandler(health: HealthRegistry): RouteHandler {
  return async (req, res) => {
    if (req.method !== 'GET') {
      res.writeHead(405).end();
      return;
    }
    const status = await health.check();
    sendJson(res, status.status === 'OK' ? 200 : 503, status);
  };
}

export function metricsHandler(provider: PrometheusMetricsProvider): RouteHandler {
  return async (_req, res) => {
    const text = await provider.metrics();
    res.writeHead(200, { 'Content-Type': provider.contentType });
    res.end(text);
  };
}

export function logspecHandler(logging: LogSpecController): RouteHandler {
  return async (req, res) => {
    if (req.method === 'GET') {
      sendJson(res, 200, { spec: logging.spec() });
      return;
    }
    if (req.method !== 'PUT') {
      sendError(res, 400, `invalid request method: ${req.method ?? ''}`);
      return;
    }
    let spec: unknown;
    try {
      const body = JSON.parse(await readBody(req)) as unknown;
      spec = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).spec : undefined;
    } catch (error) {
      sendError(res, 400, errorMessage(error));
      return;
    }
    if (spec !== undefined && typeof spec !== 'string') {
      sendError(res, 400, 'spec must be a string');
      return;
    }
    try {
      // Like Go's decoder, a body without "spec" activates the empty spec, i.e. the default level.
      logging.activateSpec(spec ?? '');
    } catch (error) {
      sendError(res, 400, errorMessage(error));
      return;
    }
    res.writeHead(204).end();
  };
}

export function versionHandler(info: VersionInfo): RouteHandler {
  return (req, res) => {
    if (req.method !== 'GET') {
      sendError(res, 400, `invalid request method: ${req.method ?? ''}`);
      return;
    }
    sendJson(res, 200, { Version: info.version, CommitSHA: info.commitSHA ?? 'development build' });
  };
}

export function cpuProfileHandler(profiler: Profiler): RouteHandler {
  return async (_req, res, url) => {
    if (profiler.busy) {
      sendError(res, 500, 'Could not enable CPU profiling: cpu profiling already in use');
      return;
    }
    const profile = await profiler.cpuProfile(profileSeconds(url.searchParams));
    const text = JSON.stringify(profile);
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Content-Disposition': 'attachment; filename="profile.cpuprofile"',
      'Content-Length': Buffer.byteLength(text),
    });
    res.end(text);
  };
}

export function heapHandler(profiler: Profiler): RouteHandler {
  return (_req, res) => profiler.heapSnapshot(res);
}
