// protos.Deliver (Fabric's common/deliver Handler as the peer runs it): each request on the stream is
// a signed DELIVER_SEEK_INFO envelope; the blocks asked for are streamed from the channel's ledger
// (waiting for commits when asked to), then a status ends the request, and the stream stays open.
import { type ServerDuplexStream } from '@grpc/grpc-js';
import { common, orderer, protos } from '@fabric-peer/protos';
import { type Logger, NOOP_LOGGER } from '../logging/index.js';
import { certHash } from '../server/index.js';
import { toFilteredBlock } from './filtered.js';
import type { ACLChecker, DeliverChannel, DeliverChannels } from './types.js';
import { errorMessage } from '../errors/index.js';

export type DeliverKind = 'block' | 'filtered' | 'private';

export interface DeliverHandlerOptions {
  channels: DeliverChannels;
  acl: ACLChecker;
  /** peer.authentication.timewindow in ms (15 min by default). */
  timeWindowMs: number;
  /** With mutual TLS the channel header must carry the SHA-256 of the client's TLS certificate. */
  mutualTls: boolean;
  logger?: Logger;
  now?: () => number;
}

type Stream = ServerDuplexStream<common.Envelope, protos.DeliverResponse>;
const Status = common.Status;
/** A stop position past anything a ledger can hold (Fabric's MaxUint64 = "forever"). */
const FOREVER = Number.MAX_SAFE_INTEGER;

class DeliverFailure extends Error {
  constructor(
    readonly status: common.Status,
    message: string,
  ) {
    super(message);
  }
}
const fail = (status: common.Status, message: string): never => {
  throw new DeliverFailure(status, message);
};

export class DeliverHandler {
  private readonly logger: Logger;
  private readonly active = new Map<AbortController, Stream>();

  constructor(private readonly o: DeliverHandlerOptions) {
    this.logger = o.logger ?? NOOP_LOGGER;
  }

  /** The three methods for `server.addService(protos.DeliverService, ...)`. */
  implementation(): Record<'deliver' | 'deliverFiltered' | 'deliverWithPrivateData', (s: Stream) => void> {
    return {
      deliver: (s) => this.run(s, 'block'),
      deliverFiltered: (s) => this.run(s, 'filtered'),
      deliverWithPrivateData: (s) => this.run(s, 'private'),
    };
  }

  /** Aborts every request and ends every stream (peer stop), so the server need not wait for them. */
  closeAll(): void {
    for (const [a, stream] of this.active) {
      a.abort();
      try {
        stream.end();
      } catch {
        // already closed by the client
      }
    }
    this.active.clear();
  }

  /** A stream's whole life; nothing it does can become an unhandled rejection. */
  private run(stream: Stream, kind: DeliverKind): void {
    this.handle(stream, kind).catch((err: unknown) => this.logger.warn('deliver stream failed', {}, err));
  }

  async handle(stream: Stream, kind: DeliverKind): Promise<void> {
    const abort = new AbortController();
    this.active.set(abort, stream);
    const onCancel = (): void => abort.abort();
    stream.on('cancelled', onCancel);
    stream.on('error', onCancel);
    try {
      for await (const env of stream as AsyncIterable<common.Envelope>) {
        if (abort.signal.aborted) break;
        const status = await this.deliverBlocks(stream, env, kind, abort.signal);
        if (abort.signal.aborted) break;
        await send(stream, protos.DeliverResponse.create({ status }));
      }
      if (!abort.signal.aborted) stream.end();
    } catch (err) {
      this.logger.debug('deliver stream ended', {}, err);
      if (!abort.signal.aborted && !stream.destroyed) stream.end();
    } finally {
      this.active.delete(abort);
      stream.off('cancelled', onCancel);
    }
  }

  private async deliverBlocks(
    stream: Stream,
    env: common.Envelope,
    kind: DeliverKind,
    signal: AbortSignal,
  ): Promise<common.Status> {
    try {
      await this.serve(stream, env, kind, signal);
      return Status.SUCCESS;
    } catch (err) {
      if (err instanceof DeliverFailure) {
        this.logger.warn('deliver request refused', {
          status: common.Status[err.status],
          reason: err.message,
        });
        return err.status;
      }
      if (signal.aborted) return Status.SERVICE_UNAVAILABLE;
      this.logger.error('deliver request failed', {}, err);
      return Status.INTERNAL_SERVER_ERROR;
    }
  }

