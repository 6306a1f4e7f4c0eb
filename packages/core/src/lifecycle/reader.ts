// Chaincode definitions read from a channel's committed state, with a small cache that the committer
// clears after every block that wrote `_lifecycle` (definitions only change through such blocks).
import { type KVLedger, type QueryExecutor } from '@fabric-peer/ledger';
import { type ChaincodeDefinition, LIFECYCLE_NAMESPACE, decodeChaincodeDefinition } from './state.js';

export class ChaincodeDefinitionReader {
  private readonly cache = new Map<string, ChaincodeDefinition | null>();
  /** Bumped by invalidate(): a read that started before a commit must not refill the cache. */
  private generation_ = 0;

  constructor(
    private readonly ledger: KVLedger,
    private readonly maxEntries = 1024,
  ) {}

  /** The committed definition of `name`, or undefined. */
  async get(name: string): Promise<ChaincodeDefinition | undefined> {
    const hit = this.cache.get(name);
    if (hit !== undefined) return hit ?? undefined;
    const generation = this.generation_;
    const qe = await this.ledger.newQueryExecutor();
    try {
      const def = await readChaincodeDefinition(qe, name);
      if (generation !== this.generation_) return def;
      if (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(name, def ?? null);
      return def;
    } finally {
      await qe.done();
    }
  }

  /** Changes whenever `_lifecycle` state may have changed: caches of anything read from it key on this. */
  get generation(): number {
    return this.generation_;
  }

  /** Forget everything (after a block that wrote `_lifecycle`). */
  invalidate(): void {
    this.generation_++;
    this.cache.clear();
  }
}

/** One definition read through an open query executor (the validator's view of state). */
export function readChaincodeDefinition(
  qe: QueryExecutor,
  name: string,
): Promise<ChaincodeDefinition | undefined> {
  return decodeChaincodeDefinition(name, (key) => qe.getState(LIFECYCLE_NAMESPACE, key));
}
