// The outer parts of a running peer: block pulling from the orderers (deliverclient/) and the
// operations server with the peer's health checks.
import type { MSP } from '@fabric-peer/msp';
import type { ChannelManager } from '../channel/index.js';
import type { PeerConfig } from '../config/index.js';
import { DeliverService, deliverServiceOptionsFromConfig } from '../deliverclient/index.js';
import type { LoggingSystem } from '../logging/index.js';
import { type MetricsProvider, OperationsServer, operationsOptionsFromConfig } from '../operations/index.js';
import type { CreatePeerOptions } from './types.js';

export function blockPulling(
  config: PeerConfig,
  localMSP: MSP,
  options: CreatePeerOptions,
  logging: LoggingSystem,
): DeliverService {
  // A TLS pair handed in as PEMs (in memory, the dev network) is also the client pair towards the
  // orderers; given here, the peer.tls.* files are not looked for (nor warned about when absent).
  return new DeliverService(
    deliverServiceOptionsFromConfig(
      config,
      localMSP.getSigningIdentity(),
      logging.getLogger('deliveryClient'),
      options.tls === undefined ? undefined : { cert: options.tls.cert, key: options.tls.key },
    ),
  );
}

/** /healthz checks: every channel's ledger open, and (when pulling) an orderer stream per channel. */
export function operationsServer(
  config: PeerConfig,
  logging: LoggingSystem,
  metrics: MetricsProvider,
  channels: ChannelManager,
  deliverService: DeliverService | undefined,
): OperationsServer {
  const operations = new OperationsServer(
    operationsOptionsFromConfig(config, { logging, metrics, logger: logging.getLogger('operations.runner') }),
  );
  operations.registerChecker('ledger', () => {
    const closed = channels.channelIds().filter((id) => channels.channel(id).ledger.isClosed);
    if (closed.length > 0) throw new Error(`ledger closed: ${closed.join(', ')}`);
  });
  if (deliverService !== undefined) operations.registerChecker('deliverclient', deliverService.healthCheck);
  return operations;
}
