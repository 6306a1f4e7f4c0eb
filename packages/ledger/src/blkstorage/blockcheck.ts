// Is this block the next one of the chain? Number = height, previous_hash = hash of the last block,
// data_hash = SHA-256 of its envelopes. Any failure is a typed LedgerError naming channel and block.
import { type common } from '@fabric-peer/protos';
import { bytesEqual } from '../internal/bytes.js';
import { LedgerError, LedgerErrorCode } from '../errors.js';
import { type BlockchainInfo } from './blockindex.js';
import { blockDataHash, blockHeaderHash } from './blockutil.js';

/** Returns the block's header hash when it chains onto `info` (data hash checked unless `checkData` is false). */
export function checkNextBlock(
  block: common.Block,
  info: BlockchainInfo,
  channel: string,
  checkData = true,
): Buffer {
  const header = block.header;
  const n = header?.number;
  if (!header || !block.data) {
    throw new LedgerError(LedgerErrorCode.BLOCK_MALFORMED, 'block has no header or no data', {
      channel,
      blockNumber: n,
    });
  }
  if (n !== info.height) {
    throw new LedgerError(
      LedgerErrorCode.BLOCK_NOT_CHAINED,
      `block number should have been ${info.height} but was ${n}`,
      {
        channel,
        blockNumber: n,
      },
    );
  }
  if (n > 0 && !bytesEqual(header.previousHash, info.currentBlockHash)) {
    throw new LedgerError(
      LedgerErrorCode.BLOCK_NOT_CHAINED,
      "block's previous_hash does not match the hash of the last block",
      {
        channel,
        blockNumber: n,
      },
    );
  }
  if (checkData && !bytesEqual(blockDataHash(block.data.data), header.dataHash)) {
    throw new LedgerError(
      LedgerErrorCode.BLOCK_DATA_HASH_MISMATCH,
      "block's data_hash does not match its data",
      {
        channel,
        blockNumber: n,
      },
    );
  }
  return blockHeaderHash(header);
}
