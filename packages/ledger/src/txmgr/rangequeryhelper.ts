// Fabric's RangeQueryResultsHelper: a range query's reads go into the rw-set raw while there are
// at most `maxDegree` (50) of them; beyond that they are summarised in a merkle tree of SHA-256 over
// serialized QueryReads chunks. Used by the simulator (to record) and the validator (to re-check).
import { createHash } from 'node:crypto';
import { kvrwset } from '@fabric-peer/protos';

export const MAX_DEGREE_QUERY_READS_HASHING = 50;

const sha256 = (b: Uint8Array): Buffer => createHash('sha256').update(b).digest();

class MerkleTree {
  private readonly tree = new Map<number, Buffer[]>();
  maxLevel = 1;

  constructor(readonly maxDegree: number) {}

  isEmpty(): boolean {
    return this.maxLevel === 1 && (this.tree.get(1)?.length ?? 0) === 0;
  }

  update(leaf: Buffer): void {
    this.level(1).push(leaf);
    let current = 1;
    for (;;) {
      const hashes = this.level(current);
      if (hashes.length <= this.maxDegree) return;
      const next = sha256(Buffer.concat(hashes));
      this.tree.delete(current);
      const nextLevel = current + 1;
      this.level(nextLevel).push(next);
      if (nextLevel > this.maxLevel) this.maxLevel = nextLevel;
      current = nextLevel;
    }
  }

  done(): void {
    let current = 1;
    let h: Buffer | undefined;
    while (current < this.maxLevel) {
      const hashes = this.tree.get(current) ?? [];
      if (hashes.length === 0) {
        current++;
        continue;
      }
      h = hashes.length === 1 ? hashes[0] : sha256(Buffer.concat(hashes));
      this.tree.delete(current);
      current++;
      this.level(current).push(h as Buffer);
    }
    const finals = this.tree.get(this.maxLevel) ?? [];
    if (finals.length > this.maxDegree) {
      this.tree.delete(this.maxLevel);
      this.maxLevel++;
      this.tree.set(this.maxLevel, [sha256(Buffer.concat(finals))]);
    }
  }

  summary(): kvrwset.QueryReadsMerkleSummary {
    return {
      maxDegree: this.maxDegree,
      maxLevel: this.maxLevel,
      maxLevelHashes: [...(this.tree.get(this.maxLevel) ?? [])],
    };
  }

  private level(n: number): Buffer[] {
    let l = this.tree.get(n);
    if (!l) {
      l = [];
      this.tree.set(n, l);
    }
    return l;
  }
}

export class RangeQueryResultsHelper {
  private pending: kvrwset.KVRead[] = [];
  private readonly mt: MerkleTree;

  constructor(readonly maxDegree = MAX_DEGREE_QUERY_READS_HASHING) {
    this.mt = new MerkleTree(maxDegree);
  }

  addResult(read: kvrwset.KVRead): void {
    this.pending.push(read);
    if (this.pending.length > this.maxDegree) this.processPending();
  }

  /** Raw reads (when few) or the merkle summary (when many). */
  done(): { reads: kvrwset.KVRead[]; summary: kvrwset.QueryReadsMerkleSummary | undefined } {
    if (this.mt.isEmpty()) return { reads: this.pending, summary: undefined };
    if (this.pending.length > 0) this.processPending();
    this.mt.done();
    return { reads: this.pending, summary: this.mt.summary() };
  }

  currentSummary(): kvrwset.QueryReadsMerkleSummary {
    return this.mt.summary();
  }

  private processPending(): void {
    const b = kvrwset.QueryReads.encode({ kvReads: this.pending });
    this.pending = [];
    this.mt.update(sha256(b));
  }
}