  private async serve(
    stream: Stream,
    env: common.Envelope,
    kind: DeliverKind,
    signal: AbortSignal,
  ): Promise<void> {
    const { chdr, shdr, payload } = this.unpack(env);
    const channel =
      this.o.channels.getChannel(chdr.channelId) ??
      fail(Status.NOT_FOUND, `channel ${chdr.channelId} not found`);
    this.inspectBinding(stream, chdr);
    const resource = kind === 'filtered' ? 'event/FilteredBlock' : 'event/Block';
    const signed = [{ data: env.payload, identity: shdr.creator, signature: env.signature }];
    const expiresAt = this.expiresAt(channel, shdr.creator);
    let checkedAt = -1;
    const evaluate = (): void => {
      if (expiresAt !== undefined && this.now() > expiresAt) {
        fail(Status.FORBIDDEN, `deliver client identity expired ${this.now() - expiresAt}ms before`);
      }
      if (checkedAt === channel.config().sequence) return;
      try {
        this.o.acl.checkACL(resource, chdr.channelId, signed);
      } catch (err) {
        fail(Status.FORBIDDEN, errorMessage(err));
      }
      checkedAt = channel.config().sequence;
    };
    evaluate();
    let seek: orderer.SeekInfo;
    try {
      seek = orderer.SeekInfo.decode(payload.data);
    } catch (err) {
      return fail(Status.BAD_REQUEST, `malformed seekInfo payload: ${String(err)}`);
    }
    const { start, stop } = this.positions(seek, channel.ledger.height);
    if (
      seek.behavior === orderer.SeekInfo_SeekBehavior.FAIL_IF_NOT_READY &&
      start > channel.ledger.height - 1
    ) {
      fail(Status.NOT_FOUND, `block ${start} not found`);
    }
    for await (const block of channel.ledger.blocksFrom(start, signal)) {
      evaluate();
      const n = block.header?.number ?? 0;
      await send(stream, this.response(kind, chdr.channelId, withContent(block, seek.contentType)));
      if (n >= stop) return;
      if (
        seek.behavior === orderer.SeekInfo_SeekBehavior.FAIL_IF_NOT_READY &&
        n + 1 > channel.ledger.height - 1
      ) {
        fail(Status.NOT_FOUND, `block ${n + 1} not found`);
      }
    }
    if (signal.aborted) fail(Status.SERVICE_UNAVAILABLE, 'stream cancelled');
  }

  private unpack(env: common.Envelope): {
    chdr: common.ChannelHeader;
    shdr: common.SignatureHeader;
    payload: common.Payload;
  } {
    let payload: common.Payload;
    try {
      payload = common.Payload.decode(env.payload);
    } catch (err) {
      return fail(Status.BAD_REQUEST, `error unmarshalling payload: ${String(err)}`);
    }
    if (payload.header === undefined) fail(Status.BAD_REQUEST, 'envelope has no header');
    let chdr: common.ChannelHeader, shdr: common.SignatureHeader;
    try {
      chdr = common.ChannelHeader.decode(payload.header!.channelHeader);
      shdr = common.SignatureHeader.decode(payload.header!.signatureHeader);
    } catch (err) {
      return fail(Status.BAD_REQUEST, `error unmarshalling header: ${String(err)}`);
    }
    if (chdr.type !== common.HeaderType.DELIVER_SEEK_INFO) {
      fail(Status.BAD_REQUEST, `invalid header type ${chdr.type}, expected DELIVER_SEEK_INFO`);
    }
    const ts = chdr.timestamp;
    if (ts === undefined) fail(Status.BAD_REQUEST, 'channel header in envelope must contain timestamp');
    const ms = ts!.seconds * 1000 + Math.floor(ts!.nanos / 1e6);
    if (Math.abs(ms - this.now()) > this.o.timeWindowMs) {
      fail(
        Status.BAD_REQUEST,
        `envelope timestamp ${new Date(ms).toISOString()} is more than ${this.o.timeWindowMs}ms apart from the current server time`,
      );
    }
    return { chdr, shdr, payload };
  }

