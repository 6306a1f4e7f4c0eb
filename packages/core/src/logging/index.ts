export type { LogContext } from './entry.js';
export { DEFAULT_LOG_FORMAT } from './format.js';
export { LEVELS, isValidLevel, parseLevel, type Level } from './levels.js';
export { FabricLogger, NOOP_LOGGER, type Logger } from './logger.js';
export { LoggingSystem, type LogWriter, type LoggingOptions } from './logging-system.js';
export { formatLogSpec, levelFor, parseLogSpec, type LogSpec } from './spec.js';
