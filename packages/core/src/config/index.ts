export type * from './types.js';
export { DEFAULT_CHAINCODE_PORT, deriveAddresses, localIP, type DerivedAddresses } from './derived.js';
export { envName, ENV_PREFIX } from './env.js';
export {
  findConfigFile,
  loadPeerConfig,
  OFFICIAL_CONFIG_PATH,
  type LoadPeerConfigOptions,
  type LoadedPeerConfig,
} from './load.js';
export { defaultPeerConfig, resolvePeerConfig, type ResolvePeerConfigOptions } from './resolve.js';
export { parseGoDuration, parseSize, splitHostPort } from './values.js';