  /** Fabric's comm.BindingInspector, on when mutual TLS is. */
  private inspectBinding(stream: Stream, chdr: common.ChannelHeader): void {
    if (!this.o.mutualTls) return;
    const raw = stream.getAuthContext().sslPeerCertificate?.raw;
    if (raw === undefined) fail(Status.BAD_REQUEST, 'client did not send a TLS certificate');
    const hash = certHash(raw!);
    if (chdr.tlsCertHash.length === 0) fail(Status.BAD_REQUEST, 'client did not include its TLS cert hash');
    if (Buffer.compare(Buffer.from(hash), Buffer.from(chdr.tlsCertHash)) !== 0) {
      fail(Status.BAD_REQUEST, "claimed TLS cert hash doesn't match computed TLS cert hash from context");
    }
  }

  private expiresAt(channel: DeliverChannel, creator: Uint8Array): number | undefined {
    try {
      return channel.config().mspManager.deserializeIdentity(creator).expiresAt.getTime();
    } catch {
      return undefined; // the ACL check refuses an identity no MSP knows
    }
  }

  private positions(seek: orderer.SeekInfo, height: number): { start: number; stop: number } {
    const s = seek.start ?? fail(Status.BAD_REQUEST, 'seekInfo missing start position');
    const e = seek.stop ?? fail(Status.BAD_REQUEST, 'seekInfo missing stop position');
    let start: number;
    if (s.oldest) start = 0;
    else if (s.newest) start = height - 1;
    else if (s.specified) start = s.specified.number;
    else if (s.nextCommit) start = height;
    else return fail(Status.BAD_REQUEST, 'unknown type of start position');
    let stop: number;
    if (e.oldest) stop = start;
    else if (e.newest) stop = s.newest ? start : height - 1;
    else if (e.specified) stop = Math.min(e.specified.number, FOREVER);
    else if (e.nextCommit) stop = height;
    else return fail(Status.BAD_REQUEST, 'unknown type of stop position');
    if (stop < start) fail(Status.BAD_REQUEST, `start number (${start}) greater than stop number (${stop})`);
    return { start, stop };
  }

  private response(kind: DeliverKind, channelId: string, block: common.Block): protos.DeliverResponse {
    if (kind === 'filtered')
      return protos.DeliverResponse.create({ filteredBlock: toFilteredBlock(channelId, block) });
    if (kind === 'private') {
      // No private data store yet: the block comes with an empty private data map.
      return protos.DeliverResponse.create({
        blockAndPrivateData: protos.BlockAndPrivateData.create({ block }),
      });
    }
    return protos.DeliverResponse.create({ block });
  }

  private now(): number {
    return this.o.now?.() ?? Date.now();
  }
}

/** HEADER_WITH_SIG: header and metadata only, except for config blocks (Fabric keeps their data). */
function withContent(block: common.Block, type: orderer.SeekInfo_SeekContentType): common.Block {
  if (type !== orderer.SeekInfo_SeekContentType.HEADER_WITH_SIG) return block;
  const first = block.data?.data[0];
  if (first !== undefined && (block.data?.data.length ?? 0) === 1) {
    try {
      const payload = common.Payload.decode(common.Envelope.decode(first).payload);
      if (
        common.ChannelHeader.decode(payload.header?.channelHeader ?? new Uint8Array()).type ===
        common.HeaderType.CONFIG
      ) {
        return block;
      }
    } catch {
      // not a config block
    }
  }
  return common.Block.create({ header: block.header, metadata: block.metadata });
}

/** Writes with back-pressure: waits for 'drain' when grpc-js's buffer is full. */
async function send(stream: Stream, msg: protos.DeliverResponse): Promise<void> {
  if (stream.write(msg)) return;
  await new Promise<void>((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.once('drain', done);
    stream.once('close', done);
  });
}
