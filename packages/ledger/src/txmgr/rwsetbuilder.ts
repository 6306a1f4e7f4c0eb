// Collects what a simulation read and wrote and lays it out as Fabric's RWSetBuilder does:
// namespaces sorted, reads / writes / metadata writes sorted by key, range queries in the order
// they were made (identical ones once). Two peers simulating the same call get identical bytes.
import { createHash } from 'node:crypto';
import { kvrwset, rwset } from '@fabric-peer/protos';
import { compareUtf8 } from '../internal/bytes.js';
import { type Height } from '../statedb/types.js';
import { type CollHashedRwSet, type NsRwSet, type TxRwSet } from './rwset.js';

interface NsBuilder {
  reads: Map<string, kvrwset.KVRead>;
  writes: Map<string, kvrwset.KVWrite>;
  metadataWrites: Map<string, kvrwset.KVMetadataWrite>;
  rangeQueries: Map<string, kvrwset.RangeQueryInfo>;
  /** Per collection: hashed reads and writes (public rw-set), plain writes (private rw-set). */
  colls: Map<string, CollBuilder>;
}

interface CollBuilder {
  reads: Map<string, kvrwset.KVReadHash>;
  hashedWrites: Map<string, kvrwset.KVWriteHash>;
  pvtWrites: Map<string, kvrwset.KVWrite>;
}

const sha256 = (b: Uint8Array | string): Buffer => createHash('sha256').update(b).digest();

function protoVersion(v: Height | undefined): kvrwset.Version | undefined {
  return v === undefined ? undefined : { blockNum: v.blockNum, txNum: v.txNum };
}

function sortedValues<T>(m: Map<string, T>): T[] {
  return [...m.keys()].sort(compareUtf8).map((k) => m.get(k) as T);
}

export class RWSetBuilder {
  private readonly ns = new Map<string, NsBuilder>();

  addToReadSet(ns: string, key: string, version: Height | undefined): void {
    const read: kvrwset.KVRead = { key, version: protoVersion(version) } as kvrwset.KVRead;
    this.nsBuilder(ns).reads.set(key, read);
  }

  /** value undefined (or empty) = delete, as Fabric's newKVWrite. */
  addToWriteSet(ns: string, key: string, value: Uint8Array | undefined): void {
    const v = value ?? new Uint8Array();
    this.nsBuilder(ns).writes.set(key, { key, isDelete: v.length === 0, value: v });
  }

  addToMetadataWriteSet(ns: string, key: string, metadata: Record<string, Uint8Array>): void {
    const entries = Object.keys(metadata)
      .sort(compareUtf8)
      .map((name) => ({ name, value: metadata[name] as Uint8Array }));
    this.nsBuilder(ns).metadataWrites.set(key, { key, entries });
  }

  addToRangeQuerySet(ns: string, rqi: kvrwset.RangeQueryInfo): void {
    const id = JSON.stringify([rqi.startKey, rqi.endKey, rqi.itrExhausted]);
    const m = this.nsBuilder(ns).rangeQueries;
    if (!m.has(id)) m.set(id, rqi);
  }

  /** Records a read of a private key's hash; sorted by the plain key, as Fabric's collHashRwBuilder. */
  addToHashedReadSet(
    ns: string,
    coll: string,
    key: string,
    keyHash: Uint8Array,
    version: Height | undefined,
  ): void {
    this.coll(ns, coll).reads.set(key, { keyHash, version: protoVersion(version) } as kvrwset.KVReadHash);
  }

  /** A private write (value undefined or empty = delete): plain in the private rw-set, hashed in the public one. */
  addToPvtAndHashedWriteSet(ns: string, coll: string, key: string, value: Uint8Array | undefined): void {
    const v = value ?? new Uint8Array();
    const isDelete = v.length === 0;
    const c = this.coll(ns, coll);
    c.pvtWrites.set(key, { key, isDelete, value: v });
    c.hashedWrites.set(key, {
      keyHash: sha256(key),
      isDelete,
      valueHash: isDelete ? new Uint8Array() : sha256(v),
      isPurge: false,
    });
  }

  /** The private rw-set (rwset.TxPvtReadWriteSet), undefined when nothing private was written. */
  buildPvt(): rwset.TxPvtReadWriteSet | undefined {
    const nsPvtRwset: rwset.NsPvtReadWriteSet[] = [];
    for (const name of [...this.ns.keys()].sort(compareUtf8)) {
      const colls = (this.ns.get(name) as NsBuilder).colls;
      const collectionPvtRwset = [...colls.keys()]
        .sort(compareUtf8)
        .filter((c) => (colls.get(c) as CollBuilder).pvtWrites.size > 0)
        .map((c) => ({ collectionName: c, rwset: this.pvtBytes(colls.get(c) as CollBuilder) }));
      if (collectionPvtRwset.length > 0) nsPvtRwset.push({ namespace: name, collectionPvtRwset });
    }
    return nsPvtRwset.length > 0 ? { dataModel: rwset.TxReadWriteSet_DataModel.KV, nsPvtRwset } : undefined;
  }

  private pvtBytes(c: CollBuilder): Uint8Array {
    return kvrwset.KVRWSet.encode({ writes: sortedValues(c.pvtWrites) });
  }

  private coll(ns: string, coll: string): CollBuilder {
    const b = this.nsBuilder(ns);
    let c = b.colls.get(coll);
    if (!c) {
      c = { reads: new Map(), hashedWrites: new Map(), pvtWrites: new Map() };
      b.colls.set(coll, c);
    }
    return c;
  }

  build(): TxRwSet {
    const nsRwSets: NsRwSet[] = [];
    for (const name of [...this.ns.keys()].sort(compareUtf8)) {
      const b = this.ns.get(name) as NsBuilder;
      const collHashedRwSets: CollHashedRwSet[] = [...b.colls.keys()].sort(compareUtf8).map((coll) => {
        const c = b.colls.get(coll)!;
        return {
          collectionName: coll,
          hashedRwSet: {
            hashedReads: sortedValues(c.reads),
            hashedWrites: sortedValues(c.hashedWrites),
            metadataWrites: [],
          },
          pvtRwSetHash: c.pvtWrites.size > 0 ? sha256(this.pvtBytes(c)) : new Uint8Array(),
        };
      });
      nsRwSets.push({
        namespace: name,
        kvRwSet: {
          reads: sortedValues(b.reads),
          rangeQueriesInfo: [...b.rangeQueries.values()],
          writes: sortedValues(b.writes),
          metadataWrites: sortedValues(b.metadataWrites),
        },
        collHashedRwSets,
      });
    }
    return { nsRwSets };
  }

  private nsBuilder(ns: string): NsBuilder {
    let b = this.ns.get(ns);
    if (!b) {
      b = {
        reads: new Map(),
        writes: new Map(),
        metadataWrites: new Map(),
        rangeQueries: new Map(),
        colls: new Map(),
      };
      this.ns.set(ns, b);
    }
    return b;
  }
}
