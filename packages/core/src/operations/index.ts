export { FABRIC_METRICS } from './fabric-metrics.js';
export { metricsProviderFromConfig, operationsOptionsFromConfig } from './from-config.js';
export { HealthRegistry, type FailedCheck, type HealthChecker, type HealthStatus } from './health.js';
export {
  DisabledMetricsProvider,
  PrometheusMetricsProvider,
  fullMetricName,
  type Counter,
  type Gauge,
  type Histogram,
  type HistogramOpts,
  type Labels,
  type MetricOpts,
  type MetricsProvider,
} from './metrics.js';
export type { LogSpecController, RouteHandler, VersionInfo } from './routes.js';
export { StatsdMetricsProvider, statsdName, type StatsdOptions } from './statsd.js';
export { OperationsServer, type OperationsServerOptions, type OperationsTlsOptions } from './server.js';
