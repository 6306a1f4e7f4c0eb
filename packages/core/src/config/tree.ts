// Walks the schema tree: builds defaults, merges a layer (file, environment, typed object) over a
// config, and resolves relative paths. Keys match case-insensitively, as viper matches them.
import { isAbsolute, resolve } from 'node:path';
import { ConfigError, ERRORS } from '../errors/index.js';
import { type Leaf, type Source, isLeaf } from './leaf.js';

export type Tree = Record<string, unknown>;
type SchemaTree = { readonly [key: string]: unknown };

const isPlainObject = (x: unknown): x is Tree => typeof x === 'object' && x !== null && !Array.isArray(x);
const join = (prefix: string, key: string): string => (prefix === '' ? key : `${prefix}.${key}`);

export function buildDefaults(schema: SchemaTree): Tree {
  const out: Tree = {};
  for (const [key, node] of Object.entries(schema)) {
    out[key] = isLeaf(node) ? structuredClone(node.default) : buildDefaults(node as SchemaTree);
  }
  return out;
}

export interface MergeOptions {
  source: Source;
  /** Unknown keys: thrown as ConfigError when strict (typed input), else collected (core.yaml). */
  strict: boolean;
  unknownKeys: string[];
  /** Appended to the offending value in errors, e.g. "from core.yaml". */
  origin?: string;
}

export function mergeLayer(
  schema: SchemaTree,
  target: Tree,
  layer: unknown,
  prefix: string,
  opts: MergeOptions,
): void {
  if (layer === null || layer === undefined) return;
  if (!isPlainObject(layer))
    throw invalid(prefix === '' ? '(root)' : prefix, 'a mapping', layer, opts.origin);
  const byLowerCase = new Map(Object.keys(schema).map((k) => [k.toLowerCase(), k]));
  for (const [rawKey, rawValue] of Object.entries(layer)) {
    const key = byLowerCase.get(rawKey.toLowerCase());
    if (key === undefined) {
      const unknownKey = join(prefix, rawKey);
      if (opts.strict) {
        const known = [...byLowerCase.values()];
        const guess = closest(rawKey, known);
        throw new ConfigError(ERRORS.CONFIG.INVALID_VALUE, {
          key: unknownKey,
          expected:
            guess === undefined
              ? `one of the keys ${known.join(', ')}`
              : `a known key (did you mean ${join(prefix, guess)}?)`,
          actual: 'an unknown key',
        });
      }
      opts.unknownKeys.push(unknownKey);
      continue;
    }
    const node = schema[key];
    const keyPath = join(prefix, key);
    if (isLeaf(node)) {
      // An empty yaml value (`endpoint:`) or an absent typed property leaves the default in place.
      if (rawValue === null || rawValue === undefined) continue;
      // A typed partial adds to a pass-through mapping ({ chaincode: { system: { cscc: 'disable' } } }
      // keeps the other system chaincodes); a file states the whole mapping, as Fabric reads it.
      const current = target[key];
      const merged =
        opts.source === 'typed' &&
        node.kind === 'structured' &&
        isPlainObject(current) &&
        isPlainObject(rawValue)
          ? { ...current, ...rawValue }
          : rawValue;
      target[key] = convertOrThrow(node, merged, keyPath, opts.source, opts.origin);
    } else {
      mergeLayer(node as SchemaTree, target[key] as Tree, rawValue, keyPath, opts);
    }
  }
}

export function convertOrThrow(
  node: Leaf<unknown>,
  raw: unknown,
  key: string,
  source: Source,
  origin?: string,
): unknown {
  const value = node.convert(raw, source);
  if (value === undefined) throw invalid(key, node.expected, raw, origin);
  return value;
}

function invalid(key: string, expected: string, raw: unknown, origin: string | undefined): ConfigError {
  const error = ConfigError.invalidValue(key, expected, raw);
  if (origin === undefined) return error;
  return new ConfigError(ERRORS.CONFIG.INVALID_VALUE, {
    key,
    expected,
    actual: `${String(error.args.actual)} (${origin})`,
  });
}

/** Calls `visit` for every leaf with its dotted key path and the object holding its value. */
export function forEachLeaf(
  schema: SchemaTree,
  target: Tree,
  visit: (leaf: Leaf<unknown>, keyPath: string, holder: Tree, key: string) => void,
  prefix = '',
): void {
  for (const [key, node] of Object.entries(schema)) {
    const keyPath = join(prefix, key);
    if (isLeaf(node)) visit(node, keyPath, target, key);
    else forEachLeaf(node as SchemaTree, target[key] as Tree, visit, keyPath);
  }
}

/** Fabric's config.GetPath: a relative path is taken from the config file's folder. */
export function resolvePaths(schema: SchemaTree, target: Tree, baseDir: string): void {
  const translate = (p: string): string => (p === '' || isAbsolute(p) ? p : resolve(baseDir, p));
  forEachLeaf(schema, target, (leaf, _keyPath, holder, key) => {
    const value = holder[key];
    if (leaf.kind === 'path' && typeof value === 'string') holder[key] = translate(value);
    if (leaf.kind === 'paths' && Array.isArray(value)) holder[key] = value.map((p) => translate(String(p)));
  });
}

/** The known key within two edits of a typo, if there is exactly one best. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
