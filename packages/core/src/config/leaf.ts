// The leaves of the configuration schema: for each key, its default and how a raw value (from
// core.yaml, a CORE_* variable, or a typed object) becomes the typed value.
import { parse as parseYaml } from 'yaml';
import {
  durationFromText,
  parseBool,
  parseGoDuration,
  parseNumber,
  parseSize,
  parseStringList,
  splitHostPort,
} from './values.js';

/** `text`: core.yaml or the environment, Go conventions. `typed`: a JS object, numbers are ms. */
export type Source = 'text' | 'typed';

export type LeafKind = 'value' | 'path' | 'paths' | 'structured';

export const LEAF: unique symbol = Symbol('config leaf');

export interface Leaf<T> {
  readonly [LEAF]: true;
  /** `path`/`paths` are resolved against the config file's folder; `structured` may come as YAML text. */
  readonly kind: LeafKind;
  readonly default: T;
  /** What a valid value looks like, for error messages. */
  readonly expected: string;
  /** The typed value, or undefined when the raw value is not acceptable. */
  convert(raw: unknown, source: Source): T | undefined;
}

export function isLeaf(node: unknown): node is Leaf<unknown> {
  return typeof node === 'object' && node !== null && LEAF in node;
}

function leaf<T>(
  kind: LeafKind,
  defaultValue: T,
  expected: string,
  convert: (raw: unknown, source: Source) => T | undefined,
): Leaf<T> {
  return { [LEAF]: true, kind, default: defaultValue, expected, convert };
}

export function str(defaultValue = ''): Leaf<string> {
  return leaf('value', defaultValue, 'a string', (raw) =>
    typeof raw === 'string'
      ? raw
      : typeof raw === 'number' || typeof raw === 'boolean'
        ? String(raw)
        : undefined,
  );
}

/** One of a fixed set, matched case-insensitively and stored in Fabric's spelling. */
export function oneOf<T extends string>(defaultValue: T, values: readonly T[]): Leaf<T> {
  return leaf('value', defaultValue, `one of ${values.join(', ')}`, (raw) =>
    typeof raw === 'string' ? values.find((v) => v.toLowerCase() === raw.trim().toLowerCase()) : undefined,
  );
}

export function bool(defaultValue: boolean): Leaf<boolean> {
  return leaf('value', defaultValue, 'a boolean', parseBool);
}

export function int(defaultValue: number, min = 0): Leaf<number> {
  return leaf('value', defaultValue, `an integer >= ${min}`, (raw) => {
    const n = parseNumber(raw);
    return n !== undefined && Number.isInteger(n) && n >= min ? n : undefined;
  });
}

export function ratio(defaultValue: number): Leaf<number> {
  return leaf('value', defaultValue, 'a number between 0 and 1', (raw) => {
    const n = parseNumber(raw);
    return n !== undefined && n >= 0 && n <= 1 ? n : undefined;
  });
}

/** A Go duration in the yaml ("30s"); milliseconds when typed. */
export function duration(defaultText: string): Leaf<number> {
  const defaultValue = parseGoDuration(defaultText);
  if (defaultValue === undefined) throw new Error(`bad default duration ${defaultText}`);
  return leaf('value', defaultValue, 'a duration such as "30s", "15m" or "300ms"', (raw, source) => {
    if (source === 'typed' && typeof raw === 'number')
      return Number.isFinite(raw) && raw >= 0 ? raw : undefined;
    return durationFromText(raw);
  });
}

/** A count of seconds in the yaml (Fabric's `chaincode.keepalive`); milliseconds when typed. */
export function seconds(defaultSeconds: number): Leaf<number> {
  return leaf('value', defaultSeconds * 1000, 'a number of seconds', (raw, source) => {
    const n = parseNumber(raw);
    if (n === undefined || n < 0) return typeof raw === 'string' ? parseGoDuration(raw) : undefined;
    return source === 'typed' ? n : n * 1000;
  });
}

export function size(defaultBytes: number): Leaf<number> {
  return leaf('value', defaultBytes, 'a size in bytes such as 104857600 or "100 MB"', parseSize);
}

/** host:port; `optional` lets it be empty (Fabric then derives it). */
export function address(defaultValue: string, optional = false): Leaf<string> {
  return leaf('value', defaultValue, 'host:port', (raw) => {
    if (typeof raw !== 'string') return undefined;
    const s = raw.trim();
    if (s === '' && optional) return s;
    return splitHostPort(s) === undefined ? undefined : s;
  });
}

export function path(defaultValue = ''): Leaf<string> {
  return leaf('path', defaultValue, 'a file path', (raw) =>
    typeof raw === 'string' ? raw.trim() : undefined,
  );
}

export function paths(defaultValue: string[] = []): Leaf<string[]> {
  return leaf('paths', defaultValue, 'a list of file paths', parseStringList);
}

export function list(defaultValue: string[] = []): Leaf<string[]> {
  return leaf('value', defaultValue, 'a list of strings', parseStringList);
}

function fromYamlText(raw: unknown, source: Source): unknown {
  if (source !== 'text' || typeof raw !== 'string') return raw;
  try {
    return parseYaml(raw) as unknown;
  } catch {
    return undefined;
  }
}

const isPlainObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/** A mapping kept as written (Docker's HostConfig, PKCS11 options); YAML text from the environment. */
export function record<T extends Record<string, unknown>>(defaultValue: T): Leaf<T> {
  return leaf('structured', defaultValue, 'a mapping', (raw, source) => {
    const value = fromYamlText(raw, source);
    return isPlainObject(value) ? (structuredClone(value) as T) : undefined;
  });
}

/**
 * A list of mappings each holding the required string keys (external builders, handlers, address
 * overrides). Fabric lets the environment give it as YAML flow text: `[{name: b, path: /p}]`.
 */
export function objectList<T extends object>(
  defaultValue: T[],
  required: readonly string[],
  normalize: (item: Record<string, unknown>) => T = (item) => item as T,
): Leaf<T[]> {
  return leaf('structured', defaultValue, `a list of mappings with ${required.join(', ')}`, (raw, source) => {
    const value = fromYamlText(raw, source);
    if (!Array.isArray(value)) return undefined;
    const ok = value.every(
      (item) => isPlainObject(item) && required.every((k) => typeof item[k] === 'string' && item[k] !== ''),
    );
    return ok ? (structuredClone(value) as Record<string, unknown>[]).map(normalize) : undefined;
  });
}

/** A mapping of name -> value where every value passes `valid`. */
export function mapOf<T>(
  defaultValue: Record<string, T>,
  expected: string,
  valid: (value: unknown) => T | undefined,
): Leaf<Record<string, T>> {
  return leaf('structured', defaultValue, expected, (raw, source) => {
    const value = fromYamlText(raw, source);
    if (!isPlainObject(value)) return undefined;
    const out: Record<string, T> = {};
    for (const [k, v] of Object.entries(value)) {
      const converted = valid(v);
      if (converted === undefined) return undefined;
      out[k] = converted;
    }
    return out;
  });
}
