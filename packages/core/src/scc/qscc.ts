// qscc, the ledger query system chaincode (Fabric core/scc/qscc): GetChainInfo, GetBlockByNumber,
// GetBlockByHash, GetTransactionByID, GetBlockByTxID, with Fabric's checks, ACLs and messages.
import { common, protos } from '@fabric-peer/protos';
import { error, errText, success } from './response.js';
import type { SccACL, SccChannels, SystemChaincode, SystemChaincodeContext } from './types.js';

export interface QSCCOptions {
  channels: SccChannels;
  acl: SccACL;
}

const FUNCTIONS = new Set([
  'GetChainInfo',
  'GetBlockByNumber',
  'GetBlockByHash',
  'GetTransactionByID',
  'GetBlockByTxID',
]);
const utf8 = (b: Uint8Array | undefined): string => Buffer.from(b ?? new Uint8Array()).toString('utf8');

export class QSCC implements SystemChaincode {
  readonly name = 'qscc';

  constructor(private readonly o: QSCCOptions) {}

  async invoke(ctx: SystemChaincodeContext): Promise<protos.Response> {
    const args = ctx.args;
    if (args.length < 2) return error(`Incorrect number of arguments, ${args.length}`);
    const fname = utf8(args[0]);
    const cid = utf8(args[1]);
    if (fname !== 'GetChainInfo' && args.length < 3) return error(`missing 3rd argument for ${fname}`);
    const ch = this.o.channels.getChannel(cid);
    if (ch === undefined) return error(`Invalid chain ID, ${cid}`);
    if (FUNCTIONS.has(fname)) {
      try {
        this.o.acl.checkACL(`qscc/${fname}`, cid, ctx.signedData);
      } catch (err) {
        return error(`access denied for [${fname}][${cid}]: [${errText(err)}]`);
      }
    }
    const ledger = ch.ledger;
    const arg = args[2] ?? new Uint8Array();
    switch (fname) {
      case 'GetChainInfo': {
        const info = ledger.getBlockchainInfo();
        return success(common.BlockchainInfo.encode(info));
      }
      case 'GetBlockByNumber': {
        if (arg.length === 0) return error('Block number must not be nil.');
        const text = utf8(arg);
        if (!/^\d+$/.test(text))
          return error(
            `Failed to parse block number with error strconv.ParseUint: parsing "${text}": invalid syntax`,
          );
        // Fabric: MaxUint64 means the newest block.
        const n = BigInt(text) >= 18446744073709551615n ? ledger.height - 1 : Number(text);
        try {
          return success(common.Block.encode(await ledger.getBlockByNumber(n)));
        } catch (err) {
          return error(`Failed to get block number ${text}, error ${errText(err)}`);
        }
      }
      case 'GetBlockByHash':
        if (arg.length === 0) return error('Block hash must not be nil.');
        try {
          return success(common.Block.encode(await ledger.getBlockByHash(arg)));
        } catch (err) {
          return error(`Failed to get block hash ${Buffer.from(arg).toString('hex')}, error ${errText(err)}`);
        }
      case 'GetTransactionByID': {
        if (arg.length === 0) return error('Transaction ID must not be nil.');
        const txId = utf8(arg);
        try {
          const tx = await ledger.getTransactionById(txId);
          return success(
            protos.ProcessedTransaction.encode({
              transactionEnvelope: tx.envelope,
              validationCode: tx.validationCode,
            }),
          );
        } catch (err) {
          return error(`Failed to get transaction with id ${txId}, error ${errText(err)}`);
        }
      }
      case 'GetBlockByTxID': {
        if (arg.length === 0) return error('Transaction ID must not be nil.');
        const txId = utf8(arg);
        try {
          return success(common.Block.encode(await ledger.getBlockByTxId(txId)));
        } catch (err) {
          return error(`Failed to get block for txID ${txId}, error ${errText(err)}`);
        }
      }
      default:
        return error(`Requested function ${fname} not found.`);
    }
  }
}
