import { ERRORS, LoggingError } from '../errors/index.js';

/** Fabric's levels (zap's, which Fabric uses), lowest first. */
export const LEVELS = ['debug', 'info', 'warn', 'error', 'dpanic', 'panic', 'fatal'] as const;
export type Level = (typeof LEVELS)[number];

/** Numeric severity for fast comparisons; higher is more severe. */
export const LEVEL_VALUE: Readonly<Record<Level, number>> = {
  debug: -1,
  info: 0,
  warn: 1,
  error: 2,
  dpanic: 3,
  panic: 4,
  fatal: 5,
};

// The names Fabric's flogging accepts, including the go-logging era aliases it still honours.
const ALIASES: Readonly<Record<string, Level>> = {
  payload: 'debug',
  debug: 'debug',
  info: 'info',
  notice: 'info',
  warn: 'warn',
  warning: 'warn',
  error: 'error',
  dpanic: 'dpanic',
  critical: 'dpanic',
  panic: 'panic',
  fatal: 'fatal',
};

export function isValidLevel(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(ALIASES, name.toLowerCase());
}

/** Case-insensitive, accepting Fabric's aliases (`WARNING`, `critical`, ...). */
export function parseLevel(name: string): Level {
  if (!isValidLevel(name)) throw new LoggingError(ERRORS.LOGGING.INVALID_LEVEL, { level: name });
  return ALIASES[name.toLowerCase()] as Level;
}
