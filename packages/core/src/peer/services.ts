// The peer's gRPC services wired onto its server: Deliver, Admin, Endorser (with cscc / qscc), each
// under its peer.limits.concurrency, plus health names. Built at every start() from the live parts.
import type { MSP } from '@fabric-peer/msp';
import { type common, protos } from '@fabric-peer/protos';
import type { ACLProvider } from '../acl/index.js';
import { AdminService } from '../admin/index.js';
import type { ChannelManager } from '../channel/index.js';
import type { ChaincodeExecutor } from '../chaincode/index.js';
import type { PeerConfig } from '../config/index.js';
import { DeliverHandler } from '../deliver/index.js';
import { type GatewayServices, registerGatewayServices } from '../gateway/index.js';
import {
  authFiltersFromConfig,
  Endorser,
  type EndorsementInfoProvider,
  type EndorserOptions,
} from '../endorser/index.js';
import type { LoggingSystem } from '../logging/index.js';
import type { MetricsProvider } from '../operations/index.js';
import { CSCC, QSCC, type SystemChaincode, SystemChaincodeRegistry } from '../scc/index.js';
import type { CreatePeerOptions } from './types.js';
import { ConcurrencyLimiter, type GrpcServer } from '../server/index.js';
import { limitStreams, limitUnary } from './limits.js';

export interface ServiceParts {
  config: PeerConfig;
  server: GrpcServer;
  channels: ChannelManager;
  /** Join through here so block pulling starts for the new channel too. */
  joinChannel: (block: common.Block) => Promise<unknown>;
  acl: ACLProvider;
  localMSP: MSP;
  logging: LoggingSystem;
  chaincode: ChaincodeExecutor;
  metrics: MetricsProvider;
  systemChaincodes?: SystemChaincode[] | undefined;
  /** Chaincode definitions for user chaincode (_lifecycle's). */
  definitions: EndorsementInfoProvider;
  /** After a successful simulation (private data to the transient store). */
  onSimulated?: EndorserOptions['onSimulated'];
  handlers?: CreatePeerOptions['handlers'];
}

export interface Services {
  deliver: DeliverHandler;
  endorser: Endorser;
  sccs: SystemChaincodeRegistry;
  /** gateway.Gateway and discovery.Discovery; close() before the server stops. */
  gateway: GatewayServices;
}

export function registerServices(p: ServiceParts): Services {
  const { config, server, channels, acl } = p;
  const log = (m: string): ReturnType<LoggingSystem['getLogger']> => p.logging.getLogger(m);
  const limits = config.peer.limits.concurrency;

  const deliver = new DeliverHandler({
    channels,
    acl,
    timeWindowMs: config.peer.authentication.timewindow,
    mutualTls: server.mutualTls,
    logger: log('common.deliverevents'),
  });
  server.addService(
    protos.DeliverService,
    limitStreams(new ConcurrencyLimiter('Deliver', limits.deliverService), deliver.implementation()),
  );

  const admin = new AdminService({ logging: p.logging, localMSP: p.localMSP, logger: log('admin') });
  server.addService(protos.AdminService, admin.implementation());

  const sccs = new SystemChaincodeRegistry();
  const sccChannels = {
    getChannel: (id: string) => channels.getChannel(id),
    channelIds: () => channels.channelIds(),
    joinChannel: p.joinChannel,
  };
  sccs.register(new CSCC({ channels: sccChannels, acl }));
  sccs.register(new QSCC({ channels: sccChannels, acl }));
  for (const scc of p.systemChaincodes ?? []) sccs.register(scc);

  const signer = p.localMSP.getSigningIdentity();
  const endorser = new Endorser({
    channels,
    acl,
    localMSP: p.localMSP,
    signer,
    sccs,
    chaincode: p.chaincode,
    definitions: p.definitions,
    ...(p.onSimulated !== undefined && { onSimulated: p.onSimulated }),
    timeWindowMs: config.peer.authentication.timewindow,
    authFilters: [
      ...(p.handlers?.authFilters ?? []),
      ...authFiltersFromConfig(config.peer.handlers.authFilters.map((f) => f.name)),
    ],
    decorators: p.handlers?.decorators ?? [],
    endorsementPlugins: p.handlers?.endorsementPlugins ?? {},
    metrics: p.metrics,
    logger: log('endorser'),
  });
  server.addService(
    protos.EndorserService,
    limitUnary(new ConcurrencyLimiter('Endorser', limits.endorserService), endorser.implementation()),
  );
  // gateway.Gateway (peer.gateway.enabled) and discovery.Discovery (peer.discovery.enabled).
  const gateway = registerGatewayServices(server, {
    config,
    channels,
    endorser,
    acl,
    localMSP: p.localMSP,
    logger: log('gateway'),
  });
  for (const name of [
    'protos.Endorser',
    'protos.Deliver',
    'protos.Admin',
    'gateway.Gateway',
    'discovery.Discovery',
  ]) {
    server.health.register(name);
  }
  return { deliver, endorser, sccs, gateway };
}
