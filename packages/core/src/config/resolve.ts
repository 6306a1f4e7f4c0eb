import { applyCodeDefaults, validateCrossKeys } from './finish.js';
import { PEER_CONFIG_SCHEMA } from './schema.js';
import { type Tree, buildDefaults, mergeLayer, resolvePaths } from './tree.js';
import type { PartialPeerConfig, PeerConfig } from './types.js';

export interface ResolvePeerConfigOptions {
  /** Folder relative paths are taken from (Fabric: the config file's folder); default process.cwd(). */
  baseDir?: string;
}

/**
 * For library use: a typed partial config merged (deeply) over Fabric's defaults and validated.
 * Durations are milliseconds here (Go duration strings such as "30s" are accepted too); an unknown
 * key or a wrong value throws a ConfigError naming the key.
 */
export function resolvePeerConfig(
  partial: PartialPeerConfig = {},
  options: ResolvePeerConfigOptions = {},
): PeerConfig {
  const config = buildDefaults(PEER_CONFIG_SCHEMA) as Tree;
  mergeLayer(PEER_CONFIG_SCHEMA, config, partial, '', { source: 'typed', strict: true, unknownKeys: [] });
  resolvePaths(PEER_CONFIG_SCHEMA, config, options.baseDir ?? process.cwd());
  const typed = config as unknown as PeerConfig;
  applyCodeDefaults(typed);
  validateCrossKeys(typed);
  return typed;
}

/** Fabric's defaults as a fresh object, before code defaults and path resolution. */
export function defaultPeerConfig(): PeerConfig {
  return buildDefaults(PEER_CONFIG_SCHEMA) as unknown as PeerConfig;
}
