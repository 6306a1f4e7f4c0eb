import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError, ERRORS, FabricPeerError, errorMessage } from '../errors/index.js';
import { applyEnvOverrides } from './env.js';
import { applyCodeDefaults, validateCrossKeys } from './finish.js';
import { PEER_CONFIG_SCHEMA } from './schema.js';
import { type MergeOptions, type Tree, buildDefaults, mergeLayer, resolvePaths } from './tree.js';
import type { PartialPeerConfig, PeerConfig } from './types.js';

/** Fabric's official config folder, searched after the current directory. */
export const OFFICIAL_CONFIG_PATH = '/etc/hyperledger/fabric';

export interface LoadPeerConfigOptions {
  /** Environment for FABRIC_CFG_PATH and CORE_* (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Where "the current directory" is (default process.cwd()). */
  cwd?: string;
  /** A core.yaml to use instead of searching. */
  configFile?: string;
  /** Typed values applied last, over the file and the environment (e.g. CLI flags). */
  overrides?: PartialPeerConfig;
  /**
   * When no core.yaml is found, carry on with Fabric's defaults (relative paths from `cwd`) instead
   * of failing as the Go peer does: the embedded development network needs no file.
   */
  fileOptional?: boolean;
}

export interface LoadedPeerConfig {
  config: PeerConfig;
  /** The core.yaml used (relative paths were taken from its folder); undefined when none was. */
  configFile: string | undefined;
  /** Keys in the file the peer does not know (Fabric ignores them too). */
  unknownKeys: string[];
  /** Keys set from CORE_* variables. */
  envKeys: string[];
}

/**
 * Finds core.yaml the way the Go peer does (FABRIC_CFG_PATH only, when set; otherwise the current
 * directory, then /etc/hyperledger/fabric), merges it over Fabric's defaults, applies CORE_*
 * variables, resolves relative paths against the file's folder and validates the result.
 */
export function loadPeerConfig(options: LoadPeerConfigOptions = {}): LoadedPeerConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const configFile = options.configFile
    ? resolve(cwd, options.configFile)
    : locate(env, cwd, options.fileOptional);
  const document = configFile === undefined ? undefined : readYaml(configFile);

  const config = buildDefaults(PEER_CONFIG_SCHEMA) as Tree;
  const unknownKeys: string[] = [];
  const fileLayer: MergeOptions = {
    source: 'text',
    strict: false,
    unknownKeys,
    origin: `in ${configFile ?? ''}`,
  };
  mergeLayer(PEER_CONFIG_SCHEMA, config, document, '', fileLayer);
  const envKeys = applyEnvOverrides(PEER_CONFIG_SCHEMA, config, env);
  if (options.overrides !== undefined) {
    mergeLayer(PEER_CONFIG_SCHEMA, config, options.overrides, '', {
      source: 'typed',
      strict: true,
      unknownKeys,
    });
  }
  resolvePaths(PEER_CONFIG_SCHEMA, config, configFile === undefined ? cwd : dirname(configFile));
  const typed = config as unknown as PeerConfig;
  applyCodeDefaults(typed);
  validateCrossKeys(typed);
  return { config: typed, configFile, unknownKeys, envKeys };
}

export function findConfigFile(
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
  name = 'core',
): string {
  const altPath = env.FABRIC_CFG_PATH;
  let folders: string[];
  if (altPath !== undefined && altPath !== '') {
    // When set, FABRIC_CFG_PATH is the only place Fabric looks.
    const folder = resolve(cwd, altPath);
    if (!isDirectory(folder)) throw new ConfigError(ERRORS.CONFIG.CFG_PATH_MISSING, { path: altPath });
    folders = [folder];
  } else {
    folders = [cwd, OFFICIAL_CONFIG_PATH];
  }
  for (const folder of folders) {
    for (const ext of ['yaml', 'yml']) {
      const file = join(folder, `${name}.${ext}`);
      if (existsSync(file)) return file;
    }
  }
  throw new ConfigError(ERRORS.CONFIG.FILE_NOT_FOUND, { name, searched: JSON.stringify(folders) });
}

function locate(
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
  fileOptional: boolean | undefined,
): string | undefined {
  try {
    return findConfigFile(env, cwd);
  } catch (error) {
    if (fileOptional === true && FabricPeerError.is(error, ERRORS.CONFIG.FILE_NOT_FOUND)) return undefined;
    throw error;
  }
}

function readYaml(file: string): unknown {
  try {
    return parseYaml(readFileSync(file, 'utf8')) as unknown;
  } catch (cause) {
    const reason = errorMessage(cause);
    throw new ConfigError(ERRORS.CONFIG.PARSE_FAILED, { file, reason }, { cause });
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
