import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { type SigningIdentity } from '@fabric-peer/msp';
import { common } from '@fabric-peer/protos';
import {
  type ChannelConfig,
  applyConfigUpdate,
  channelConfigFromBlock,
  configEnvelopeFromBlock,
  configGroupsEqual,
  validateConfigEnvelope,
} from '../../src/channel/index.js';
import { anchorsUpdate, genesisBlock, ordererBlock, userMSP } from './fabric-fixture.js';

/** The envelope with its ConfigUpdateEnvelope signed by `signers` (as `peer channel update` does). */
function signUpdate(
  env: common.Envelope,
  signers: SigningIdentity[],
  mutate?: (u: common.ConfigUpdate) => void,
): common.Envelope {
  const payload = common.Payload.decode(env.payload);
  const cue = common.ConfigUpdateEnvelope.decode(payload.data);
  if (mutate) {
    const u = common.ConfigUpdate.decode(cue.configUpdate);
    mutate(u);
    cue.configUpdate = common.ConfigUpdate.encode(u);
  }
  cue.signatures = signers.map((s) => {
    const signatureHeader = common.SignatureHeader.encode({ creator: s.serialize(), nonce: randomBytes(24) });
    return { signatureHeader, signature: s.sign(Buffer.concat([signatureHeader, cue.configUpdate])) };
  });
  payload.data = common.ConfigUpdateEnvelope.encode(cue);
  return { payload: common.Payload.encode(payload), signature: new Uint8Array() };
}

function throwsCode(fn: () => unknown, code: string, match?: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.equal((err as { code?: string }).code, code, String(err));
    if (match) assert.match((err as Error).message, match);
    return true;
  });
}

describe('ChannelConfig of the real genesis block', () => {
  it('reads orgs, policies, capabilities, orderer settings', () => {
    const c = channelConfigFromBlock(genesisBlock());
    assert.equal(c.channelId, 'mychannel');
    assert.equal(c.sequence, 0);
    assert.equal(c.configBlockNumber, 0);
    assert.deepEqual(
      c.applicationOrgs.map((o) => o.mspId),
      ['Org1MSP', 'Org2MSP'],
    );
    assert.deepEqual(
      c.ordererOrgs.map((o) => o.mspId),
      ['OrdererMSP'],
    );
    assert.deepEqual([...c.mspManager.msps.keys()].sort(), ['OrdererMSP', 'Org1MSP', 'Org2MSP']);
    assert.deepEqual(c.capabilities, { channel: ['V2_0'], orderer: ['V2_0'], application: ['V2_0'] });
    assert.deepEqual(c.ordererOrgs[0]!.ordererEndpoints, ['127.0.0.1:28050']);
    assert.match(c.ordererOrgs[0]!.tlsRootCertsPem[0]!, /BEGIN CERTIFICATE/);
    assert.deepEqual(c.allOrdererEndpoints(), ['127.0.0.1:28050']);
    assert.deepEqual(c.batchSize, {
      maxMessageCount: 10,
      absoluteMaxBytes: 99 * 1024 * 1024,
      preferredMaxBytes: 512 * 1024,
    });
    assert.equal(c.batchTimeoutMs, 1000);
    assert.equal(c.consensusType, 'etcdraft');
    assert.deepEqual(c.applicationOrgs[0]!.anchorPeers, []);
    for (const p of [
      '/Channel/Application/Writers',
      '/Channel/Orderer/BlockValidation',
      '/Channel/Application/LifecycleEndorsement',
      '/Channel/Application/Org1MSP/Admins',
    ]) {
      assert.ok(c.policies.getPolicy(p), p);
    }
    assert.deepEqual(c.acls, {}); // configtx.yaml of the fixtures sets no ACLs
  });

  it('refuses a block that is not a config block', () => {
    throwsCode(() => channelConfigFromBlock(ordererBlock(5)), 'CHANNEL_CONFIG_BLOCK_MALFORMED', /not CONFIG/);
    throwsCode(
      () => channelConfigFromBlock({ header: undefined, data: { data: [] }, metadata: undefined }),
      'CHANNEL_CONFIG_BLOCK_MALFORMED',
    );
  });
});

