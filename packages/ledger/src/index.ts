// @fabric-peer/ledger: the peer's memory. Ledger ids, block store, state DB, history DB, the
// transaction simulator and the MVCC commit, on any abstract-level store. This file is the only door.
export { LedgerError, LedgerErrorCode, type LedgerErrorContext } from './errors.js';
export { LedgerManager, type LedgerManagerOptions, type LedgerInfo } from './ledgermgmt/ledgermanager.js';
export { type LedgerStatus } from './ledgermgmt/idstore.js';
export {
  KVLedger,
  type CommitOptions,
  type CommitResult,
  type KnownTx,
  type RecoveryReport,
} from './kvledger/kvledger.js';
export { type BlockFilesOptions } from './blkstorage/blockfiles.js';
export {
  BlockStore,
  type AppendInfo,
  type BlockchainInfo,
  type StoredTransaction,
  type TxLocation,
} from './blkstorage/blockstore.js';
export {
  blockHeaderBytes,
  blockHeaderHash,
  blockDataHash,
  decodeBlock,
  MetadataIndex,
} from './blkstorage/blockutil.js';
export {
  QueryExecutor,
  type QueryResultKV,
  type StateIterator,
  type StatePage,
} from './txmgr/queryexecutor.js';
export { TxSimulator, type TxSimulationResults } from './txmgr/txsimulator.js';
export { type PvtDataInput } from './txmgr/pvtdata.js';
export {
  type TxRwSet,
  type NsRwSet,
  type CollHashedRwSet,
  decodeTxRwSet,
  encodeTxRwSet,
} from './txmgr/rwset.js';
export { type KeyMetadata } from './statedb/metadata.js';
export { type Height } from './statedb/types.js';
export {
  createCompositeKey,
  splitCompositeKey,
  partialCompositeKeyRange,
  MAX_UNICODE_RUNE,
} from './statedb/compositekey.js';
