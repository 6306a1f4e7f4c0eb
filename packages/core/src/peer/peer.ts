// createPeer: a Fabric peer in process, composed in the start-up order of `peer node start`:
// local MSP -> ACL provider -> ledger manager -> chaincode dev mode -> peer endpoint -> gRPC server ->
// Deliver -> chaincode server -> Admin -> Endorser -> system chaincodes -> reopen every ledger and start
// block pulling -> serve -> operations server. stop() undoes it in reverse; start() may run again.
import { join } from 'node:path';
import { LedgerManager } from '@fabric-peer/ledger';
import { MSP } from '@fabric-peer/msp';
import { common } from '@fabric-peer/protos';
import { ACLProvider } from '../acl/index.js';
import { ChannelManager } from '../channel/index.js';
import type { ChaincodeListener, ChaincodeSupport } from '../chaincode/index.js';
import { resolvePeerConfig, type PartialPeerConfig, type PeerConfig } from '../config/index.js';
import type { DeliverService } from '../deliverclient/index.js';
import { createDevOrderer, type DevNetwork } from '../devnet/index.js';
import type { EmbeddedOrderer } from '../orderer/index.js';
import { type Logger, LoggingSystem } from '../logging/index.js';
import {
  type MetricsProvider,
  type OperationsServer,
  metricsProviderFromConfig,
} from '../operations/index.js';
import { GrpcServer } from '../server/index.js';
import { defineDevChaincodes } from './devdefine.js';
import { type DevSetup, devSetup, wantsDevNetwork } from './devnet.js';
import { PEER_ERRORS, PeerError } from './errors.js';
import { startChaincodeRuntime } from './chaincode.js';
import { endorsementInfo, lifecycleSystemChaincodes } from './lifecycle.js';
import { PeerMetrics } from './metrics.js';
import { blockPulling, operationsServer } from './outer.js';
import { PvtDataFlow } from './pvtdata.js';
import { registerServices, type Services } from './services.js';
import type { CreatePeerOptions, Peer } from './types.js';
import { errorMessage } from '../errors/index.js';

/** What one start() built; stop() closes it in reverse. */
interface Running {
  ledgers: LedgerManager;
  channels: ChannelManager;
  server: GrpcServer;
  services: Services;
  chaincode: ChaincodeSupport;
  listener: ChaincodeListener;
  deliverService: DeliverService | undefined;
  operations: OperationsServer;
  unsubscribe: (() => void)[];
  pvt: PvtDataFlow;
  /** The dev network's orderer: started first, stopped last. */
  orderer: EmbeddedOrderer | undefined;
}

/** A peer from core.yaml-shaped config (merged over Fabric's defaults); call start() to run it. */
export async function createPeer(
  config: PartialPeerConfig | PeerConfig = {},
  options: CreatePeerOptions = {},
): Promise<Peer> {
  let dev: DevSetup | undefined;
  if (wantsDevNetwork(config as PartialPeerConfig, options)) {
    const logging = options.logging ?? LoggingSystem.fromEnv();
    dev = await devSetup(config as PartialPeerConfig, { ...options, logging }, logging.getLogger('devnet'));
  }
  const opts = dev?.options ?? options;
  const partial = (dev?.config ?? config) as PartialPeerConfig;
  const resolved = resolvePeerConfig(partial, opts.baseDir === undefined ? {} : { baseDir: opts.baseDir });
  return new FabricPeer(resolved, opts, dev?.network);
}

class FabricPeer implements Peer {
  readonly logging: LoggingSystem;
  private readonly logger: Logger;
  private readonly metrics: MetricsProvider;
  private run: Running | undefined;
  private transition: Promise<void> = Promise.resolve();
  private localMSP: MSP | undefined;

  constructor(
    readonly config: PeerConfig,
    private readonly options: CreatePeerOptions,
    readonly devNetwork: DevNetwork | undefined = undefined,
  ) {
    this.logging = options.logging ?? LoggingSystem.fromEnv();
    this.logger = options.logger ?? this.logging.getLogger('peer');
    this.metrics = options.metrics ?? metricsProviderFromConfig(config);
  }

