// @fabric-peer/core: the public surface. Each component folder has one door (its index.ts); only
// what embedders and the CLI need is re-exported here.

export {
  defaultPeerConfig,
  findConfigFile,
  loadPeerConfig,
  resolvePeerConfig,
  type LoadPeerConfigOptions,
  type LoadedPeerConfig,
  type PartialPeerConfig,
  type PeerConfig,
  type ResolvePeerConfigOptions,
} from './config/index.js';
export type * from './config/types.js';

export {
  ConfigError,
  ERRORS,
  FabricPeerError,
  LoggingError,
  OperationsError,
  type ErrorDescriptor,
  type ErrorSection,
  type ErrorDetails,
  type FabricStatus,
} from './errors/index.js';

export {
  DEFAULT_LOG_FORMAT,
  FabricLogger,
  LoggingSystem,
  NOOP_LOGGER,
  type Level,
  type LogContext,
  type Logger,
  type LoggingOptions,
  type LogWriter,
} from './logging/index.js';

export {
  DisabledMetricsProvider,
  FABRIC_METRICS,
  OperationsServer,
  PrometheusMetricsProvider,
  StatsdMetricsProvider,
  operationsOptionsFromConfig,
  type Counter,
  type Gauge,
  type HealthChecker,
  type HealthStatus,
  type Histogram,
  type HistogramOpts,
  type MetricOpts,
  type MetricsProvider,
  type OperationsServerOptions,
  type OperationsTlsOptions,
  type VersionInfo,
} from './operations/index.js';

export { createPeer, PEER_ERRORS, PeerError, type CreatePeerOptions, type Peer } from './peer/index.js';

export {
  certHash,
  clientChannelOptions,
  clientCredentials,
  type ClientTlsOptions,
  type ServerTlsOptions,
} from './server/index.js';

export type { SystemChaincode, SystemChaincodeContext } from './scc/index.js';
