// orderer.AtomicBroadcast/Deliver: Fabric's deliver handler over the orderer's chains. Each request is a
// signed SeekInfo envelope (Readers of the channel); blocks from start to stop are sent, waiting for
// new ones under BLOCK_UNTIL_READY, then a final status (SUCCESS, or NOT_FOUND / FORBIDDEN / BAD_REQUEST
// / SERVICE_UNAVAILABLE as Fabric answers).
import { createHash } from 'node:crypto';
import { type ServerDuplexStream } from '@grpc/grpc-js';
import { common, orderer } from '@fabric-peer/protos';
import { type Logger, NOOP_LOGGER } from '../logging/index.js';
import { FabricPeerError } from '../errors/index.js';
import { type ChannelConfig } from '../channel/index.js';
import { checkPolicy } from './broadcast.js';
import { errorMessage } from './errors.js';
import { type Registrar } from './registrar.js';

const MAX_U64 = Number.MAX_SAFE_INTEGER;

type Send = (resp: orderer.DeliverResponse) => Promise<void> | void;

class Refused extends Error {
  constructor(
    readonly status: common.Status,
    message: string,
  ) {
    super(message);
  }
}

function position(p: orderer.SeekPosition | undefined, height: number, isStart: boolean): number {
  if (!p) throw new Refused(common.Status.BAD_REQUEST, `seek info has no ${isStart ? 'start' : 'stop'}`);
  if (p.oldest) return 0;
  if (p.newest) return Math.max(0, height - 1);
  if (p.specified) return p.specified.number;
  if (p.nextCommit) return height;
  throw new Refused(common.Status.BAD_REQUEST, 'unknown seek position type');
}

/** Fabric's comm.BindingInspector: the request names the TLS certificate it came over. */
function checkBinding(ch: common.ChannelHeader, certDer: Uint8Array): void {
  if (ch.tlsCertHash.length === 0)
    throw new Refused(common.Status.BAD_REQUEST, "client didn't include its TLS cert hash");
  const actual = createHash('sha256').update(certDer).digest();
  if (!actual.equals(Buffer.from(ch.tlsCertHash))) {
    throw new Refused(
      common.Status.BAD_REQUEST,
      `claimed TLS cert hash is ${Buffer.from(ch.tlsCertHash).toString('hex')} but actual TLS cert hash is ${actual.toString('hex')}`,
    );
  }
}

/** When the requester's certificate expires (ms), if it can be told. */
function expiry(config: ChannelConfig, creator: Uint8Array): number | undefined {
  try {
    return config.mspManager.deserializeIdentity(creator).expiresAt.getTime();
  } catch {
    return undefined;
  }
}

export class DeliverHandler {
  private readonly logger: Logger;

  constructor(
    private readonly registrar: Registrar,
    logger?: Logger,
    /** With mutual TLS, a request must carry the hash of the client's TLS certificate (Fabric's binding). */
    private readonly mutualTls = false,
  ) {
    this.logger = logger ?? NOOP_LOGGER;
  }

  /** Serves one SeekInfo request through `send`; resolves when its final status is sent. */
  async deliverBlocks(
    env: common.Envelope,
    send: Send,
    signal: AbortSignal,
    clientCertDer?: Uint8Array,
  ): Promise<void> {
    try {
      await this.serve(env, send, signal, clientCertDer);
      await send({ status: common.Status.SUCCESS });
    } catch (err) {
      if (signal.aborted) return;
      const status =
        err instanceof Refused
          ? err.status
          : err instanceof FabricPeerError && err.status === 403
            ? common.Status.FORBIDDEN
            : common.Status.SERVICE_UNAVAILABLE;
      this.logger.warn('deliver refused', { status, reason: errorMessage(err) });
      await send({ status });
    }
  }

  private async serve(
    env: common.Envelope,
    send: Send,
    signal: AbortSignal,
    clientCertDer?: Uint8Array,
  ): Promise<void> {
    let payload: common.Payload;
    let ch: common.ChannelHeader;
    let sh: common.SignatureHeader;
    let seek: orderer.SeekInfo;
    try {
      payload = common.Payload.decode(env.payload);
      if (!payload.header) throw new Error('missing header');
      ch = common.ChannelHeader.decode(payload.header.channelHeader);
      sh = common.SignatureHeader.decode(payload.header.signatureHeader);
      seek = orderer.SeekInfo.decode(payload.data);
    } catch (err) {
      throw new Refused(common.Status.BAD_REQUEST, `malformed seek request: ${errorMessage(err)}`);
    }
    if (this.mutualTls && clientCertDer !== undefined) checkBinding(ch, clientCertDer);
    const chain = this.registrar.getChain(ch.channelId);
    if (!chain) throw new Refused(common.Status.NOT_FOUND, `channel ${ch.channelId} not found`);
    checkPolicy(chain, '/Channel/Readers', env, sh);
    let checkedAt = chain.config.sequence;
    const expiresAt = expiry(chain.config, sh.creator);
    const height = chain.height;
    const start = position(seek.start, height, true);
    const stop = seek.stop?.newest ? Math.max(0, height - 1) : position(seek.stop, height, false);
    if (stop < start) {
      throw new Refused(common.Status.BAD_REQUEST, `start number ${start} greater than stop number ${stop}`);
    }
    const failIfNotReady = seek.behavior === orderer.SeekInfo_SeekBehavior.FAIL_IF_NOT_READY;
    if (failIfNotReady && start >= height) {
      throw new Refused(common.Status.NOT_FOUND, `block ${start} not yet available (height ${height})`);
    }
    const headersOnly = seek.contentType === orderer.SeekInfo_SeekContentType.HEADER_WITH_SIG;
    const last = Math.min(stop, MAX_U64);
    for await (const block of chain.store.blocksFrom(start, signal)) {
      const n = block.header!.number;
      // As Fabric's deliver session: access is re-checked when the config changes, and ends with the
      // reader's certificate.
      if (chain.config.sequence !== checkedAt) {
        checkPolicy(chain, '/Channel/Readers', env, sh);
        checkedAt = chain.config.sequence;
      }
      if (expiresAt !== undefined && Date.now() > expiresAt) {
        throw new Refused(common.Status.FORBIDDEN, 'deliver client identity expired');
      }
      await send({
        block: headersOnly ? common.Block.create({ header: block.header, metadata: block.metadata }) : block,
      });
      if (n >= last) return;
      if (failIfNotReady && n + 1 >= chain.store.height) {
        throw new Refused(common.Status.NOT_FOUND, `block ${n + 1} not yet available`);
      }
    }
    // The store closed under us (channel removed or orderer stopping).
    throw new Refused(common.Status.SERVICE_UNAVAILABLE, 'channel is no longer served');
  }

  /** The gRPC handler: serve each SeekInfo in turn until the client hangs up. */
  handle(call: ServerDuplexStream<common.Envelope, orderer.DeliverResponse>): void {
    const ac = new AbortController();
    let queue: Promise<void> = Promise.resolve();
    const send: Send = (resp) =>
      new Promise<void>((resolve) => {
        if (ac.signal.aborted || !call.writable) return resolve();
        if (call.write(resp)) resolve();
        else call.once('drain', resolve);
      });
    const cert = call.getAuthContext().sslPeerCertificate?.raw;
    call.on('data', (env: common.Envelope) => {
      queue = queue.then(() => this.deliverBlocks(env, send, ac.signal, cert));
    });
    call.on('end', () => {
      void queue.then(() => call.end());
    });
    call.on('cancelled', () => ac.abort());
    call.on('close', () => ac.abort());
    call.on('error', () => ac.abort());
  }
}
