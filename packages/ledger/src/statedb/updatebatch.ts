// The writes of a block's valid transactions, by namespace then key, before they reach the
// state DB in one atomic batch. Later writes to a key replace earlier ones (the last valid tx wins).
import { latin1OfUtf8 } from '../internal/bytes.js';
import { type Height } from './types.js';

export interface KeyUpdate {
  /** The key as stored: UTF-8 of a public key, or the raw key hash of a hashed key. */
  keyBytes: Buffer;
  /** null = delete. */
  value: Buffer | null;
  version: Height;
  metadata: Buffer | undefined;
}

export class UpdateBatch {
  private readonly byNs = new Map<string, Map<string, KeyUpdate>>();

  // `id`: keyBytes as a latin1 string (the map key), when the caller has it already.

  put(
    ns: string,
    keyBytes: Buffer,
    value: Buffer,
    version: Height,
    metadata?: Buffer,
    id = keyBytes.toString('latin1'),
  ): void {
    this.nsMap(ns).set(id, { keyBytes, value, version, metadata });
  }

  delete(ns: string, keyBytes: Buffer, version: Height, id = keyBytes.toString('latin1')): void {
    this.nsMap(ns).set(id, { keyBytes, value: null, version, metadata: undefined });
  }

  get(ns: string, keyBytes: Buffer, id = keyBytes.toString('latin1')): KeyUpdate | undefined {
    return this.byNs.get(ns)?.get(id);
  }

  exists(ns: string, keyBytes: Buffer): boolean {
    return this.byNs.get(ns)?.has(keyBytes.toString('latin1')) ?? false;
  }

  /** exists() for a public key given as a string (its UTF-8 bytes are the key). */
  existsKey(ns: string, key: string): boolean {
    return this.byNs.get(ns)?.has(latin1OfUtf8(key)) ?? false;
  }

  namespaces(): string[] {
    return [...this.byNs.keys()];
  }

  /** The updates of one namespace, sorted by key bytes (Go's string order). */
  sortedUpdates(ns: string): KeyUpdate[] {
    const m = this.byNs.get(ns);
    if (!m) return [];
    return [...m.values()].sort((a, b) => Buffer.compare(a.keyBytes, b.keyBytes));
  }

  get size(): number {
    let n = 0;
    for (const m of this.byNs.values()) n += m.size;
    return n;
  }

  *all(): IterableIterator<[string, KeyUpdate]> {
    for (const [ns, m] of this.byNs) for (const u of m.values()) yield [ns, u];
  }

  private nsMap(ns: string): Map<string, KeyUpdate> {
    let m = this.byNs.get(ns);
    if (!m) {
      m = new Map();
      this.byNs.set(ns, m);
    }
    return m;
  }
}
