// TxSimulator: a QueryExecutor that also takes writes. Reads always see committed state (Fabric does
// not support reading your own writes); writes and deletes build the write set. The result is the
// rwset.TxReadWriteSet Fabric would produce for the same calls, byte for byte.
import { rwset } from '@fabric-peer/protos';
import { LedgerError, LedgerErrorCode } from '../errors.js';
import { type KeyMetadata } from '../statedb/metadata.js';
import { type StateView, type VersionedDB } from '../statedb/statedb.js';
import { QueryExecutor, type StatePage } from './queryexecutor.js';
import { encodeTxRwSet, toProto, type TxRwSet } from './rwset.js';
import { RWSetBuilder } from './rwsetbuilder.js';

export interface TxSimulationResults {
  /** The decoded form (namespaces with KVRWSet and hashed rw-sets). */
  txRwSet: TxRwSet;
  /** rwset.TxReadWriteSet as it goes into ChaincodeAction.results. */
  proto: rwset.TxReadWriteSet;
  /** Its encoding. */
  bytes: Uint8Array;
  /** The private rw-set (rwset.TxPvtReadWriteSet) when private data was written; for the transient store. */
  pvt: rwset.TxPvtReadWriteSet | undefined;
  pvtBytes: Uint8Array | undefined;
}

export class TxSimulator extends QueryExecutor {
  private writePerformed = false;
  private paginatedQueriesPerformed = false;
  private resultsComputed = false;

  constructor(db: VersionedDB, view: StateView, txId: string) {
    super(db, view, txId, new RWSetBuilder());
  }

  async setState(ns: string, key: string, value: Uint8Array): Promise<void> {
    this.checkWritePrecondition(key);
    this.rwBuilder.addToWriteSet(ns, key, value);
  }

  async deleteState(ns: string, key: string): Promise<void> {
    this.checkWritePrecondition(key);
    this.rwBuilder.addToWriteSet(ns, key, undefined);
  }

  /** Replaces the key's metadata (an empty map removes it). */
  async setStateMetadata(ns: string, key: string, metadata: KeyMetadata): Promise<void> {
    this.checkWritePrecondition(key);
    this.rwBuilder.addToMetadataWriteSet(ns, key, metadata);
  }

  async deleteStateMetadata(ns: string, key: string): Promise<void> {
    await this.setStateMetadata(ns, key, {});
  }

  /** Writes a private value: plain in the private rw-set, hashed (key and value) in the public one. */
  async setPrivateData(ns: string, coll: string, key: string, value: Uint8Array): Promise<void> {
    this.checkWritePrecondition(key);
    this.rwBuilder.addToPvtAndHashedWriteSet(ns, coll, key, value);
  }

  async deletePrivateData(ns: string, coll: string, key: string): Promise<void> {
    this.checkWritePrecondition(key);
    this.rwBuilder.addToPvtAndHashedWriteSet(ns, coll, key, undefined);
  }

  override async getStateRangeScanIteratorWithPagination(
    ns: string,
    startKey: string,
    endKey: string,
    pageSize: number,
  ): Promise<StatePage> {
    if (this.writePerformed) {
      throw new LedgerError(
        LedgerErrorCode.INVALID_ARGUMENT,
        'unsupported transaction: paginated queries are supported only in a read-only transaction',
        { txId: this.txId },
      );
    }
    this.paginatedQueriesPerformed = true;
    return super.getStateRangeScanIteratorWithPagination(ns, startKey, endKey, pageSize);
  }

  /** The rw-set; call once, after the simulation and before (or after) done(). */
  getTxSimulationResults(): TxSimulationResults {
    if (this.resultsComputed) {
      throw new LedgerError(LedgerErrorCode.INVALID_ARGUMENT, 'simulation results can be taken only once', {
        txId: this.txId,
      });
    }
    this.resultsComputed = true;
    this.recordRangeQueries();
    const txRwSet = this.rwBuilder.build();
    const pvt = this.rwBuilder.buildPvt();
    return {
      txRwSet,
      proto: toProto(txRwSet),
      bytes: encodeTxRwSet(txRwSet),
      pvt,
      pvtBytes: pvt ? rwset.TxPvtReadWriteSet.encode(pvt) : undefined,
    };
  }

  private get rwBuilder(): RWSetBuilder {
    return this.builder as RWSetBuilder;
  }

  private checkWritePrecondition(key: string): void {
    this.checkDone();
    if (this.paginatedQueriesPerformed) {
      throw new LedgerError(
        LedgerErrorCode.INVALID_ARGUMENT,
        'unsupported transaction: writes are not allowed after a paginated query',
        { txId: this.txId },
      );
    }
    if (key === '')
      throw new LedgerError(LedgerErrorCode.INVALID_ARGUMENT, 'key must not be empty', { txId: this.txId });
    this.writePerformed = true;
  }
}
