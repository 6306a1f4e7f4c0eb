import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { common } from '@fabric-peer/protos';
import { MSP } from '@fabric-peer/msp';
import { blockHeaderHash } from '@fabric-peer/ledger';
import {
  type ChannelProfile,
  buildConfig,
  computeUpdate,
  configFromBlock,
  createChannelCreateTx,
  createConfigUpdateEnvelope,
  createGenesisBlock,
} from '../../src/configtx/index.js';

const FIX = join(import.meta.dirname, '../../../../test/fixtures/fabric-2.5.12');
const crypto = join(FIX, 'crypto');
const readBlock = (p: string): common.Block => common.Block.decode(readFileSync(join(FIX, p)));

/** The fixture's configtx.yaml profile ChannelUsingRaft, as an object. */
function fixtureProfile(): ChannelProfile {
  const ordTls = readFileSync(
    join(crypto, 'ordererOrganizations/example.com/orderers/orderer.example.com/tls/server.crt'),
  );
  const org = (n: number) => ({
    name: `Org${n}MSP`,
    mspId: `Org${n}MSP`,
    msp: { dir: join(crypto, `peerOrganizations/org${n}.example.com/msp`) },
  });
  return {
    orderer: {
      ordererType: 'etcdraft',
      consenters: [{ host: '127.0.0.1', port: 28050, clientTlsCert: ordTls, serverTlsCert: ordTls }],
      batchTimeout: '1s',
      batchSize: { maxMessageCount: 10, absoluteMaxBytes: 99 * 1024 * 1024, preferredMaxBytes: 512 * 1024 },
      organizations: [
        {
          name: 'OrdererOrg',
          mspId: 'OrdererMSP',
          msp: { dir: join(crypto, 'ordererOrganizations/example.com/msp') },
          ordererEndpoints: ['127.0.0.1:28050'],
        },
      ],
    },
    application: { organizations: [org(1), org(2)] },
  };
}

/** Canonical form of a group: sorted keys, bytes compared after a canonical re-encode. */
function canon(g: common.ConfigGroup): unknown {
  const sort = <T>(r: Record<string, T>, f: (v: T) => unknown) =>
    Object.fromEntries(
      Object.keys(r)
        .sort()
        .map((k) => [k, f(r[k]!)]),
    );
  return {
    version: g.version,
    modPolicy: g.modPolicy,
    values: sort(g.values, (v) => ({
      version: v.version,
      modPolicy: v.modPolicy,
      value: Buffer.from(v.value).toString('hex'),
    })),
    policies: sort(g.policies, (p) => ({
      version: p.version,
      modPolicy: p.modPolicy,
      type: p.policy?.type,
      value: Buffer.from(p.policy?.value ?? []).toString('hex'),
    })),
    groups: sort(g.groups, canon),
  };
}

