// server/: the peer's gRPC server and the TLS credentials clients dial it with.
export { GrpcServer, DEFAULT_MAX_MSG_SIZE, type GrpcServerOptions } from './grpc-server.js';
export {
  certHash,
  clientChannelOptions,
  clientCredentials,
  serverCredentials,
  serverTlsFromConfig,
  type ClientTlsOptions,
  type ServerTlsOptions,
} from './credentials.js';
export { ConcurrencyLimiter } from './limiter.js';
export { HealthService } from './health.js';
export { SERVER_ERRORS, ServerError } from './errors.js';
export { metricsInterceptor } from './metrics.js';
