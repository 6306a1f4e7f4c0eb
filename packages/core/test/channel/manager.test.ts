import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { LedgerManager } from '@fabric-peer/ledger';
import { common } from '@fabric-peer/protos';
import { ChannelManager, lastConfigIndex } from '../../src/channel/index.js';
import { genesisBlock, ordererBlock, peerBlock } from './fabric-fixture.js';

function rejectsCode(p: Promise<unknown>, code: string, match?: RegExp): Promise<void> {
  return assert.rejects(p, (err: unknown) => {
    assert.equal((err as { code?: string }).code, code, String(err));
    if (match) assert.match((err as Error).message, match);
    return true;
  });
}

describe('ChannelManager', () => {
  let ledgers: LedgerManager;
  let channels: ChannelManager;
  beforeEach(async () => {
    ledgers = await LedgerManager.open({ inMemory: true });
    channels = await ChannelManager.open({ ledgers });
  });
  afterEach(async () => {
    await channels.close();
    await ledgers.close();
  });

  it('joins the genesis block once; a second join is refused as Fabric does', async () => {
    const ch = await channels.joinChannel(genesisBlock());
    assert.deepEqual(channels.channelIds(), ['mychannel']);
    assert.equal(channels.getChannel('mychannel'), ch);
    assert.equal(ch.height, 1);
    await rejectsCode(
      channels.joinChannel(genesisBlock()),
      'CHANNEL_ALREADY_JOINED',
      /ledger \[mychannel\] already exists with state \[ACTIVE\]/,
    );
    assert.equal(channels.getChannel('nope'), undefined);
    assert.throws(() => channels.channel('nope'), /channel nope not found/);
  });

  it('does not open a paused ledger, and names its state when asked to join it again', async () => {
    await channels.joinChannel(genesisBlock());
    await channels.close();
    await ledgers.pause('mychannel');
    channels = await ChannelManager.open({ ledgers });
    assert.deepEqual(channels.channelIds(), []);
    await rejectsCode(channels.joinChannel(genesisBlock()), 'CHANNEL_ALREADY_JOINED', /state \[PAUSED\]/);
  });

  it('refuses a malformed block, an endorser block, a non-genesis config block', async () => {
    await rejectsCode(
      channels.joinChannel({
        header: { number: 0, previousHash: new Uint8Array(), dataHash: new Uint8Array() },
        data: { data: [new Uint8Array([1, 2, 3])] },
        metadata: undefined,
      }),
      'CHANNEL_CONFIG_BLOCK_MALFORMED',
    );
    await rejectsCode(channels.joinChannel(ordererBlock(5)), 'CHANNEL_CONFIG_BLOCK_MALFORMED', /not CONFIG/);
    await rejectsCode(channels.joinChannel(ordererBlock(1)), 'CHANNEL_CONFIG_BLOCK_MALFORMED', /genesis/);
    assert.deepEqual(channels.channelIds(), []);
  });

  it("refuses a config block without an Application group or with capabilities this peer lacks (cscc's checks)", async () => {
    const rewrite = (fn: (g: common.ConfigGroup) => void): common.Block => {
      const b = genesisBlock();
      const env = common.Envelope.decode(b.data!.data[0]!);
      const payload = common.Payload.decode(env.payload);
      const ce = common.ConfigEnvelope.decode(payload.data);
      fn(ce.config!.channelGroup!);
      payload.data = common.ConfigEnvelope.encode(ce);
      return {
        ...b,
        data: { data: [common.Envelope.encode({ ...env, payload: common.Payload.encode(payload) })] },
      };
    };
    await rejectsCode(
      channels.joinChannel(rewrite((g) => delete g.groups['Application'])),
      'CHANNEL_CONFIG_BLOCK_MALFORMED',
      /missing Application configuration group/,
    );
    const v3 = common.Capabilities.encode({ capabilities: { V3_0: {} } });
    await rejectsCode(
      channels.joinChannel(rewrite((g) => (g.values['Capabilities']!.value = v3))),
      'CHANNEL_CONFIG_BLOCK_MALFORMED',
      /Channel capability V3_0 is required but not supported/,
    );
    assert.deepEqual(channels.channelIds(), []);
  });

  it('reads the last-config index from the SIGNATURES metadata', () => {
    assert.equal(lastConfigIndex(peerBlock(0)), 0);
    assert.equal(lastConfigIndex(peerBlock(1)), 1);
    assert.equal(lastConfigIndex(peerBlock(13)), 1);
  });

  it('tells listeners about each block; unsubscribing stops it; a closed manager refuses joins', async () => {
    const ch = await channels.joinChannel(genesisBlock());
    const got: number[] = [];
    const off = ch.onBlockCommitted((e) => got.push(e.blockNumber));
    await ch.commitBlock(ordererBlock(1));
    off();
    await ch.commitBlock(ordererBlock(2));
    assert.deepEqual(got, [1]);
    await channels.close();
    await rejectsCode(channels.joinChannel(genesisBlock()), 'CHANNEL_CLOSED');
  });
});
