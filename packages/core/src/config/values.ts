// Parsers for the value shapes core.yaml uses, following Go's rules (time.ParseDuration,
// strconv.ParseBool, net.SplitHostPort) so a value Fabric accepts is accepted here and vice versa.

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Go duration ("1h30m", "1.5s", "300ms", "0") to milliseconds; undefined if not one. */
export function parseGoDuration(text: string): number | undefined {
  const s = text.trim();
  if (s === '0') return 0;
  const whole = /^[+]?((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;
  if (!whole.test(s)) return undefined;
  let total = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    total += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? NaN);
  }
  return Number.isFinite(total) ? total : undefined;
}

/**
 * A duration as viper's cast.ToDuration reads it from a file or the environment: a Go duration
 * string, or a bare number meaning nanoseconds (Go's unit, rarely what people mean, but Fabric's).
 */
export function durationFromText(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) && raw >= 0 ? raw / 1e6 : undefined;
  if (typeof raw !== 'string') return undefined;
  if (/^\s*\d+\s*$/.test(raw)) return Number(raw) / 1e6;
  return parseGoDuration(raw);
}

const SIZE_UNITS: Readonly<Record<string, number>> = { '': 1, B: 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

/** Bytes from a number or Fabric's "100 MB" / "10KB" / "1G" form (binary multiples, as Fabric). */
export function parseSize(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isSafeInteger(raw) && raw >= 0 ? raw : undefined;
  if (typeof raw !== 'string') return undefined;
  const m = /^\s*(\d+)\s*([KMG]?)i?B?\s*$/i.exec(raw);
  if (m === null) return undefined;
  const unit = SIZE_UNITS[(m[2] ?? '').toUpperCase()] ?? 1;
  const bytes = Number(m[1]) * unit;
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** strconv.ParseBool's spellings. */
export function parseBool(raw: unknown): boolean | undefined {
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'number') return raw === 1 ? true : raw === 0 ? false : undefined;
  if (typeof raw !== 'string') return undefined;
  const s = raw.trim();
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(s)) return false;
  return undefined;
}

export function parseNumber(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(Number(raw))) return Number(raw);
  return undefined;
}

/** net.SplitHostPort's view of "host:port" (host may be empty or a bracketed IPv6 address). */
export function splitHostPort(address: string): { host: string; port: number } | undefined {
  const m = /^(\[[0-9A-Fa-f:.%\w]+\]|[^:[\]\s]*):(\d{1,5})$/.exec(address);
  if (m === null) return undefined;
  const port = Number(m[2]);
  if (port > 65535) return undefined;
  const host = (m[1] ?? '').replace(/^\[(.*)\]$/, '$1');
  return { host, port };
}

/**
 * A list as viper's GetStringSlice reads an environment value: a YAML flow list ("[a, b]"), or words
 * separated by spaces (and commas, which Fabric users write as often).
 */
export function parseStringList(raw: unknown): string[] | undefined {
  if (Array.isArray(raw)) {
    return raw.every((x) => typeof x === 'string' || typeof x === 'number') ? raw.map(String) : undefined;
  }
  if (typeof raw !== 'string') return undefined;
  const s = raw.trim();
  if (s.startsWith('[') && s.endsWith(']')) return splitWords(s.slice(1, -1));
  return splitWords(s);
}

function splitWords(s: string): string[] {
  return s
    .split(/[\s,]+/)
    .map((w) => w.replace(/^["']|["']$/g, ''))
    .filter((w) => w !== '');
}
