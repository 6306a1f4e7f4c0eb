export { main, type MainOptions } from './main.js';
export type { CliIO } from './program.js';
export { CliUsageError } from './program.js';
export { FABRIC_PEER_VERSION, formatVersion } from './version.js';
