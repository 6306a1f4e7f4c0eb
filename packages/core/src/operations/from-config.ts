import type { PeerConfig } from '../config/index.js';
import type { Logger } from '../logging/index.js';
import { type MetricsProvider, DisabledMetricsProvider, PrometheusMetricsProvider } from './metrics.js';
import type { LogSpecController, VersionInfo } from './routes.js';
import { StatsdMetricsProvider } from './statsd.js';
import type { OperationsServerOptions } from './server.js';

/** metrics.provider as Fabric reads it: prometheus, statsd (metrics.statsd.*) or disabled. */
export function metricsProviderFromConfig(config: PeerConfig): MetricsProvider {
  switch (config.metrics.provider) {
    case 'prometheus':
      return new PrometheusMetricsProvider();
    case 'statsd':
      return StatsdMetricsProvider.fromConfig(config.metrics);
    default:
      return new DisabledMetricsProvider();
  }
}

/** The operations.* and peer.profile.* keys as OperationsServer options. */
export function operationsOptionsFromConfig(
  config: PeerConfig,
  deps: {
    logging?: LogSpecController;
    version?: VersionInfo;
    metrics?: MetricsProvider;
    logger?: Logger;
  } = {},
): OperationsServerOptions {
  const tls = config.operations.tls;
  const options: OperationsServerOptions = {
    listenAddress: config.operations.listenAddress,
    tls: {
      enabled: tls.enabled,
      certFile: tls.cert.file,
      keyFile: tls.key.file,
      clientAuthRequired: tls.clientAuthRequired,
      clientRootCAFiles: tls.clientRootCAs.files,
    },
    metrics: deps.metrics ?? metricsProviderFromConfig(config),
    profileEnabled: config.peer.profile.enabled,
  };
  if (deps.logging !== undefined) options.logging = deps.logging;
  if (deps.version !== undefined) options.version = deps.version;
  if (deps.logger !== undefined) options.logger = deps.logger;
  return options;
}
