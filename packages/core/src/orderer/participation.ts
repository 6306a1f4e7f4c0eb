// The channel participation API (`/participation/v1/channels`), as osnadmin calls it: POST a multipart
// form with a `config-block` part to join, GET the list or one channel, DELETE to remove. JSON shapes,
// status codes and error texts are Fabric 2.5's (orderer/common/channelparticipation).
import {
  type IncomingMessage,
  type Server,
  type ServerResponse,
  createServer as createHttpServer,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { common } from '@fabric-peer/protos';
import { type Logger, NOOP_LOGGER } from '../logging/index.js';
import { FabricPeerError } from '../errors/index.js';
import { ORDERER_ERRORS, errorMessage } from './errors.js';
import { CHANNEL_ID_PATTERN, type Registrar } from './registrar.js';

export const PARTICIPATION_PATH = '/participation/v1/channels';
/** Fabric's default MaxRequestBodySize for the admin endpoint (1 MB). */
const MAX_BODY = 1024 * 1024;

export interface ChannelInfo {
  name: string;
  url: string;
  consensusRelation: 'consenter' | 'follower' | 'config-tracker' | 'other';
  status: 'onboarding' | 'active' | 'inactive' | 'failed';
  height: number;
}

export interface ChannelList {
  channels: { name: string; url: string }[] | null;
  systemChannel: null;
}

export interface AdminTlsOptions {
  cert: string | Buffer;
  key: string | Buffer;
  /** Client certificates must chain to these (osnadmin uses mutual TLS); empty = no client auth. */
  clientRootCAs?: (string | Buffer)[];
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The parts (form field name and content) of a multipart/form-data body; undefined without a boundary. */
export function multipartParts(
  body: Buffer,
  contentType: string,
): { name: string; content: Buffer }[] | undefined {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary) return undefined;
  const delim = Buffer.from(`--${boundary}`);
  const parts: { name: string; content: Buffer }[] = [];
  let pos = body.indexOf(delim);
  while (pos >= 0) {
    const next = body.indexOf(delim, pos + delim.length);
    if (next < 0) break;
    const part = body.subarray(pos + delim.length, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd >= 0) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      const name = /name="([^"]*)"/i.exec(headers)?.[1] ?? '';
      let content = part.subarray(headerEnd + 4);
      if (content.subarray(-2).toString() === '\r\n') content = content.subarray(0, -2);
      parts.push({ name, content });
    }
    pos = next;
  }
  return parts;
}

/** The first part named `name` of a multipart/form-data body. */
export function multipartPart(body: Buffer, contentType: string, name: string): Buffer | undefined {
  return multipartParts(body, contentType)?.find((p) => p.name === name)?.content;
}

export class ChannelParticipation {
  private server: Server | undefined;
  private port: number | undefined;
  private readonly logger: Logger;

  constructor(
    private readonly registrar: Registrar,
    private readonly opts: { listenAddress: string; tls?: AdminTlsOptions; logger?: Logger },
  ) {
    this.logger = opts.logger ?? NOOP_LOGGER;
  }

  info(name: string): ChannelInfo | undefined {
    const chain = this.registrar.getChain(name);
    if (!chain) return undefined;
    return {
      name,
      url: `${PARTICIPATION_PATH}/${name}`,
      consensusRelation: 'consenter',
      status: 'active',
      height: chain.height,
    };
  }

  list(): ChannelList {
    const ids = this.registrar.channelIds();
    // Go's field order (channels, systemChannel); a nil slice marshals as null.
    return {
      channels: ids.length === 0 ? null : ids.map((name) => ({ name, url: `${PARTICIPATION_PATH}/${name}` })),
      systemChannel: null,
    };
  }

  async join(blockBytes: Uint8Array): Promise<ChannelInfo> {
    let block: common.Block;
    try {
      block = common.Block.decode(blockBytes);
    } catch (err) {
      throw new HttpError(400, `cannot unmarshal file part config-block into a block: ${errorMessage(err)}`);
    }
    const chain = await this.registrar.join(block);
    return this.info(chain.channelId)!;
  }

  get address(): string {
    if (this.port === undefined) throw new Error('channel participation endpoint not started');
    const host = this.opts.listenAddress.replace(/:\d+$/, '');
    return `${host === '' || host === '0.0.0.0' ? '127.0.0.1' : host}:${this.port}`;
  }

