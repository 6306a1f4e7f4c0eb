// Every error a user of the peer can see is listed here, in one place, with a stable code, a title
// for documentation and a message template whose `{placeholders}` are filled from typed arguments.
// Components add their own section below rather than inventing ad-hoc messages elsewhere.

/** Fabric's status codes (common.Status) as they appear in proposal responses and deliver replies. */
export type FabricStatus = 200 | 400 | 403 | 404 | 405 | 408 | 409 | 413 | 500 | 501 | 503;

export interface ErrorDescriptor {
  /** Stable, greppable identifier; never reworded once released. */
  readonly code: string;
  /** Short human title for docs and dashboards. */
  readonly title: string;
  /** Message with `{name}` placeholders. */
  readonly message: string;
  /** The Fabric status a client sees for this error, when it crosses the wire. */
  readonly status?: FabricStatus;
  /** The gRPC status code (grpc-js `status`) a client sees, when it crosses the wire. */
  readonly grpcCode?: number;
}

/** One component's descriptors, keyed by a short name (`CHAINCODE_ERRORS.EXECUTE_TIMEOUT`). */
export type ErrorSection = Readonly<Record<string, ErrorDescriptor>>;

export type ErrorCatalogue = Readonly<Record<string, ErrorSection>>;

export const ERRORS = {
  GENERAL: {
    INTERNAL: {
      code: 'GENERAL_INTERNAL',
      title: 'Internal error',
      message: 'internal error: {reason}',
      status: 500,
      grpcCode: 13,
    },
    NOT_IMPLEMENTED: {
      code: 'GENERAL_NOT_IMPLEMENTED',
      title: 'Not implemented',
      message: '{feature} is not implemented',
      status: 501,
      grpcCode: 12,
    },
  },
  CONFIG: {
    INVALID_VALUE: {
      code: 'CONFIG_INVALID_VALUE',
      title: 'Invalid configuration value',
      message: '{key}: expected {expected}, got {actual}',
      status: 400,
    },
    CFG_PATH_MISSING: {
      code: 'CONFIG_CFG_PATH_MISSING',
      title: 'FABRIC_CFG_PATH does not exist',
      message: 'FABRIC_CFG_PATH {path} does not exist',
    },
    FILE_NOT_FOUND: {
      code: 'CONFIG_FILE_NOT_FOUND',
      title: 'Configuration file not found',
      message: 'Config File "{name}" Not Found in {searched}',
    },
    PARSE_FAILED: {
      code: 'CONFIG_PARSE_FAILED',
      title: 'Configuration file is not valid YAML',
      message: 'error reading config file {file}: {reason}',
    },
  },
  LOGGING: {
    INVALID_SPEC: {
      code: 'LOGGING_INVALID_SPEC',
      title: 'Invalid logging specification',
      message: "invalid logging specification '{spec}': {reason}",
      status: 400,
    },
    INVALID_LEVEL: {
      code: 'LOGGING_INVALID_LEVEL',
      title: 'Invalid log level',
      message: 'invalid log level: {level}',
      status: 400,
    },
    INVALID_LOGGER_NAME: {
      code: 'LOGGING_INVALID_LOGGER_NAME',
      title: 'Invalid logger name',
      message: 'invalid logger name: {name}',
    },
    INVALID_FORMAT: {
      code: 'LOGGING_INVALID_FORMAT',
      title: 'Invalid logging format',
      message: 'invalid logging format {format}: {reason}',
    },
  },
  OPERATIONS: {
    LISTEN_FAILED: {
      code: 'OPERATIONS_LISTEN_FAILED',
      title: 'Operations server could not listen',
      message: 'operations server failed to listen on {address}: {reason}',
    },
    TLS_CONFIG: {
      code: 'OPERATIONS_TLS_CONFIG',
      title: 'Operations TLS material could not be loaded',
      message: 'operations TLS: {reason}',
    },
    ALREADY_STARTED: {
      code: 'OPERATIONS_ALREADY_STARTED',
      title: 'Operations server already started',
      message: 'operations server is already started on {address}',
    },
  },
  METRICS: {
    STATSD_UNREACHABLE: {
      code: 'METRICS_STATSD_UNREACHABLE',
      title: 'statsd daemon unreachable',
      message: 'metrics.statsd: cannot reach {network} {address}: {reason}',
    },
    INVALID_OPTS: {
      code: 'METRICS_INVALID_OPTS',
      title: 'Invalid metric definition',
      message: 'metric {name}: {reason}',
    },
  },
} as const satisfies ErrorCatalogue;

/** The placeholder names of a message template, e.g. `'{key}: {actual}'` -> `'key' | 'actual'`. */
export type TemplateArgs<T extends string> = T extends `${string}{${infer Name}}${infer Rest}`
  ? Name | TemplateArgs<Rest>
  : never;

export type ErrorArgs<D extends ErrorDescriptor> = Record<TemplateArgs<D['message']>, string | number>;

/** Fill a template; a missing argument stays visible as `{name}` rather than vanishing. */
export function formatErrorMessage(
  template: string,
  args: Readonly<Record<string, string | number>>,
): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(args, name) ? String(args[name]) : whole,
  );
}