describe('configtx genesis', () => {
  it('builds the same Config tree as configtxgen for the fixture profile', async () => {
    const real = configFromBlock(readBlock('channel/mychannel-genesis.block'));
    const ours = await buildConfig(fixtureProfile());
    assert.equal(ours.sequence, 0);
    assert.deepEqual(canon(ours.channelGroup!), canon(real.config.channelGroup!));
  });

  it('writes block 0 as configtxgen: header, CONFIG envelope, metadata', async () => {
    const real = readBlock('channel/mychannel-genesis.block');
    const ours = await createGenesisBlock('mychannel', fixtureProfile());
    assert.equal(ours.header!.number, 0);
    assert.equal(ours.header!.previousHash.length, 0);
    assert.equal(ours.metadata!.metadata.length, real.metadata!.metadata.length);
    assert.deepEqual(
      ours.metadata!.metadata.map((m) => Buffer.from(m).toString('hex')),
      real.metadata!.metadata.map((m) => Buffer.from(m).toString('hex')),
    );
    const ch = (b: common.Block) => {
      const p = common.Payload.decode(common.Envelope.decode(b.data!.data[0]!).payload);
      return {
        ch: common.ChannelHeader.decode(p.header!.channelHeader),
        sh: common.SignatureHeader.decode(p.header!.signatureHeader),
      };
    };
    const a = ch(ours);
    const b = ch(real);
    assert.equal(a.ch.type, b.ch.type);
    assert.equal(a.ch.version, b.ch.version);
    assert.equal(a.ch.channelId, b.ch.channelId);
    assert.equal(a.ch.txId.length, 64);
    assert.equal(a.sh.nonce.length, b.sh.nonce.length);
    assert.equal(a.sh.creator.length, 0);
    assert.equal(blockHeaderHash(ours.header!).length, 32);
  });

  it('computes the anchor-peer update of the fixture (configtxlator compute_update)', () => {
    const before = configFromBlock(readBlock('blocks/mychannel-orderer/0.block')).config;
    const after = configFromBlock(readBlock('blocks/mychannel-orderer/1.block')).config;
    const update = computeUpdate('mychannel', before, after);
    const tx = common.Envelope.decode(readFileSync(join(FIX, 'channel/Org1MSPanchors.tx')));
    const real = common.ConfigUpdate.decode(
      common.ConfigUpdateEnvelope.decode(common.Payload.decode(tx.payload).data).configUpdate,
    );
    assert.equal(update.channelId, real.channelId);
    assert.deepEqual(canon(update.readSet!), canon(real.readSet!));
    assert.deepEqual(canon(update.writeSet!), canon(real.writeSet!));
    assert.throws(() => computeUpdate('mychannel', before, before), { code: 'CONFIGTX_NO_DIFFERENCES' });
  });

  it('signs a config update envelope as peer channel update does', async () => {
    const admin = await MSP.fromFolder(
      join(crypto, 'peerOrganizations/org1.example.com/users/Admin@org1.example.com/msp'),
      'Org1MSP',
    );
    const signer = admin.getSigningIdentity();
    const before = configFromBlock(readBlock('blocks/mychannel-orderer/0.block')).config;
    const after = configFromBlock(readBlock('blocks/mychannel-orderer/1.block')).config;
    const env = createConfigUpdateEnvelope(computeUpdate('mychannel', before, after), [signer]);
    const payload = common.Payload.decode(env.payload);
    assert.equal(
      common.ChannelHeader.decode(payload.header!.channelHeader).type,
      common.HeaderType.CONFIG_UPDATE,
    );
    const cue = common.ConfigUpdateEnvelope.decode(payload.data);
    assert.equal(cue.signatures.length, 1);
    const s = cue.signatures[0]!;
    signer.verify(Buffer.concat([s.signatureHeader, cue.configUpdate]), s.signature);
    signer.verify(env.payload, env.signature);
  });

  it('makes a channel creation tx as configtxgen -outputCreateChannelTx', async () => {
    const p = fixtureProfile();
    const env = await createChannelCreateTx('newchannel', {
      application: p.application!,
      consortium: 'SampleConsortium',
    });
    const payload = common.Payload.decode(env.payload);
    assert.equal(
      common.ChannelHeader.decode(payload.header!.channelHeader).type,
      common.HeaderType.CONFIG_UPDATE,
    );
    const update = common.ConfigUpdate.decode(common.ConfigUpdateEnvelope.decode(payload.data).configUpdate);
    assert.equal(update.channelId, 'newchannel');
    // Read set: the application group at version 0 naming its orgs; the consortium value.
    assert.deepEqual(Object.keys(update.readSet!.groups.Application!.groups).sort(), ['Org1MSP', 'Org2MSP']);
    assert.equal(update.readSet!.values.Consortium!.version, 0);
    // Write set: the application group bumped to version 1 with its policies and capabilities.
    const app = update.writeSet!.groups.Application!;
    assert.equal(app.version, 1);
    assert.equal(app.modPolicy, 'Admins');
    assert.deepEqual(Object.keys(app.policies).sort(), [
      'Admins',
      'Endorsement',
      'LifecycleEndorsement',
      'Readers',
      'Writers',
    ]);
    assert.ok(app.values.Capabilities);
    assert.equal(
      common.Consortium.decode(update.writeSet!.values.Consortium!.value).name,
      'SampleConsortium',
    );
    await assert.rejects(createChannelCreateTx('x', { application: p.application! }), {
      code: 'CONFIGTX_PROFILE_INVALID',
    });
  });
});