  async start(): Promise<void> {
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      void this.handle(req, res);
    };
    const tls = this.opts.tls;
    const roots = tls?.clientRootCAs ?? [];
    this.server = tls
      ? createHttpsServer(
          {
            cert: tls.cert,
            key: tls.key,
            ...(roots.length > 0 && { ca: roots, requestCert: true, rejectUnauthorized: true }),
          },
          handler,
        )
      : createHttpServer(handler);
    const [host, portText] = [
      this.opts.listenAddress.replace(/:\d+$/, ''),
      /:(\d+)$/.exec(this.opts.listenAddress)?.[1],
    ];
    const server = this.server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(Number(portText ?? 0), host || '0.0.0.0', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const addr = server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : undefined;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    this.port = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Go's json.Encoder ends every body with a newline; GETs are not cached, as Fabric's handler says.
    const json = (v: unknown): string => `${JSON.stringify(v)}\n`;
    try {
      const { status, body, headers } = await this.route(req);
      if (body === undefined) {
        res.writeHead(status, headers).end();
        return;
      }
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(json(body));
    } catch (err) {
      const he =
        err instanceof HttpError
          ? err
          : err instanceof FabricPeerError && err.code === ORDERER_ERRORS.CHANNEL_EXISTS.code
            ? new HttpError(405, err.message, { Allow: 'GET, DELETE' })
            : err instanceof FabricPeerError && err.status === 400
              ? new HttpError(400, err.message)
              : new HttpError(500, errorMessage(err));
      this.logger.warn('channel participation request refused', { status: he.status, reason: he.message });
      res
        .writeHead(he.status, { 'Content-Type': 'application/json', ...he.headers })
        .end(json({ error: he.message }));
    }
  }

  private async route(
    req: IncomingMessage,
  ): Promise<{ status: number; body?: unknown; headers?: Record<string, string> }> {
    const path = new URL(req.url ?? '/', 'http://x').pathname.replace(/\/+$/, '');
    const noStore = { 'Cache-Control': 'no-store' };
    if (path === PARTICIPATION_PATH.replace(/\/channels$/, '') && req.method === 'GET') {
      return { status: 302, headers: { Location: PARTICIPATION_PATH } };
    }
    if (path === PARTICIPATION_PATH || path.startsWith(`${PARTICIPATION_PATH}/`)) acceptsJson(req);
    if (path === PARTICIPATION_PATH) {
      if (req.method === 'GET') return { status: 200, body: this.list(), headers: noStore };
      if (req.method === 'POST') {
        const type = req.headers['content-type'] ?? '';
        if (!/^multipart\/form-data/i.test(type))
          throw new HttpError(400, `unsupported Content-Type: [${type}]`);
        const parts = multipartParts(await readBody(req), type);
        if (!parts)
          throw new HttpError(400, 'cannot read form from request body: multipart: boundary is empty');
        const block = parts.find((p) => p.name === 'config-block');
        if (!block) throw new HttpError(400, 'form does not contains part key: config-block');
        if (parts.length !== 1) throw new HttpError(400, 'form contains too many parts');
        const info = await this.join(block.content);
        return { status: 201, body: info, headers: { Location: info.url } };
      }
      throw new HttpError(405, `invalid request method: ${req.method}`, { Allow: 'GET, POST' });
    }
    if (!path.startsWith(`${PARTICIPATION_PATH}/`)) throw new HttpError(404, '404 page not found');
    const name = decodeURIComponent(path.slice(PARTICIPATION_PATH.length + 1));
    if (req.method !== 'GET' && req.method !== 'DELETE') {
      throw new HttpError(405, `invalid request method: ${req.method}`, { Allow: 'GET, DELETE' });
    }
    if (!CHANNEL_ID_PATTERN.test(name)) {
      throw new HttpError(400, `invalid channel ID: '${name}' contains illegal characters`);
    }
    if (req.method === 'GET') {
      const info = this.info(name);
      if (!info) throw new HttpError(404, 'channel does not exist');
      return { status: 200, body: info, headers: noStore };
    }
    if (!(await this.registrar.remove(name)))
      throw new HttpError(404, 'cannot remove: channel does not exist');
    return { status: 204 };
  }
}

/** Fabric answers JSON only: an Accept header that excludes it gets 406. */
function acceptsJson(req: IncomingMessage): void {
  const accept = req.headers.accept;
  if (!accept) return;
  if (accept.split(',').some((o) => /application\/json|application\/\*|\*\/\*/.test(o))) return;
  throw new HttpError(406, 'response Content-Type is application/json only');
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) {
      throw new HttpError(
        400,
        'cannot read form from request body: multipart: NextPart: http: request body too large',
      );
    }
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}
