// Every error the ledger throws on purpose: one base class with a stable string `code`,
// the channel (ledger id) and, where it applies, the block number and tx id.

export const LedgerErrorCode = {
  /** The block's previous_hash is not the hash of the current last block, or its number is not the height. */
  BLOCK_NOT_CHAINED: 'LEDGER_BLOCK_NOT_CHAINED',
  /** The block's header.data_hash does not match SHA-256 over its envelopes. */
  BLOCK_DATA_HASH_MISMATCH: 'LEDGER_BLOCK_DATA_HASH_MISMATCH',
  /** The block lacks a header or data, or its bytes do not decode. */
  BLOCK_MALFORMED: 'LEDGER_BLOCK_MALFORMED',
  /** A block asked for is not in the store. */
  BLOCK_NOT_FOUND: 'LEDGER_BLOCK_NOT_FOUND',
  /** A transaction id asked for is not in the store. */
  TX_NOT_FOUND: 'LEDGER_TX_NOT_FOUND',
  /** A record read back from disk does not decode. */
  CORRUPT_RECORD: 'LEDGER_CORRUPT_RECORD',
  /** createLedger for an id that exists. */
  LEDGER_EXISTS: 'LEDGER_EXISTS',
  /** openLedger (or an admin action) for an id that does not exist. */
  LEDGER_NOT_FOUND: 'LEDGER_NOT_FOUND',
  /** The ledger is paused (or being removed) and cannot be opened. */
  LEDGER_NOT_ACTIVE: 'LEDGER_NOT_ACTIVE',
  /** An admin action (rollback, reset, rebuild, pause) needs the ledger closed. */
  LEDGER_IS_OPEN: 'LEDGER_IS_OPEN',
  /** A call on a ledger, manager or simulator after close()/done(). */
  CLOSED: 'LEDGER_CLOSED',
  /** A simulator call Fabric refuses (write after a paginated query, empty key, bad namespace...). */
  INVALID_ARGUMENT: 'LEDGER_INVALID_ARGUMENT',
  /** The private value of a key is missing or older than its committed hash (Fabric refuses the read). */
  PVTDATA_NOT_AVAILABLE: 'LEDGER_PVTDATA_NOT_AVAILABLE',
  /** rollback to a block the ledger does not hold, or below what can be rolled back. */
  INVALID_ROLLBACK: 'LEDGER_INVALID_ROLLBACK',
} as const;

export type LedgerErrorCode = (typeof LedgerErrorCode)[keyof typeof LedgerErrorCode];

export interface LedgerErrorContext {
  channel?: string;
  blockNumber?: number;
  txId?: string;
  cause?: unknown;
}

export class LedgerError extends Error {
  override readonly name: string = 'LedgerError';
  readonly code: LedgerErrorCode;
  readonly channel: string | undefined;
  readonly blockNumber: number | undefined;
  readonly txId: string | undefined;

  constructor(code: LedgerErrorCode, message: string, ctx: LedgerErrorContext = {}) {
    const where = [
      ctx.channel !== undefined ? `channel ${ctx.channel}` : undefined,
      ctx.blockNumber !== undefined ? `block ${ctx.blockNumber}` : undefined,
      ctx.txId !== undefined ? `tx ${ctx.txId}` : undefined,
    ]
      .filter((s) => s !== undefined)
      .join(', ');
    super(
      where ? `${message} (${where})` : message,
      ctx.cause !== undefined ? { cause: ctx.cause } : undefined,
    );
    this.code = code;
    this.channel = ctx.channel;
    this.blockNumber = ctx.blockNumber;
    this.txId = ctx.txId;
  }

  /** Structured fields for logs. */
  getMetadata(): Record<string, string | number | undefined> {
    return { code: this.code, channel: this.channel, blockNumber: this.blockNumber, txId: this.txId };
  }
}
