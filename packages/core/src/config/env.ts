// CORE_* environment overrides: viper's AutomaticEnv with prefix CORE and "." -> "_". Only keys the
// peer knows can be overridden, like viper, which only looks up keys it has seen.
import { ConfigError, ERRORS } from '../errors/index.js';
import type { Leaf } from './leaf.js';
import { type Tree, convertOrThrow, forEachLeaf } from './tree.js';

export const ENV_PREFIX = 'CORE';

/** `peer.tls.enabled` -> `CORE_PEER_TLS_ENABLED`. */
export function envName(keyPath: string, prefix = ENV_PREFIX): string {
  return `${prefix}_${keyPath.toUpperCase().replace(/\./g, '_')}`;
}

/** Applies every set (non-empty, as viper ignores empty ones) CORE_* variable; returns the keys set. */
export function applyEnvOverrides(
  schema: { readonly [key: string]: unknown },
  target: Tree,
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  const applied: string[] = [];
  forEachLeaf(schema, target, (leaf, keyPath, holder, key) => {
    const name = envName(keyPath);
    const raw = env[name];
    if (raw !== undefined && raw !== '') {
      holder[key] = convertOrThrow(leaf, raw, keyPath, 'text', `from ${name}`);
      applied.push(keyPath);
    }
    if (leaf.kind === 'structured') applyNested(leaf, keyPath, holder, key, env, applied);
  });
  return applied;
}

/**
 * Inside a mapping kept as written (vm.docker.hostConfig, chaincode.system, handlers), viper also
 * honours a variable per key it found in the file: CORE_CHAINCODE_SYSTEM_CSCC=disable.
 */
function applyNested(
  leaf: Leaf<unknown>,
  keyPath: string,
  holder: Tree,
  key: string,
  env: Readonly<Record<string, string | undefined>>,
  applied: string[],
): void {
  const value = holder[key];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
  const copy = structuredClone(value) as Tree;
  let changed = false;
  const walk = (node: Tree, prefix: string): void => {
    for (const [k, v] of Object.entries(node)) {
      const nestedPath = `${prefix}.${k}`;
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
        walk(v as Tree, nestedPath);
        continue;
      }
      const raw = env[envName(nestedPath)];
      if (raw === undefined || raw === '') continue;
      node[k] = coerceLike(v, raw);
      applied.push(nestedPath);
      changed = true;
    }
  };
  walk(copy, keyPath);
  if (!changed) return;
  const converted = leaf.convert(copy, 'typed');
  if (converted === undefined) {
    throw new ConfigError(ERRORS.CONFIG.INVALID_VALUE, {
      key: keyPath,
      expected: leaf.expected,
      actual: `${JSON.stringify(copy)} (after environment overrides)`,
    });
  }
  holder[key] = converted;
}

/** An environment string takes the type of the value it replaces. */
function coerceLike(previous: unknown, raw: string): unknown {
  if (typeof previous === 'number' && raw.trim() !== '' && Number.isFinite(Number(raw))) return Number(raw);
  if (typeof previous === 'boolean' && /^(true|false)$/i.test(raw.trim()))
    return raw.trim().toLowerCase() === 'true';
  return raw;
}