  get running(): boolean {
    return this.run !== undefined;
  }

  private need(what: string): Running {
    if (this.run === undefined) throw new PeerError(PEER_ERRORS.NOT_STARTED, { what });
    return this.run;
  }

  get address(): string {
    return this.need('address').server.address;
  }
  get chaincodeAddress(): string {
    return this.need('chaincodeAddress').listener.address;
  }
  get operationsAddress(): string {
    return this.need('operationsAddress').operations.url;
  }
  get mspId(): string {
    return this.localMSP?.id ?? this.config.peer.localMspId;
  }

  start(): Promise<void> {
    this.transition = this.transition.then(() => this.doStart());
    return this.transition;
  }

  stop(): Promise<void> {
    this.transition = this.transition.catch(() => undefined).then(() => this.doStop());
    return this.transition;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  channels(): string[] {
    return this.run?.channels.channelIds() ?? [];
  }

  height(channelId: string): number {
    return this.need('channels').channels.channel(channelId).height;
  }

  async joinChannel(block: common.Block | Uint8Array): Promise<void> {
    const b = block instanceof Uint8Array ? common.Block.decode(block) : block;
    await this.join(b);
  }

  async commitBlock(channelId: string, block: common.Block): Promise<void> {
    const run = this.need('channels');
    await run.pvt.commit(run.channels.channel(channelId), block);
  }

  private async join(block: common.Block): Promise<unknown> {
    const run = this.need('channels');
    const ch = await run.channels.joinChannel(block);
    this.watchChannel(run, ch.id);
    run.deliverService?.startDeliverForChannel(run.pvt.target(ch));
    return ch;
  }

  private watchChannel(run: Running, id: string): void {
    const ch = run.channels.channel(id);
    const m = new PeerMetrics(this.metrics);
    m.height(id, ch.height);
    run.unsubscribe.push(ch.onBlockCommitted((e) => m.height(id, e.blockNumber + 1)));
  }

  private async loadLocalMSP(): Promise<MSP> {
    if (this.options.msp !== undefined) return this.options.msp;
    const peer = this.config.peer;
    if (peer.localMspType !== 'bccsp') throw new PeerError(PEER_ERRORS.MSP_TYPE, { type: peer.localMspType });
    try {
      return await MSP.fromFolder(peer.mspConfigPath, peer.localMspId);
    } catch (err) {
      throw new PeerError(
        PEER_ERRORS.MSP_LOAD,
        { dir: peer.mspConfigPath, reason: errorMessage(err) },
        { cause: err },
      );
    }
  }

  private async doStart(): Promise<void> {
    if (this.run !== undefined) return;
    const config = this.config;
    const undo: (() => Promise<void>)[] = [];
    try {
      let orderer: EmbeddedOrderer | undefined;
      if (this.devNetwork !== undefined) {
        const o = createDevOrderer(this.devNetwork);
        await o.start();
        undo.push(() => o.stop());
        orderer = o;
      }
      const localMSP = await this.loadLocalMSP();
      if (!localMSP.hasSigningIdentity) throw new PeerError(PEER_ERRORS.NO_SIGNER, { mspId: localMSP.id });
      this.localMSP = localMSP;
      // The ACL provider reads channel configs through the manager opened below.
      const source: { manager?: ChannelManager } = {};
      const acl = new ACLProvider({
        channels: { getChannel: (id) => source.manager?.getChannel(id) },
        localMSP,
      });

      const ledgers = await LedgerManager.open(
        this.options.inMemory === true
          ? { inMemory: true }
          : { path: join(config.peer.fileSystemPath, 'ledgersData') },
      );
      undo.push(() => ledgers.close());

      const server = GrpcServer.fromConfig(config, {
        logger: this.logging.getLogger('comm.grpc.server'),
        metrics: this.metrics,
        ...(this.options.tls !== undefined && { tls: this.options.tls }),
      });

      const cc = await startChaincodeRuntime({
        config,
        options: this.options,
        logging: this.logging,
        channels: () => source.manager!,
        acl,
        undo,
      });
      const { support, listener, inProcess, store: ccStore } = cc;

      // Reopen every ledger on disk as a channel, then pull its blocks.
      const channels = await ChannelManager.open({
        ledgers,
        logger: this.logging.getLogger('channel'),
        metrics: this.metrics,
        validatorPoolSize: config.peer.validatorPoolSize,
      });
      undo.push(() => channels.close());
      source.manager = channels;
      const pvt = new PvtDataFlow(
        config,
        this.options.inMemory === true,
        (id) => channels.channel(id).height,
      );
      const run: Partial<Running> = {
        pvt,
        orderer,
        ledgers,
        channels,
        server,
        chaincode: support,
        listener,
        unsubscribe: [],
      };
      const services = registerServices({
        config,
        server,
        channels,
        joinChannel: (b) => this.join(b),
        acl,
        localMSP,
        logging: this.logging,
        chaincode: support,
        metrics: this.metrics,
        systemChaincodes: [
          ...lifecycleSystemChaincodes(
            channels,
            config,
            ccStore,
            acl,
            this.options.inMemory === true,
            this.logging.getLogger('lifecycle'),
            cc.legacy,
          ),
          ...(this.options.systemChaincodes ?? []),
        ],
        definitions: endorsementInfo(channels, config, ccStore, (n) => inProcess.has(n)),
        onSimulated: pvt.onSimulated,
        handlers: this.options.handlers,
      });
      undo.push(async () => {
        services.gateway.close();
        services.deliver.closeAll();
      });

      const deliverService =
        this.options.pullBlocks === false
          ? undefined
          : blockPulling(config, localMSP, this.options, this.logging);
      if (deliverService !== undefined) undo.push(() => deliverService.stop());
      Object.assign(run, { services, deliverService });

      // Mutual TLS: clients of every joined channel's orgs may connect (channels joined later count
      // from the next start).
      server.addClientRootCAs(
        channels
          .channelIds()
          .flatMap((id) =>
            [...channels.channel(id).config().mspManager.msps.values()].flatMap((m) => m.tlsRootCertsPem),
          ),
      );
      await server.start();
      undo.push(() => server.stop());
      if (support.chaincodeAddress === '') support.setPeerAddress(listener.address);

      const operations = operationsServer(config, this.logging, this.metrics, channels, deliverService);
      await operations.start();
      undo.push(() => operations.stop());
      run.operations = operations;
      this.run = run as Running;
      for (const id of channels.channelIds()) {
        this.watchChannel(this.run, id);
        deliverService?.startDeliverForChannel(pvt.target(channels.channel(id)));
      }
      const dev = this.devNetwork;
      if (dev !== undefined && channels.getChannel(dev.channelId) === undefined)
        await this.join(dev.genesisBlock);
      // The dev network defines its in-process chaincodes itself (they commit through block pulling).
      if (dev !== undefined && orderer !== undefined)
        await defineDevChaincodes({
          network: dev,
          channel: channels.channel(dev.channelId),
          endorser: services.endorser,
          orderer,
          chaincodes: this.options.chaincodes ?? {},
          pulling: deliverService !== undefined,
          logger: this.logging.getLogger('devnet'),
        });
      this.logger.info('Started peer', {
        id: config.peer.id,
        address: server.address,
        mspId: localMSP.id,
        channels: channels.channelIds().join(','),
      });
    } catch (err) {
      this.run = undefined;
      for (const u of undo.reverse()) await u().catch(() => undefined);
      throw err;
    }
  }

  private async doStop(): Promise<void> {
    const run = this.run;
    if (run === undefined) return;
    this.run = undefined;
    for (const u of run.unsubscribe) u();
    // Reverse of start: operations, serving, block pulling, streams, channels, chaincode, ledgers.
    await run.operations.stop();
    run.services.gateway.close();
    run.services.deliver.closeAll();
    await run.server.stop();
    await run.deliverService?.stop();
    await run.channels.close();
    await run.listener.close();
    await run.chaincode.close();
    await run.ledgers.close();
    await run.orderer?.stop();
    this.logger.info('Stopped peer', { id: this.config.peer.id });
  }
}
