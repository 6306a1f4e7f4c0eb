import type { LogContext } from './entry.js';
import { type Level, LEVEL_VALUE } from './levels.js';

/**
 * The structural logger every component receives (never a global). Anything with these four
 * methods will do, so tests and embedders can pass their own.
 */
export interface Logger {
  debug(message: string, context?: LogContext, error?: unknown): void;
  info(message: string, context?: LogContext, error?: unknown): void;
  warn(message: string, context?: LogContext, error?: unknown): void;
  error(message: string, context?: LogContext, error?: unknown): void;
}

/** A logger that drops everything: the default for components given no logger. */
export const NOOP_LOGGER: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** What a FabricLogger needs from its logging system; kept narrow so the two files stay apart. */
export interface LogSink {
  /** Bumped whenever levels change, so loggers know their cached threshold is stale. */
  readonly generation: number;
  thresholdFor(module: string): number;
  write(
    logger: FabricLogger,
    level: Level,
    message: string,
    context: LogContext | undefined,
    error: unknown,
  ): void;
}

const DEBUG = LEVEL_VALUE.debug;
const INFO = LEVEL_VALUE.info;
const WARN = LEVEL_VALUE.warn;
const ERROR = LEVEL_VALUE.error;

/** A named logger whose level follows the system's spec; a disabled call costs two comparisons. */
export class FabricLogger implements Logger {
  private generation = -1;
  private threshold = INFO;

  constructor(
    private readonly sink: LogSink,
    readonly module: string,
    readonly context: LogContext | undefined = undefined,
  ) {}

  /** A logger with the same module and extra context on every line (e.g. `{ channel }`). */
  with(context: LogContext): FabricLogger {
    return new FabricLogger(this.sink, this.module, { ...this.context, ...context });
  }

  isEnabledFor(level: Level): boolean {
    return LEVEL_VALUE[level] >= this.currentThreshold();
  }

  debug(message: string, context?: LogContext, error?: unknown): void {
    if (DEBUG >= this.currentThreshold()) this.emit('debug', message, context, error);
  }

  info(message: string, context?: LogContext, error?: unknown): void {
    if (INFO >= this.currentThreshold()) this.emit('info', message, context, error);
  }

  warn(message: string, context?: LogContext, error?: unknown): void {
    if (WARN >= this.currentThreshold()) this.emit('warn', message, context, error);
  }

  error(message: string, context?: LogContext, error?: unknown): void {
    if (ERROR >= this.currentThreshold()) this.emit('error', message, context, error);
  }

  private currentThreshold(): number {
    if (this.generation !== this.sink.generation) {
      this.threshold = this.sink.thresholdFor(this.module);
      this.generation = this.sink.generation;
    }
    return this.threshold;
  }

  private emit(level: Level, message: string, context: LogContext | undefined, error: unknown): void {
    const merged =
      this.context === undefined
        ? context
        : context === undefined
          ? this.context
          : { ...this.context, ...context };
    this.sink.write(this, level, message, merged, error);
  }
}
