// committer/: block checks, Fabric's transaction validator (v20), the verify worker pool, the Committer.
export { BLOCK_VALIDATION_POLICY, blockSignedData, verifyBlock } from './blockverifier.js';
export {
  Committer,
  type BlockCommittedEvent,
  type CommitBlockOptions,
  type CommitTarget,
  type CommitterOptions,
} from './committer.js';
export { COMMITTER_ERRORS, CommitterError } from './errors.js';
export { VerifyPool, type VerifyPoolOptions } from './pool.js';
export { InlineVerifier, type SignatureVerifier, type VerifyJob } from './sigverify.js';
export { computeTxId, parseTransaction, type Endorsement, type ParsedTx } from './txparse.js';
export { TxValidator, type ValidatedBlock, type ValidationContext } from './txvalidator.js';
export { VALIDATION_PARAMETER } from './vscc.js';
