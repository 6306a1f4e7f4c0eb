import { ERRORS, LoggingError } from '../errors/index.js';
import { type LogEntry, contextPrefix, extraFields, safeJson } from './entry.js';
import type { Level } from './levels.js';
import { compileTimeLayout } from './time-layout.js';

/** Fabric 2.x's default FABRIC_LOGGING_FORMAT. */
export const DEFAULT_LOG_FORMAT =
  '%{color}%{time:2006-01-02 15:04:05.000 MST} %{id:04x} %{level:.4s}%{color:reset} [%{module}] %{shortfunc} -> %{message}';

export interface LogFormatter {
  /** One line without its trailing newline. */
  format(entry: LogEntry, color: boolean): string;
  /** Whether entries need `shortfunc` (costly: it takes a stack trace). */
  readonly needsCaller: boolean;
}

type Piece = (entry: LogEntry, color: boolean) => string;

// Fabric's level colours (fabenc): cyan, blue, yellow, red, then magenta for the panics.
const LEVEL_COLOR: Readonly<Record<Level, number>> = {
  debug: 36,
  info: 34,
  warn: 33,
  error: 31,
  dpanic: 35,
  panic: 35,
  fatal: 35,
};

const VERB = /%\{(color|id|level|message|module|shortfunc|time)(?::(.*?))?\}/g;

export function createFormatter(format: string): LogFormatter {
  if (format === '' || format === undefined) return createFormatter(DEFAULT_LOG_FORMAT);
  if (format === 'json') return { format: formatJson, needsCaller: false };
  if (format === 'logfmt') return { format: formatLogfmt, needsCaller: false };
  return parseTextFormat(format);
}

function parseTextFormat(format: string): LogFormatter {
  const pieces: Piece[] = [];
  let needsCaller = false;
  let last = 0;
  for (const match of format.matchAll(VERB)) {
    const literal = format.slice(last, match.index);
    rejectUnknownVerbs(format, literal);
    if (literal !== '') pieces.push(() => literal);
    last = match.index + match[0].length;
    const [, verb, arg] = match;
    if (verb === 'shortfunc') needsCaller = true;
    pieces.push(verbPiece(format, verb ?? '', arg));
  }
  const tail = format.slice(last);
  rejectUnknownVerbs(format, tail);
  if (tail !== '') pieces.push(() => tail);
  return { format: (entry, color) => pieces.map((p) => p(entry, color)).join(''), needsCaller };
}

function rejectUnknownVerbs(format: string, literal: string): void {
  const unknown = /%\{(\w*)/.exec(literal);
  if (unknown !== null) {
    throw new LoggingError(ERRORS.LOGGING.INVALID_FORMAT, { format, reason: `unknown verb '${unknown[1]}'` });
  }
}

function verbPiece(format: string, verb: string, arg: string | undefined): Piece {
  switch (verb) {
    case 'color':
      if (arg === 'reset') return (_e, color) => (color ? '\x1b[0m' : '');
      if (arg === 'bold') return (_e, color) => (color ? '\x1b[1m' : '');
      if (arg === undefined || arg === '')
        return (e, color) => (color ? `\x1b[${LEVEL_COLOR[e.level]}m` : '');
      throw new LoggingError(ERRORS.LOGGING.INVALID_FORMAT, {
        format,
        reason: `invalid color option: ${arg}`,
      });
    case 'time': {
      const render = compileTimeLayout(arg ?? '2006-01-02T15:04:05.999Z07:00');
      return (e) => render(e.time);
    }
    case 'id': {
      const fmt = goVerb(format, arg ?? 'd');
      return (e) => fmt(e.seq);
    }
    case 'level': {
      const fmt = goVerb(format, arg ?? 's');
      return (e) => fmt(e.level.toUpperCase());
    }
    case 'module': {
      const fmt = goVerb(format, arg ?? 's');
      return (e) => fmt(e.module);
    }
    case 'shortfunc': {
      const fmt = goVerb(format, arg ?? 's');
      return (e) => fmt(e.shortfunc);
    }
    default: {
      const fmt = goVerb(format, arg ?? 's');
      return (e) => fmt(textMessage(e));
    }
  }
}

/** The message as Fabric's console encoder writes it: context prefix, text, extra fields as JSON. */
function textMessage(entry: LogEntry): string {
  const prefix = contextPrefix(entry.context);
  const fields = extraFields(entry, false);
  const message = entry.message.replace(/\n+$/, '');
  return `${prefix === '' ? '' : `${prefix} `}${message}${fields === undefined ? '' : ` ${safeJson(fields)}`}`;
}

/** A tiny subset of Go's fmt verbs, enough for Fabric formats: `%04x`, `%.4s`, `%-5s`, `%d`. */
function goVerb(format: string, spec: string): (value: string | number) => string {
  const m = /^([-0]*)(\d*)(?:\.(\d+))?([sdxXv])$/.exec(spec);
  if (m === null) {
    throw new LoggingError(ERRORS.LOGGING.INVALID_FORMAT, { format, reason: `unsupported verb %${spec}` });
  }
  const [, flags = '', widthText = '', precisionText, verb] = m;
  const width = widthText === '' ? 0 : Number(widthText);
  const precision = precisionText === undefined ? undefined : Number(precisionText);
  const left = flags.includes('-');
  const zero = flags.includes('0') && !left;
  return (value) => {
    let text =
      verb === 'x' && typeof value === 'number'
        ? value.toString(16)
        : verb === 'X' && typeof value === 'number'
          ? value.toString(16).toUpperCase()
          : String(value);
    if (precision !== undefined && typeof value === 'string') text = text.slice(0, precision);
    if (text.length >= width) return text;
    return left ? text.padEnd(width, ' ') : text.padStart(width, zero ? '0' : ' ');
  };
}

/** zap's production JSON as Fabric configures it: level, ts (epoch seconds), name, msg, fields. */
function formatJson(entry: LogEntry): string {
  const record: Record<string, unknown> = {
    level: entry.level,
    ts: entry.time.getTime() / 1000,
    name: entry.module,
    msg: entry.message,
  };
  const fields = extraFields(entry, true);
  if (fields !== undefined) for (const [k, v] of Object.entries(fields)) if (!(k in record)) record[k] = v;
  return safeJson(record);
}

function formatLogfmt(entry: LogEntry): string {
  const pairs: [string, unknown][] = [
    ['ts', entry.time.getTime() / 1000],
    ['level', entry.level],
    ['name', entry.module],
    ['msg', entry.message],
  ];
  const fields = extraFields(entry, true);
  if (fields !== undefined) pairs.push(...Object.entries(fields));
  return pairs.map(([k, v]) => `${k}=${logfmtValue(v)}`).join(' ');
}

function logfmtValue(value: unknown): string {
  const text =
    typeof value === 'string' ? value : typeof value === 'number' ? String(value) : safeJson(value);
  return /^[^\s"=]+$/.test(text) ? text : JSON.stringify(text);
}
