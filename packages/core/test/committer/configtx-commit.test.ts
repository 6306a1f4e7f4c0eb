// Config transactions through the committer on a dev-crypto channel: a valid update installs the
// new bundle, a forged one is INVALID_CONFIG_TRANSACTION, one needing unknown capabilities stops the
// channel at that block.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { type SigningIdentity } from '@fabric-peer/msp';
import { LedgerManager } from '@fabric-peer/ledger';
import { common, orderer, protos } from '@fabric-peer/protos';
import { type Channel, ChannelManager, applyConfigUpdate } from '../../src/channel/index.js';
import { CHANNEL, type DevChain, devChain, envelope } from './devchain.js';

const C = protos.TxValidationCode;
const empty = (g: Partial<common.ConfigGroup> = {}): common.ConfigGroup => ({
  version: 0,
  modPolicy: '',
  groups: {},
  values: {},
  policies: {},
  ...g,
});

/** A CONFIG_UPDATE envelope changing one value, signed by `signers`. */
function valueUpdate(
  path: string[],
  name: string,
  value: Uint8Array,
  version: number,
  signers: SigningIdentity[],
): common.Envelope {
  const nest = (leaf: common.ConfigGroup): common.ConfigGroup =>
    path.reduceRight((child, key) => empty({ groups: { [key]: child } }), leaf);
  const update = common.ConfigUpdate.encode({
    channelId: CHANNEL,
    readSet: nest(empty({ values: { [name]: { version, modPolicy: '', value: new Uint8Array() } } })),
    writeSet: nest(empty({ values: { [name]: { version: version + 1, modPolicy: 'Admins', value } } })),
  });
  const signatures = signers.map((s) => {
    const signatureHeader = common.SignatureHeader.encode({ creator: s.serialize(), nonce: randomBytes(24) });
    return { signatureHeader, signature: s.sign(Buffer.concat([signatureHeader, update])) };
  });
  const payload = common.Payload.encode({
    header: {
      channelHeader: common.ChannelHeader.encode({
        type: common.HeaderType.CONFIG_UPDATE,
        channelId: CHANNEL,
      }),
    },
    data: common.ConfigUpdateEnvelope.encode({ configUpdate: update, signatures }),
  });
  return { payload, signature: new Uint8Array() };
}

describe('config transactions on a dev-crypto channel', () => {
  let dev: DevChain;
  let ledgers: LedgerManager;
  let channels: ChannelManager;
  let ch: Channel;
  let ordererAdmin: SigningIdentity;
  let orgAdmin: SigningIdentity;
  const configTx = (config: common.Config, lastUpdate: common.Envelope): Uint8Array =>
    envelope(
      dev.ordererSigner,
      common.HeaderType.CONFIG,
      CHANNEL,
      '',
      common.ConfigEnvelope.encode({ config, lastUpdate }),
    );

  before(async () => {
    dev = await devChain();
    ordererAdmin = dev.ordererOrg.admin.toMSP().getSigningIdentity();
    orgAdmin = dev.org.admin.toMSP().getSigningIdentity();
    ledgers = await LedgerManager.open({ inMemory: true });
    channels = await ChannelManager.open({ ledgers });
    ch = await channels.joinChannel(dev.genesis);
  });
  after(async () => {
    await channels.close();
    await ledgers.close();
  });

  it("an orderer admin's BatchTimeout update commits and installs the new config", async () => {
    const update = valueUpdate(
      ['Orderer'],
      'BatchTimeout',
      orderer.BatchTimeout.encode({ timeout: '250ms' }),
      0,
      [ordererAdmin],
    );
    const config = applyConfigUpdate(ch.config(), update);
    const ev = await ch.commitBlock(dev.cutBlock([configTx(config, update)]));
    assert.deepEqual(ev.validationCodes, [C.VALID]);
    assert.equal(ch.config().sequence, 1);
    assert.equal(ch.config().batchTimeoutMs, 250);
    assert.equal(ev.config, ch.config());
  });

  it('a CONFIG transaction whose config does not follow from its last_update is INVALID_CONFIG_TRANSACTION', async () => {
    const update = valueUpdate(
      ['Orderer'],
      'BatchTimeout',
      orderer.BatchTimeout.encode({ timeout: '5s' }),
      1,
      [ordererAdmin],
    );
    const config = applyConfigUpdate(ch.config(), update);
    config.channelGroup!.groups['Orderer']!.values['BatchTimeout']!.value = orderer.BatchTimeout.encode({
      timeout: '1h',
    });
    const ev = await ch.commitBlock(dev.cutBlock([configTx(config, update)]));
    assert.deepEqual(ev.validationCodes, [C.INVALID_CONFIG_TRANSACTION]);
    assert.equal(ch.config().batchTimeoutMs, 250);
  });

  it('a config needing a capability this peer lacks is refused: the channel stops at that block', async () => {
    const v3 = common.Capabilities.encode({ capabilities: { V3_0: {} } });
    const update = valueUpdate([], 'Capabilities', v3, 0, [orgAdmin, ordererAdmin]);
    const config = applyConfigUpdate(ch.config(), update);
    const height = ch.height;
    await assert.rejects(ch.commitBlock(dev.cutBlock([configTx(config, update)])), {
      code: 'COMMITTER_BLOCK_REFUSED',
      message: /Channel capability V3_0 is required but not supported/,
    });
    assert.equal(ch.height, height);
    assert.equal(ch.config().sequence, 1);
  });
});
