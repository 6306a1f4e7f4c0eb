import { FabricPeerError } from '../errors/index.js';
import type { Level } from './levels.js';

/**
 * Structured facts attached to a log line. `channel` and `txID` are rendered the way Fabric's
 * own messages carry them, as a `[mychannel][a1b2c3d4]` prefix (the tx id cut to 8 characters);
 * any other key is appended as JSON after the message (text) or becomes a field (json/logfmt).
 */
export interface LogContext {
  channel?: string;
  txID?: string;
  [key: string]: unknown;
}

export interface LogEntry {
  readonly time: Date;
  /** Sequence number of the entry in its logging system: Fabric's `%{id}`. */
  readonly seq: number;
  readonly level: Level;
  readonly module: string;
  readonly message: string;
  readonly context: LogContext | undefined;
  readonly error: unknown;
  /** The calling function's short name, only computed when the format asks for it. */
  readonly shortfunc: string;
}

/** Fabric's short tx id: the first 8 characters. */
export function shortTxID(txID: string): string {
  return txID.length > 8 ? txID.slice(0, 8) : txID;
}

export function contextPrefix(context: LogContext | undefined): string {
  if (context === undefined) return '';
  let prefix = '';
  if (typeof context.channel === 'string' && context.channel !== '') prefix += `[${context.channel}]`;
  if (typeof context.txID === 'string' && context.txID !== '') prefix += `[${shortTxID(context.txID)}]`;
  return prefix;
}

/** Everything but channel and txID, plus the error, as plain JSON-able values. */
export function extraFields(entry: LogEntry, keepChannelAndTx: boolean): Record<string, unknown> | undefined {
  let out: Record<string, unknown> | undefined;
  if (entry.context !== undefined) {
    for (const [key, value] of Object.entries(entry.context)) {
      if (value === undefined) continue;
      if (!keepChannelAndTx && (key === 'channel' || key === 'txID')) continue;
      (out ??= {})[key] = value;
    }
  }
  if (entry.error !== undefined) (out ??= {}).error = describeError(entry.error);
  return out;
}

export function describeError(error: unknown): string {
  if (error instanceof FabricPeerError) return `${error.message} (${error.code})`;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** JSON.stringify that never throws (cycles, BigInt) because logging must not fail the caller. */
export function safeJson(value: unknown): string {
  try {
    // The plain call first: a replacer function makes every stringify several times slower.
    return JSON.stringify(value) ?? 'null';
  } catch {
    try {
      return (
        JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? 'null'
      );
    } catch {
      return JSON.stringify(String(value));
    }
  }
}
