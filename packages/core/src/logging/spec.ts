import { ERRORS, LoggingError } from '../errors/index.js';
import { type Level, isValidLevel, parseLevel } from './levels.js';

/**
 * A parsed FABRIC_LOGGING_SPEC: `[<logger>[,<logger>...]=]<level>[:...]`.
 * A logger name covers itself and its dotted children (`ledger` covers `ledger.blkstorage`);
 * a name written with a trailing dot (`ledger.`) covers that logger only, as in Fabric.
 */
export interface LogSpec {
  readonly defaultLevel: Level;
  readonly levels: ReadonlyMap<string, Level>;
}

// Fabric's rule for logger names: dotted segments of letters, digits and `_ # : -`.
const LOGGER_NAME = /^[A-Za-z0-9_#:-]+(\.[A-Za-z0-9_#:-]+)*$/;

export function isValidLoggerName(name: string): boolean {
  return LOGGER_NAME.test(name);
}

export function parseLogSpec(spec: string): LogSpec {
  let defaultLevel: Level = 'info';
  const levels = new Map<string, Level>();
  const fail = (reason: string): LoggingError =>
    new LoggingError(ERRORS.LOGGING.INVALID_SPEC, { spec, reason });

  for (const field of spec.trim().split(':')) {
    const parts = field.split('=');
    if (parts.length === 1) {
      // Fabric quirk kept on purpose: an empty segment (a trailing colon, or the empty spec)
      // sets the default to info, so "debug:" means info everywhere.
      if (field !== '' && !isValidLevel(field)) throw fail(`bad segment '${field}'`);
      defaultLevel = field === '' ? 'info' : parseLevel(field);
    } else if (parts.length === 2) {
      const [names = '', levelName = ''] = parts;
      if (names === '') throw fail(`no logger specified in segment '${field}'`);
      if (!isValidLevel(levelName)) throw fail(`bad segment '${field}'`);
      const level = parseLevel(levelName);
      for (const name of names.split(',')) {
        if (!isValidLoggerName(name.endsWith('.') ? name.slice(0, -1) : name)) {
          throw fail(`bad logger name '${name}'`);
        }
        levels.set(name, level);
      }
    } else {
      throw fail(`bad segment '${field}'`);
    }
  }
  return { defaultLevel, levels };
}

/**
 * The canonical text of a spec, as Fabric's `Spec()` prints it: `logger=level` fields sorted,
 * the default level last. Parsing it again yields the same spec.
 */
export function formatLogSpec(spec: LogSpec): string {
  const fields = [...spec.levels].map(([name, level]) => `${name}=${level}`).sort();
  fields.push(spec.defaultLevel);
  return fields.join(':');
}

/** The level that applies to a logger: its own entry, else its nearest dotted ancestor's, else the default. */
export function levelFor(spec: LogSpec, name: string): Level {
  const exact = spec.levels.get(`${name}.`);
  if (exact !== undefined) return exact;
  let candidate = name;
  while (candidate !== '') {
    const level = spec.levels.get(candidate);
    if (level !== undefined) return level;
    const dot = candidate.lastIndexOf('.');
    candidate = dot < 0 ? '' : candidate.slice(0, dot);
  }
  return spec.defaultLevel;
}
