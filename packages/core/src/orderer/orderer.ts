// The embedded ordering service: one solo node in process, with Fabric's AtomicBroadcast (Broadcast +
// Deliver) on its own gRPC port and the channel participation API on its admin port. createPeer starts
// it beside the peer in the dev default; tests and benches start it alone.
import { type ServerDuplexStream } from '@grpc/grpc-js';
import { type common, orderer } from '@fabric-peer/protos';
import { type Signer } from '../configtx/index.js';
import { type Logger, NOOP_LOGGER } from '../logging/index.js';
import { channelConfigFromBlock } from '../channel/index.js';
import { GrpcServer, type ServerTlsOptions } from '../server/index.js';
import { BroadcastHandler } from './broadcast.js';
import { DeliverHandler } from './deliver.js';
import { ORDERER_ERRORS, ordererError } from './errors.js';
import { type AdminTlsOptions, ChannelParticipation } from './participation.js';
import { type Chain } from './chain.js';
import { Registrar } from './registrar.js';

export interface EmbeddedOrdererOptions {
  /** host:port of Broadcast/Deliver (default 127.0.0.1:7050; port 0 = a free port). */
  listenAddress?: string;
  /** Server TLS (as the peer's); omitted = plaintext. */
  tls?: ServerTlsOptions;
  /** The orderer's signing identity (OrdererMSP): signs blocks and the config envelopes it makes. */
  signer: Signer;
  /** Where chains are kept; omitted = in memory. */
  dataDir?: string;
  /** Channel participation API; omitted = not served (join through `join()`). */
  admin?: { listenAddress: string; tls?: AdminTlsOptions };
  /** Overrides every channel's BatchTimeout (ms). */
  batchTimeoutMs?: number;
  /** Genesis blocks to join at start when their channel is not there yet (the dev network's). */
  genesisBlocks?: common.Block[];
  logger?: Logger;
}

export class EmbeddedOrderer {
  private registrarRef: Registrar | undefined;
  private grpc: GrpcServer | undefined;
  private participation: ChannelParticipation | undefined;
  private broadcaster: BroadcastHandler | undefined;
  private deliverer: DeliverHandler | undefined;
  private readonly logger: Logger;

  constructor(private readonly opts: EmbeddedOrdererOptions) {
    this.logger = opts.logger ?? NOOP_LOGGER;
  }

  get started(): boolean {
    return this.grpc !== undefined;
  }

  /** host:port clients dial (a wildcard listen host is reached as 127.0.0.1). */
  get address(): string {
    if (!this.grpc) throw ordererError(ORDERER_ERRORS.NOT_STARTED, {});
    return this.grpc.address;
  }

  get port(): number {
    if (!this.grpc) throw ordererError(ORDERER_ERRORS.NOT_STARTED, {});
    return this.grpc.port;
  }

  /** host:port of the channel participation API, when served. */
  get adminAddress(): string | undefined {
    return this.participation?.address;
  }

  get registrar(): Registrar {
    if (!this.registrarRef) throw ordererError(ORDERER_ERRORS.NOT_STARTED, {});
    return this.registrarRef;
  }

  async start(): Promise<void> {
    if (this.grpc) return;
    const o = this.opts;
    const registrar = await Registrar.open({
      signer: o.signer,
      logger: this.logger,
      ...(o.dataDir !== undefined && { dataDir: o.dataDir }),
      ...(o.batchTimeoutMs !== undefined && { batchTimeoutMs: o.batchTimeoutMs }),
    });
    try {
      for (const block of o.genesisBlocks ?? []) {
        if (!registrar.getChain(channelConfigFromBlock(block).channelId)) await registrar.join(block);
      }
      const broadcaster = new BroadcastHandler(registrar, o.signer, this.logger);
      const deliverer = new DeliverHandler(registrar, this.logger, o.tls?.clientAuthRequired === true);
      const grpc = new GrpcServer({
        listenAddress: o.listenAddress ?? '127.0.0.1:7050',
        ...(o.tls !== undefined && { tls: o.tls }),
        logger: this.logger,
      });
      grpc.addService(orderer.AtomicBroadcastService, {
        broadcast: (call: ServerDuplexStream<common.Envelope, orderer.BroadcastResponse>) =>
          broadcaster.handle(call),
        deliver: (call: ServerDuplexStream<common.Envelope, orderer.DeliverResponse>) =>
          deliverer.handle(call),
      });
      await grpc.start();
      this.grpc = grpc;
      if (o.admin) {
        const p = new ChannelParticipation(registrar, { ...o.admin, logger: this.logger });
        await p.start();
        this.participation = p;
      }
      this.registrarRef = registrar;
      this.broadcaster = broadcaster;
      this.deliverer = deliverer;
      this.logger.info('embedded orderer started', {
        address: grpc.address,
        channels: registrar.channelIds().join(','),
      });
    } catch (err) {
      await this.grpc?.stop(0);
      this.grpc = undefined;
      await registrar.close();
      throw err;
    }
  }

  /** Closes the admin endpoint, the gRPC server (streams included) and every chain's store. */
  async stop(): Promise<void> {
    const { grpc, participation, registrarRef } = this;
    this.grpc = undefined;
    this.participation = undefined;
    this.registrarRef = undefined;
    this.broadcaster = undefined;
    this.deliverer = undefined;
    await participation?.stop();
    // Close the chains first: their block iterators end, so Deliver streams finish and the server drains.
    await registrarRef?.close();
    await grpc?.stop(500);
  }

  /** Joins a channel from its genesis block (what osnadmin channel join does over HTTP). */
  join(block: common.Block): Promise<Chain> {
    return this.registrar.join(block);
  }

  /** In-process Broadcast: exactly what the gRPC path answers, without the network. */
  broadcast(env: common.Envelope): Promise<orderer.BroadcastResponse> {
    if (!this.broadcaster) throw ordererError(ORDERER_ERRORS.NOT_STARTED, {});
    return this.broadcaster.processMessage(env);
  }

  /** In-process Deliver of one SeekInfo envelope: responses go to `send` until the final status. */
  deliver(
    env: common.Envelope,
    send: (r: orderer.DeliverResponse) => void | Promise<void>,
    signal: AbortSignal,
  ): Promise<void> {
    if (!this.deliverer) throw ordererError(ORDERER_ERRORS.NOT_STARTED, {});
    return this.deliverer.deliverBlocks(env, send, signal);
  }
}
