// The gRPC server's user-facing errors, in the catalogue's shape (the shared catalogue belongs to
// errors/, so they live beside the component).
import { FabricPeerError } from '../errors/index.js';

export const SERVER_ERRORS = {
  TLS_MATERIAL: {
    code: 'SERVER_TLS_MATERIAL',
    title: 'TLS material missing or unreadable',
    message: '{key}: cannot use {file}: {reason}',
  },
  BIND_FAILED: {
    code: 'SERVER_BIND_FAILED',
    title: 'gRPC server could not listen',
    message: 'failed to listen on {address}: {reason}',
  },
  NOT_STARTED: {
    code: 'SERVER_NOT_STARTED',
    title: 'gRPC server is not started',
    message: 'the gRPC server is not listening',
  },
  TOO_MANY_REQUESTS: {
    code: 'SERVER_TOO_MANY_REQUESTS',
    title: 'Concurrency limit reached',
    message: 'too many requests for {service}, exceeding concurrency limit ({limit})',
    grpcCode: 8,
  },
} as const;

export class ServerError extends FabricPeerError {}
