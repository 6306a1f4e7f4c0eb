// Composite keys in the chaincode shim's encoding: "\x00" + objectType + "\x00" + each attribute + "\x00".
// Simple keys never start with "\x00", so a range over simple keys ("\x01".."") skips them.
import { LedgerError, LedgerErrorCode } from '../errors.js';

export const COMPOSITE_KEY_NAMESPACE = '\x00';
const MIN_UNICODE_RUNE = '\x00';
/** U+10FFFF: the end of a partial composite key range, as the shim builds it. */
export const MAX_UNICODE_RUNE = '\u{10FFFF}';

function check(s: string, what: string): void {
  if (s.includes(MIN_UNICODE_RUNE) || s.includes(MAX_UNICODE_RUNE)) {
    throw new LedgerError(LedgerErrorCode.INVALID_ARGUMENT, `${what} must not contain U+0000 or U+10FFFF`);
  }
}

export function createCompositeKey(objectType: string, attributes: readonly string[]): string {
  check(objectType, 'object type');
  let key = COMPOSITE_KEY_NAMESPACE + objectType + MIN_UNICODE_RUNE;
  for (const a of attributes) {
    check(a, 'attribute');
    key += a + MIN_UNICODE_RUNE;
  }
  return key;
}

export function splitCompositeKey(key: string): { objectType: string; attributes: string[] } {
  if (!key.startsWith(COMPOSITE_KEY_NAMESPACE)) {
    throw new LedgerError(LedgerErrorCode.INVALID_ARGUMENT, 'not a composite key');
  }
  const parts = key.slice(1).split(MIN_UNICODE_RUNE);
  // The key ends with the separator, so the last element is empty.
  parts.pop();
  const [objectType = '', ...attributes] = parts;
  return { objectType, attributes };
}

/** [start, end) covering every composite key that begins with objectType + attributes. */
export function partialCompositeKeyRange(
  objectType: string,
  attributes: readonly string[],
): { startKey: string; endKey: string } {
  const startKey = createCompositeKey(objectType, attributes);
  return { startKey, endKey: startKey + MAX_UNICODE_RUNE };
}
