import { ERRORS, LoggingError } from '../errors/index.js';
import type { LogContext, LogEntry } from './entry.js';
import { type LogFormatter, DEFAULT_LOG_FORMAT, createFormatter } from './format.js';
import { type Level, LEVEL_VALUE, parseLevel } from './levels.js';
import { FabricLogger, type LogSink } from './logger.js';
import { type LogSpec, formatLogSpec, isValidLoggerName, levelFor, parseLogSpec } from './spec.js';

/** Where formatted lines go: a stream, or anything with `write` (tests pass a collector). */
export interface LogWriter {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface LoggingOptions {
  /** FABRIC_LOGGING_SPEC grammar; default `info`. */
  spec?: string;
  /** FABRIC_LOGGING_FORMAT: `json`, `logfmt`, or a `%{verb}` format; default Fabric's. */
  format?: string;
  /** Default: process.stderr, as Fabric writes to stderr. */
  writer?: LogWriter;
  /** Force colours on or off; by default only when the writer is a TTY. */
  color?: boolean;
  /** Clock, for tests. */
  now?: () => Date;
}

/**
 * Fabric's logging system: one spec decides every logger's level, and can be replaced at runtime
 * (operations `/logspec`, the Admin service) without recreating loggers.
 */
export class LoggingSystem implements LogSink {
  generation = 0;
  private current: LogSpec;
  private readonly baseline: LogSpec;
  private formatter: LogFormatter;
  private writer: LogWriter;
  private readonly color: boolean | undefined;
  private readonly now: () => Date;
  private seq = 0;
  private readonly loggers = new Map<string, FabricLogger>();

  constructor(options: LoggingOptions = {}) {
    this.current = parseLogSpec(options.spec ?? 'info');
    this.baseline = this.current;
    this.formatter = createFormatter(options.format ?? DEFAULT_LOG_FORMAT);
    this.writer = options.writer ?? process.stderr;
    this.color = options.color;
    this.now = options.now ?? ((): Date => new Date());
  }

  /** Built from FABRIC_LOGGING_SPEC and FABRIC_LOGGING_FORMAT, as the Go peer reads them. */
  static fromEnv(env: NodeJS.ProcessEnv = process.env, writer?: LogWriter): LoggingSystem {
    const options: LoggingOptions = {};
    if (env.FABRIC_LOGGING_SPEC) options.spec = env.FABRIC_LOGGING_SPEC;
    if (env.FABRIC_LOGGING_FORMAT) options.format = env.FABRIC_LOGGING_FORMAT;
    if (writer !== undefined) options.writer = writer;
    return new LoggingSystem(options);
  }

  getLogger(module: string): FabricLogger {
    let logger = this.loggers.get(module);
    if (logger === undefined) {
      if (!isValidLoggerName(module)) {
        throw new LoggingError(ERRORS.LOGGING.INVALID_LOGGER_NAME, { name: module });
      }
      logger = new FabricLogger(this, module);
      this.loggers.set(module, logger);
    }
    return logger;
  }

  /** Replace the whole spec; on a bad spec nothing changes and a LoggingError is thrown. */
  activateSpec(spec: string): void {
    this.apply(parseLogSpec(spec));
  }

  /** The active spec in Fabric's canonical form (sorted `logger=level` fields, default last). */
  spec(): string {
    return formatLogSpec(this.current);
  }

  /** Admin GetModuleLogLevel: the level in force for a module (its own or inherited). */
  moduleLevel(module: string): Level {
    return levelFor(this.current, module);
  }

  /** Admin SetModuleLogLevel: set one module (and its children) without touching the rest. */
  setModuleLevel(module: string, level: string): void {
    if (!isValidLoggerName(module.endsWith('.') ? module.slice(0, -1) : module)) {
      throw new LoggingError(ERRORS.LOGGING.INVALID_SPEC, {
        spec: `${module}=${level}`,
        reason: `bad logger name '${module}'`,
      });
    }
    const levels = new Map(this.current.levels);
    levels.set(module, parseLevel(level));
    this.apply({ defaultLevel: this.current.defaultLevel, levels });
  }

  /** Admin RevertLogLevels: back to the spec this system was created with. */
  revertLevels(): void {
    this.apply(this.baseline);
  }

  setFormat(format: string): void {
    this.formatter = createFormatter(format);
  }

  setWriter(writer: LogWriter): LogWriter {
    const previous = this.writer;
    this.writer = writer;
    return previous;
  }

  thresholdFor(module: string): number {
    return LEVEL_VALUE[levelFor(this.current, module)];
  }

  write(
    logger: FabricLogger,
    level: Level,
    message: string,
    context: LogContext | undefined,
    error: unknown,
  ): void {
    const entry: LogEntry = {
      time: this.now(),
      seq: ++this.seq,
      level,
      module: logger.module,
      message,
      context,
      error,
      shortfunc: this.formatter.needsCaller ? callerName() : '',
    };
    const color = this.color ?? this.writer.isTTY === true;
    this.writer.write(`${this.formatter.format(entry, color)}\n`);
  }

  private apply(spec: LogSpec): void {
    this.current = spec;
    this.generation++;
  }
}

// Frames above the caller: write, FabricLogger.emit, FabricLogger.<level>.
const FRAMES_ABOVE_CALLER = 3;

/**
 * Go's %{shortfunc}: the calling function's name without its receiver or package. Call sites are
 * read structurally (no stack string, so no source-map lookups), which keeps it to about a microsecond.
 */
function callerName(): string {
  const holder: { stack?: NodeJS.CallSite[] } = {};
  const { prepareStackTrace, stackTraceLimit } = Error;
  Error.prepareStackTrace = (_error, callSites) => callSites;
  Error.stackTraceLimit = FRAMES_ABOVE_CALLER + 1;
  try {
    Error.captureStackTrace(holder, callerName);
    const site = holder.stack?.[FRAMES_ABOVE_CALLER];
    const name = site?.getFunctionName() ?? site?.getMethodName() ?? undefined;
    if (name === undefined || name === null || name === '') return '(anonymous)';
    return name.slice(name.lastIndexOf('.') + 1);
  } finally {
    Error.prepareStackTrace = prepareStackTrace;
    Error.stackTraceLimit = stackTraceLimit;
  }
}
