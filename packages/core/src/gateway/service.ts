// The gRPC edge of gateway.Gateway and discovery.Discovery, and the one call the peer's composer makes
// to serve them: registerGatewayServices(server, deps). Each call holds a slot of
// peer.limits.concurrency.gatewayService; a thrown error becomes its gRPC status with details.
import type {
  sendUnaryData,
  ServerUnaryCall,
  ServerWritableStream,
  UntypedServiceImplementation,
} from '@grpc/grpc-js';
import type { MSP } from '@fabric-peer/msp';
import { discovery, gateway } from '@fabric-peer/protos';
import type { PeerConfig } from '../config/index.js';
import {
  type DiscoveryChannel,
  DiscoveryService,
  PeerDirectory,
  type RemotePeer,
} from '../discovery/index.js';
import { type Logger, NOOP_LOGGER } from '../logging/index.js';
import { ConcurrencyLimiter, type GrpcServer } from '../server/index.js';
import { toServiceError } from './errors.js';
import { Gateway, type GatewayChannel, type GatewayOptions } from './gateway.js';
import { Broadcaster, type OrdererTarget } from './orderers.js';

type Unary<Req, Res> = (call: ServerUnaryCall<Req, Res>, cb: sendUnaryData<Res>) => void;

/** The grpc-js handlers of gateway.Gateway over a Gateway. */
export function gatewayImplementation(
  gw: Gateway,
  limiter?: ConcurrencyLimiter,
): UntypedServiceImplementation {
  const unary =
    <Req, Res>(
      fn: (req: Req, signal: AbortSignal | undefined) => Promise<Res>,
      cancellable = false,
    ): Unary<Req, Res> =>
    (call, cb) => {
      const slot = limiter?.acquire() ?? { release: () => undefined };
      if ('error' in slot) return cb(slot.error);
      // Only a wait (CommitStatus) outlives its work: abort it when the client goes away. An
      // AbortController per call costs more than the rest of this wrapper, so the others get none.
      let signal: AbortSignal | undefined;
      if (cancellable) {
        const ac = new AbortController();
        call.on('cancelled', () => ac.abort(new Error('cancelled')));
        signal = ac.signal;
      }
      // A malformed request can make any step throw: it is always answered, never a crash.
      Promise.resolve()
        .then(() => fn(call.request, signal))
        .then(
          (r) => cb(null, r),
          (err: unknown) => cb(toServiceError(err)),
        )
        .finally(() => slot.release());
    };
  return {
    evaluate: unary<gateway.EvaluateRequest, gateway.EvaluateResponse>((r) => gw.evaluate(r)),
    endorse: unary<gateway.EndorseRequest, gateway.EndorseResponse>((r) => gw.endorse(r)),
    submit: unary<gateway.SubmitRequest, gateway.SubmitResponse>((r) => gw.submit(r)),
    commitStatus: unary<gateway.SignedCommitStatusRequest, gateway.CommitStatusResponse>(
      (r, s) => gw.commitStatus(r, s),
      true,
    ),
    chaincodeEvents: (
      call: ServerWritableStream<gateway.SignedChaincodeEventsRequest, gateway.ChaincodeEventsResponse>,
    ) => {
      const slot = limiter?.acquire() ?? { release: () => undefined };
      if ('error' in slot) {
        call.emit('error', slot.error);
        return;
      }
      const ac = new AbortController();
      call.on('cancelled', () => ac.abort(new Error('cancelled')));
      call.on('close', () => ac.abort(new Error('closed')));
      const send = (r: gateway.ChaincodeEventsResponse): Promise<void> =>
        call.write(r) ? Promise.resolve() : new Promise((res) => call.once('drain', () => res()));
      Promise.resolve()
        .then(() => gw.chaincodeEvents(call.request, send, ac.signal))
        .then(
          () => call.end(),
          (err: unknown) => {
            if (!ac.signal.aborted) call.emit('error', toServiceError(err));
            else call.end();
          },
        )
        .finally(() => slot.release());
    },
  };
}

export interface GatewayServiceDeps {
  config: PeerConfig;
  channels: {
    getChannel(id: string): (GatewayChannel & DiscoveryChannel) | undefined;
  };
  endorser: GatewayOptions['endorser'];
  acl: GatewayOptions['acl'];
  localMSP: MSP;
  /** The endpoint clients reach this peer at (default peer.gossip.externalEndpoint, else the bound
   * address once the server runs, else peer.address); read at each use, as the port may be chosen late. */
  endpoint?: () => string;
  /** Other peers this one may ask for endorsements (gossip's job in Fabric). */
  remotePeers?: () => readonly RemotePeer[];
  /** Orderers of a channel instead of its config's (the embedded orderer's address, overrides). */
  orderers?: (channelId: string) => OrdererTarget[] | undefined;
  /** Client certificate for mutual TLS towards orderers and peers. */
  clientCert?: { cert: string; key: string };
  logger?: Logger;
}

export interface GatewayServices {
  gateway: Gateway | undefined;
  discovery: DiscoveryService | undefined;
  directory: PeerDirectory;
  /** Ends waits and closes client connections (call before the server stops). */
  close(): void;
}

/** Adds gateway.Gateway (peer.gateway.enabled) and discovery.Discovery (peer.discovery.enabled) to `server`. */
export function registerGatewayServices(server: GrpcServer, deps: GatewayServiceDeps): GatewayServices {
  const { config } = deps;
  const logger = deps.logger ?? NOOP_LOGGER;
  const endpoint = (): string =>
    deps.endpoint?.() ||
    config.peer.gossip.externalEndpoint ||
    (server.started ? server.address : config.peer.address);
  const signer = deps.localMSP.getSigningIdentity();
  const directory = new PeerDirectory({
    local: {
      get endpoint() {
        return endpoint();
      },
      mspId: deps.localMSP.id,
      identity: signer.serialize(),
    },
    channels: deps.channels,
    ...(deps.remotePeers !== undefined && { remotePeers: deps.remotePeers }),
  });
  let gw: Gateway | undefined;
  if (config.peer.gateway.enabled) {
    const broadcaster = new Broadcaster({
      channelConfig: (id) => deps.channels.getChannel(id)?.config(),
      tls: config.peer.tls.enabled,
      timeoutMs: config.peer.gateway.broadcastTimeout,
      ...(deps.orderers !== undefined && { orderers: deps.orderers }),
      ...(deps.clientCert !== undefined && { clientCert: deps.clientCert }),
    });
    gw = new Gateway({
      channels: deps.channels,
      endorser: deps.endorser,
      directory,
      acl: deps.acl,
      broadcaster,
      endorsementTimeoutMs: config.peer.gateway.endorsementTimeout,
      dialTimeoutMs: config.peer.gateway.dialTimeout,
      ...(deps.clientCert !== undefined && { peerClientCert: deps.clientCert }),
    });
    const limiter = new ConcurrencyLimiter('Gateway', config.peer.limits.concurrency.gatewayService);
    server.addService(gateway.GatewayService, gatewayImplementation(gw, limiter));
    server.health.register('gateway.Gateway');
    logger.info('Gateway enabled');
  }
  let disc: DiscoveryService | undefined;
  if (config.peer.discovery.enabled) {
    disc = new DiscoveryService({
      channels: deps.channels,
      directory,
      localMSP: deps.localMSP,
      mutualTls: server.mutualTls,
      logger,
    });
    server.addService(discovery.DiscoveryService, disc.implementation());
    server.health.register('discovery.Discovery');
  }
  return { gateway: gw, discovery: disc, directory, close: () => gw?.close() };
}