describe('applyConfigUpdate on the fixture Org1MSPanchors update', () => {
  let current: ChannelConfig;
  let admin1: SigningIdentity;
  let admin2: SigningIdentity;
  let user1: SigningIdentity;

  before(async () => {
    current = channelConfigFromBlock(genesisBlock());
    admin1 = (await userMSP(1, 'Admin')).getSigningIdentity();
    admin2 = (await userMSP(2, 'Admin')).getSigningIdentity();
    user1 = (await userMSP(1, 'User1')).getSigningIdentity();
  });

  it("signed by Org1's admin: applies, and gives exactly the config of block 1", () => {
    const next = applyConfigUpdate(current, signUpdate(anchorsUpdate(), [admin1]));
    assert.equal(next.sequence, 1);
    const block1 = configEnvelopeFromBlock(ordererBlock(1)).envelope.config!;
    assert.ok(configGroupsEqual(next.channelGroup!, block1.channelGroup!));
    const org1 = next.channelGroup!.groups['Application']!.groups['Org1MSP']!;
    assert.equal(org1.version, 1);
    assert.ok(org1.values['AnchorPeers']);
  });

  it('unsigned, or signed by the wrong org or a non-admin: refused with 403', () => {
    throwsCode(
      () => applyConfigUpdate(current, anchorsUpdate()),
      'CHANNEL_CONFIG_UPDATE_FORBIDDEN',
      /policy for \[Group\] \/Channel\/Application\/Org1MSP not satisfied/,
    );
    throwsCode(
      () => applyConfigUpdate(current, signUpdate(anchorsUpdate(), [admin2])),
      'CHANNEL_CONFIG_UPDATE_FORBIDDEN',
    );
    throwsCode(
      () => applyConfigUpdate(current, signUpdate(anchorsUpdate(), [user1])),
      'CHANNEL_CONFIG_UPDATE_FORBIDDEN',
    );
  });

  it('refuses stale read sets, wrong channels, skipped versions and empty deltas', () => {
    throwsCode(
      () =>
        applyConfigUpdate(
          current,
          signUpdate(
            anchorsUpdate(),
            [admin1],
            (u) => (u.readSet!.groups['Application']!.groups['Org1MSP']!.version = 3),
          ),
        ),
      'CHANNEL_CONFIG_UPDATE_INVALID',
      /be at version 3, but it is currently at version 0/,
    );
    throwsCode(
      () =>
        applyConfigUpdate(
          current,
          signUpdate(anchorsUpdate(), [admin1], (u) => (u.channelId = 'other')),
        ),
      'CHANNEL_CONFIG_UPDATE_INVALID',
      /ConfigUpdate for channel 'other'/,
    );
    throwsCode(
      () =>
        applyConfigUpdate(
          current,
          signUpdate(
            anchorsUpdate(),
            [admin1],
            (u) => (u.writeSet!.groups['Application']!.groups['Org1MSP']!.version = 2),
          ),
        ),
      'CHANNEL_CONFIG_UPDATE_INVALID',
      /to version 2, but key is at version 0/,
    );
    throwsCode(
      () =>
        applyConfigUpdate(
          current,
          signUpdate(anchorsUpdate(), [admin1], (u) => (u.writeSet = u.readSet)),
        ),
      'CHANNEL_CONFIG_UPDATE_INVALID',
      /delta set was empty/,
    );
  });

  it('refuses an element with an empty or malformed mod_policy', () => {
    const org1 = (u: common.ConfigUpdate): common.ConfigGroup =>
      u.writeSet!.groups['Application']!.groups['Org1MSP']!;
    throwsCode(
      () =>
        applyConfigUpdate(
          current,
          signUpdate(anchorsUpdate(), [admin1], (u) => (org1(u).modPolicy = '')),
        ),
      'CHANNEL_CONFIG_UPDATE_INVALID',
      /mod_policy not set/,
    );
    throwsCode(
      () =>
        applyConfigUpdate(
          current,
          signUpdate(
            anchorsUpdate(),
            [admin1],
            (u) => (org1(u).values['AnchorPeers']!.modPolicy = 'Admins/../x'),
          ),
        ),
      'CHANNEL_CONFIG_UPDATE_INVALID',
      /path element at 1 is invalid/,
    );
  });

  it("removes an org when the Application group's new child list omits it (MAJORITY Admins)", () => {
    const app = current.config.channelGroup!.groups['Application']!;
    const skeleton = (version: number, withOrg2: boolean): common.ConfigGroup => ({
      version,
      modPolicy: 'Admins',
      groups: Object.fromEntries(
        Object.entries(app.groups)
          .filter(([k]) => withOrg2 || k !== 'Org2MSP')
          .map(([k, g]) => [k, { version: g.version, modPolicy: '', groups: {}, values: {}, policies: {} }]),
      ),
      values: Object.fromEntries(
        Object.entries(app.values).map(([k, v]) => [
          k,
          { version: v.version, modPolicy: '', value: new Uint8Array() },
        ]),
      ),
      policies: Object.fromEntries(
        Object.entries(app.policies).map(([k, p]) => [
          k,
          { version: p.version, modPolicy: '', policy: undefined },
        ]),
      ),
    });
    const root = (g: common.ConfigGroup): common.ConfigGroup => ({
      version: 0,
      modPolicy: '',
      groups: { Application: g },
      values: {},
      policies: {},
    });
    const update = (u: common.ConfigUpdate): void => {
      u.readSet = root(skeleton(0, true));
      u.writeSet = root(skeleton(1, false));
    };
    throwsCode(
      () => applyConfigUpdate(current, signUpdate(anchorsUpdate(), [admin1], update)),
      'CHANNEL_CONFIG_UPDATE_FORBIDDEN',
      /\/Channel\/Application not satisfied/,
    );
    const next = applyConfigUpdate(current, signUpdate(anchorsUpdate(), [admin1, admin2], update));
    assert.deepEqual(Object.keys(next.channelGroup!.groups['Application']!.groups), ['Org1MSP']);
    assert.equal(next.channelGroup!.groups['Application']!.version, 1);
    // Everything else is carried over untouched.
    assert.ok(
      configGroupsEqual(
        next.channelGroup!.groups['Orderer']!,
        current.config.channelGroup!.groups['Orderer']!,
      ),
    );
    assert.deepEqual(next.channelGroup!.groups['Application']!.values, app.values);
  });

  it('validateConfigEnvelope accepts block 1 as the orderer wrote it and refuses a doctored one', () => {
    const env = configEnvelopeFromBlock(ordererBlock(1)).envelope;
    assert.equal(validateConfigEnvelope(current, env).sequence, 1);
    const wrongSeq = { ...env, config: { ...env.config!, sequence: 2 } };
    throwsCode(
      () => validateConfigEnvelope(current, wrongSeq),
      'CHANNEL_CONFIG_UPDATE_INVALID',
      /cannot validate config at sequence 2/,
    );
    const doctored = common.ConfigEnvelope.decode(common.ConfigEnvelope.encode(env));
    doctored.config!.channelGroup!.groups['Application']!.groups['Org2MSP']!.modPolicy = 'Writers';
    throwsCode(
      () => validateConfigEnvelope(current, doctored),
      'CHANNEL_CONFIG_UPDATE_INVALID',
      /did not produce the supplied config/,
    );
  });
});
