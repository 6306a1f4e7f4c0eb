import {
  type ErrorArgs,
  type ErrorDescriptor,
  type FabricStatus,
  ERRORS,
  formatErrorMessage,
} from './catalogue.js';

/** What a caller needs to act on an error: where it happened and how it crosses the wire. */
export interface ErrorDetails {
  channel?: string;
  txId?: string;
  status?: FabricStatus;
  grpcCode?: number;
  cause?: unknown;
}

/**
 * The one error class of the peer. Its `code` is stable and comes from the catalogue, so callers
 * branch on `err.code` (or `FabricPeerError.is(err, ERRORS.X.Y)`) instead of parsing messages.
 */
export class FabricPeerError<D extends ErrorDescriptor = ErrorDescriptor> extends Error {
  readonly code: D['code'];
  readonly title: string;
  readonly descriptor: D;
  readonly args: Readonly<Record<string, string | number>>;
  // `declare`d so an absent detail is no property at all, not one holding undefined.
  declare readonly channel?: string;
  declare readonly txId?: string;
  declare readonly status?: FabricStatus;
  declare readonly grpcCode?: number;

  constructor(descriptor: D, args: ErrorArgs<D>, details: ErrorDetails = {}) {
    super(
      formatErrorMessage(descriptor.message, args),
      details.cause === undefined ? undefined : { cause: details.cause },
    );
    this.name = new.target.name;
    this.code = descriptor.code;
    this.title = descriptor.title;
    this.descriptor = descriptor;
    this.args = args;
    // Only set what is known, so that logs and JSON do not carry `undefined` noise.
    if (details.channel !== undefined) this.channel = details.channel;
    if (details.txId !== undefined) this.txId = details.txId;
    const status = details.status ?? descriptor.status;
    if (status !== undefined) this.status = status;
    const grpcCode = details.grpcCode ?? descriptor.grpcCode;
    if (grpcCode !== undefined) this.grpcCode = grpcCode;
  }

  static is<D extends ErrorDescriptor>(error: unknown, descriptor?: D): error is FabricPeerError<D> {
    return error instanceof FabricPeerError && (descriptor === undefined || error.code === descriptor.code);
  }

  /** Flat, serialisable facts for structured logs. */
  getMetadata(): Record<string, string | number> {
    const meta: Record<string, string | number> = { code: this.code, ...this.args };
    if (this.channel !== undefined) meta.channel = this.channel;
    if (this.txId !== undefined) meta.txId = this.txId;
    if (this.status !== undefined) meta.status = this.status;
    if (this.grpcCode !== undefined) meta.grpcCode = this.grpcCode;
    return meta;
  }
}

/** A configuration value or file is wrong; `key` names the core.yaml key at fault when there is one. */
export class ConfigError<D extends ErrorDescriptor = ErrorDescriptor> extends FabricPeerError<D> {
  get key(): string | undefined {
    const key = this.args.key;
    return key === undefined ? undefined : String(key);
  }

  /** The common case: `peer.listenAddress: expected host:port, got "abc"`. */
  static invalidValue(key: string, expected: string, actual: unknown): ConfigError {
    return new ConfigError(ERRORS.CONFIG.INVALID_VALUE, { key, expected, actual: describeValue(actual) });
  }
}

/** A log spec, level or format could not be understood. */
export class LoggingError<D extends ErrorDescriptor = ErrorDescriptor> extends FabricPeerError<D> {}

/** The operations server could not start or was misconfigured. */
export class OperationsError<D extends ErrorDescriptor = ErrorDescriptor> extends FabricPeerError<D> {}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'nothing';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** The message of anything thrown: an Error's own message, or the thrown value as text. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
