// cscc, the configuration system chaincode (Fabric core/scc/cscc): JoinChain, GetChannels,
// GetConfigBlock, GetChannelConfig, with Fabric's argument checks, ACLs and messages.
import { common, protos } from '@fabric-peer/protos';
import { error, errText, success } from './response.js';
import type { SccACL, SccChannels, SystemChaincode, SystemChaincodeContext } from './types.js';

export interface CSCCOptions {
  channels: SccChannels;
  acl: SccACL;
}

/** Capabilities this peer understands (Fabric 2.5's). */
const SUPPORTED: Record<string, ReadonlySet<string>> = {
  Channel: new Set(['V1_3', 'V1_4_2', 'V1_4_3', 'V2_0', 'V3_0']),
  Orderer: new Set(['V1_1', 'V1_4_2', 'V2_0']),
  Application: new Set(['V1_1', 'V1_2', 'V1_3', 'V1_4_2', 'V2_0', 'V2_5']),
};

const utf8 = (b: Uint8Array | undefined): string => Buffer.from(b ?? new Uint8Array()).toString('utf8');

export class CSCC implements SystemChaincode {
  readonly name = 'cscc';

  constructor(private readonly o: CSCCOptions) {}

  async invoke(ctx: SystemChaincodeContext): Promise<protos.Response> {
    const args = ctx.args;
    if (args.length < 1) return error(`Incorrect number of arguments, ${args.length}`);
    const fname = utf8(args[0]);
    if (fname !== 'GetChannels' && args.length < 2)
      return error(`Incorrect number of arguments, ${args.length}`);
    switch (fname) {
      case 'JoinChain':
        return this.joinChain(ctx, args[1]!);
      case 'GetChannels':
        try {
          this.o.acl.checkACL('cscc/GetChannels', '', ctx.signedData);
        } catch (err) {
          return error(`access denied for [${fname}]: ${errText(err)}`);
        }
        return success(
          protos.ChannelQueryResponse.encode({
            channels: this.o.channels.channelIds().map((channelId) => ({ channelId })),
          }),
        );
      case 'GetConfigBlock':
      case 'GetChannelConfig': {
        const cid = utf8(args[1]);
        try {
          this.o.acl.checkACL(`cscc/${fname}`, cid, ctx.signedData);
        } catch (err) {
          return error(`access denied for [${fname}][${cid}]: ${errText(err)}`);
        }
        if (cid === '') return error('ChainID must not be nil.');
        const ch = this.o.channels.getChannel(cid);
        if (ch === undefined) return error(`Unknown chain ID, ${cid}`);
        const cfg = ch.config();
        if (fname === 'GetChannelConfig') return success(common.Config.encode(cfg.config));
        try {
          const block = await ch.ledger.getBlockByNumber(cfg.configBlockNumber);
          return success(common.Block.encode(block));
        } catch (err) {
          return error(errText(err));
        }
      }
      default:
        return error(`Requested function ${fname} not found.`);
    }
  }

  private async joinChain(ctx: SystemChaincodeContext, blockBytes: Uint8Array): Promise<protos.Response> {
    if (blockBytes.length === 0) return error('Cannot join the channel <nil> configuration block provided');
    let block: common.Block;
    try {
      block = common.Block.decode(blockBytes);
    } catch (err) {
      return error(`Failed to reconstruct the genesis block, ${errText(err)}`);
    }
    let cid: string;
    try {
      cid = channelIdFromBlock(block);
    } catch (err) {
      return error(
        `"JoinChain" request failed to extract channel id from the block due to [${errText(err)}]`,
      );
    }
    const invalid = validateConfigBlock(block);
    if (invalid !== undefined) {
      return error(
        `"JoinChain" for channelID = ${cid} failed because of validation of configuration block, because of ${invalid}`,
      );
    }
    try {
      this.o.acl.checkACL('cscc/JoinChain', '', ctx.signedData);
    } catch (err) {
      return error(`access denied for [JoinChain][${cid}]: [${errText(err)}]`);
    }
    if (this.o.channels.getChannel(cid) !== undefined) {
      return error(
        `cannot create ledger from genesis block: ledger [${cid}] already exists with state [ACTIVE]`,
      );
    }
    try {
      await this.o.channels.joinChannel(block);
    } catch (err) {
      return error(errText(err));
    }
    return success();
  }
}

/** Fabric's protoutil.GetChannelIDFromBlock. */
export function channelIdFromBlock(block: common.Block): string {
  const first = block.data?.data[0];
  if (first === undefined) throw new Error('failed to retrieve channel id - block is empty');
  const env = common.Envelope.decode(first);
  const payload = common.Payload.decode(env.payload);
  if (payload.header === undefined)
    throw new Error('failed to retrieve channel id - payload header is empty');
  return common.ChannelHeader.decode(payload.header.channelHeader).channelId;
}

/** Fabric's cscc validateConfigBlock: a CONFIG envelope with an Application group and known capabilities. */
export function validateConfigBlock(block: common.Block): string | undefined {
  let config: common.Config | undefined;
  try {
    const payload = common.Payload.decode(common.Envelope.decode(block.data!.data[0]!).payload);
    const type = common.ChannelHeader.decode(payload.header?.channelHeader ?? new Uint8Array()).type;
    if (type !== common.HeaderType.CONFIG) {
      return `Bad configuration envelope: invalid type ${common.HeaderType[type] ?? type}, expected CONFIG`;
    }
    config = common.ConfigEnvelope.decode(payload.data).config;
  } catch (err) {
    return `Bad configuration envelope: ${errText(err)}`;
  }
  if (config === undefined) return 'Nil config envelope Config';
  const group = config.channelGroup;
  if (group === undefined) return 'Nil channel group';
  if (Object.keys(group.groups).length === 0) return 'No channel configuration groups are available';
  if (group.groups.Application === undefined) {
    return 'Invalid configuration block, missing Application configuration group';
  }
  const levels: [string, common.ConfigGroup | undefined][] = [
    ['Channel', group],
    ['Orderer', group.groups.Orderer],
    ['Application', group.groups.Application],
  ];
  for (const [level, g] of levels) {
    const v = g?.values.Capabilities?.value;
    if (v === undefined) continue;
    for (const cap of Object.keys(common.Capabilities.decode(v).capabilities)) {
      if (!SUPPORTED[level]!.has(cap)) {
        return `Failed capabilities check: [${level} capability ${cap} is required but not supported]`;
      }
    }
  }
  return undefined;
}
