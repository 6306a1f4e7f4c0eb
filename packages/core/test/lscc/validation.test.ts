// The committer on a legacy channel (application capability V1_4_2 only): lscc deploy / upgrade
// transactions as the endorser produces them (lscc's ChaincodeData write + the Init's writes) are
// validated by lscc's rules (any member endorses, the write matches the deployment spec, deploy finds
// nothing, upgrade finds an older version, the creator satisfies the instantiation policy), and the
// chaincode lscc defines is validated with the policy of its ChaincodeData.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  LedgerManager,
  type TxRwSet,
  blockDataHash,
  blockHeaderHash,
  encodeTxRwSet,
} from '@fabric-peer/ledger';
import { type SigningIdentity, signaturePolicyFromString, signedByAnyOf } from '@fabric-peer/msp';
import { common, protos } from '@fabric-peer/protos';
import { type Channel, ChannelManager } from '../../src/channel/index.js';
import { configFromBlock, genesisBlockFromConfig } from '../../src/configtx/index.js';
import { type ChaincodeData, cdsFingerprint, encodeChaincodeData } from '../../src/lscc/index.js';
import { CHANNEL, type DevChain, devChain, signBlock } from '../committer/devchain.js';

const C = protos.TxValidationCode;
const s = (x: string): Buffer => Buffer.from(x);

/** A write-only rw-set: namespace -> key -> value. */
function rw(writes: Record<string, Record<string, Uint8Array>>): TxRwSet {
  return {
    nsRwSets: Object.entries(writes).map(([namespace, kv]) => ({
      namespace,
      kvRwSet: {
        reads: [],
        rangeQueriesInfo: [],
        writes: Object.entries(kv).map(([key, value]) => ({ key, value, isDelete: false })),
        metadataWrites: [],
      },
      collHashedRwSets: [],
    })),
  };
}

/** An endorser transaction invoking `cc` with `args`, signed by `creator`, endorsed by `endorsers`. */
function endorserTx(
  creator: SigningIdentity,
  endorsers: SigningIdentity[],
  cc: string,
  args: Uint8Array[],
  rwSet: TxRwSet,
): Uint8Array {
  const nonce = randomBytes(24);
  const creatorBytes = creator.serialize();
  const txId = createHash('sha256').update(nonce).update(creatorBytes).digest('hex');
  const chdr = common.ChannelHeader.encode({
    type: common.HeaderType.ENDORSER_TRANSACTION,
    channelId: CHANNEL,
    txId,
    extension: protos.ChaincodeHeaderExtension.encode({ chaincodeId: { name: cc } }),
  });
  const shdr = common.SignatureHeader.encode({ creator: creatorBytes, nonce });
  const ccpp = protos.ChaincodeProposalPayload.encode({
    input: protos.ChaincodeInvocationSpec.encode({
      chaincodeSpec: { chaincodeId: { name: cc }, input: { args } },
    }),
  });
  const prp = protos.ProposalResponsePayload.encode({
    proposalHash: createHash('sha256').update(chdr).update(shdr).update(ccpp).digest(),
    extension: protos.ChaincodeAction.encode({
      results: encodeTxRwSet(rwSet),
      response: { status: 200 },
      chaincodeId: { name: cc, version: '' },
    }),
  });
  const cap = protos.ChaincodeActionPayload.encode({
    chaincodeProposalPayload: ccpp,
    action: {
      proposalResponsePayload: prp,
      endorsements: endorsers.map((e) => ({
        endorser: e.serialize(),
        signature: e.sign(Buffer.concat([prp, e.serialize()])),
      })),
    },
  });
  const payload = common.Payload.encode({
    header: { channelHeader: chdr, signatureHeader: shdr },
    data: protos.Transaction.encode({ actions: [{ header: shdr, payload: cap }] }),
  });
  return common.Envelope.encode({ payload, signature: creator.sign(payload) });
}

describe('committer: lscc transactions on a legacy channel', () => {
  let dev: DevChain;
  let admin: SigningIdentity;
  let ledgers: LedgerManager;
  let channels: ChannelManager;
  let ch: Channel;
  const peerOnly = common.SignaturePolicyEnvelope.encode(signaturePolicyFromString("OR('Org1MSP.peer')"));
  const anyAdmin = common.SignaturePolicyEnvelope.encode(signedByAnyOf(['Org1MSP'], 'admin'));

  const cds = (version: string): protos.ChaincodeDeploymentSpec =>
    protos.ChaincodeDeploymentSpec.create({
      chaincodeSpec: {
        type: protos.ChaincodeSpec_Type.NODE,
        chaincodeId: { name: 'mycc', version },
        input: { args: [s('init')] },
      },
    });
  const data = (version: string, over: Partial<ChaincodeData> = {}): Uint8Array =>
    encodeChaincodeData({
      name: 'mycc',
      version,
      escc: 'escc',
      vscc: 'vscc',
      policy: peerOnly,
      ...cdsFingerprint(cds(version)),
      instantiationPolicy: anyAdmin,
      ...over,
    });
  /** lscc deploy|upgrade of mycc:version as the endorser simulates it: ChaincodeData + Init's writes. */
  const lsccTx = (
    fn: 'deploy' | 'upgrade',
    version: string,
    o: { creator?: SigningIdentity; writes?: Record<string, Uint8Array>; cd?: Uint8Array } = {},
  ): Uint8Array =>
    endorserTx(
      o.creator ?? admin,
      [dev.peer],
      'lscc',
      [s(fn), s(CHANNEL), protos.ChaincodeDeploymentSpec.encode(cds(version))],
      rw({ lscc: { mycc: o.cd ?? data(version), ...o.writes }, mycc: { initialized: s(version) } }),
    );
  const commit = async (txs: Uint8Array[]): Promise<number[]> => {
    const prev = await ch.ledger.getBlockByNumber(ch.height - 1);
    const header = {
      number: ch.height,
      previousHash: blockHeaderHash(prev.header!),
      dataHash: blockDataHash(txs),
    };
    const block = signBlock({ header, data: { data: txs }, metadata: undefined }, dev.ordererSigner);
    return (await ch.commitBlock(block)).validationCodes;
  };
  const state = async (ns: string, key: string): Promise<string | undefined> => {
    const qe = await ch.ledger.newQueryExecutor();
    try {
      const v = await qe.getState(ns, key);
      return v === undefined ? undefined : Buffer.from(v).toString('utf8');
    } finally {
      await qe.done();
    }
  };

  before(async () => {
    dev = await devChain();
    admin = dev.org.admin.toMSP().getSigningIdentity();
    // The dev chain's channel, with the application group's capability set back to V1_4_2.
    const { config } = configFromBlock(dev.genesis);
    const app = config.channelGroup!.groups.Application!;
    app.values.Capabilities = common.ConfigValue.create({
      modPolicy: 'Admins',
      value: common.Capabilities.encode({ capabilities: { V1_4_2: {} } }),
    });
    ledgers = await LedgerManager.open({ inMemory: true });
    channels = await ChannelManager.open({ ledgers });
    ch = await channels.joinChannel(genesisBlockFromConfig(CHANNEL, config));
  });
  after(async () => {
    await channels.close();
    await ledgers.close();
  });

  it('a deploy is VALID with its Init writes; refused when not any member endorsed it or the creator is no admin', async () => {
    const unendorsed = endorserTx(
      admin,
      [],
      'lscc',
      [s('deploy'), s(CHANNEL), protos.ChaincodeDeploymentSpec.encode(cds('1.0'))],
      rw({ lscc: { mycc: data('1.0') } }),
    );
    assert.deepEqual(await commit([unendorsed, lsccTx('deploy', '1.0', { creator: dev.client })]), [
      C.ENDORSEMENT_POLICY_FAILURE,
      C.ENDORSEMENT_POLICY_FAILURE,
    ]);
    assert.equal(await state('lscc', 'mycc'), undefined);
    assert.deepEqual(await commit([lsccTx('deploy', '1.0')]), [C.VALID]);
    assert.equal(await state('mycc', 'initialized'), '1.0');
  });

  it("the deployed chaincode is validated with its ChaincodeData's endorsement policy", async () => {
    const invoke = (endorser: SigningIdentity): Uint8Array =>
      endorserTx(dev.client, [endorser], 'mycc', [s('put')], rw({ mycc: { k: s('v') } }));
    assert.deepEqual(await commit([invoke(dev.peer), invoke(dev.client)]), [
      C.VALID,
      C.ENDORSEMENT_POLICY_FAILURE,
    ]);
    // A user chaincode may not write to lscc; an undefined one not at all.
    assert.deepEqual(
      await commit([
        endorserTx(
          dev.client,
          [dev.peer],
          'mycc',
          [s('x')],
          rw({ mycc: { a: s('1') }, lscc: { mycc: data('9') } }),
        ),
        endorserTx(dev.client, [dev.peer], 'nocc', [s('x')], rw({ nocc: { a: s('1') } })),
      ]),
      [C.ILLEGAL_WRITESET, C.INVALID_CHAINCODE],
    );
  });

  it('refuses a second deploy, a write that does not match the spec, extra lscc writes, a non-admin upgrade', async () => {
    assert.deepEqual(
      await commit([
        lsccTx('deploy', '1.1'),
        lsccTx('upgrade', '2.0', { cd: data('2.1') }),
        lsccTx('upgrade', '2.0', { writes: { other: s('x') } }),
        lsccTx('upgrade', '2.0', { creator: dev.client }),
        lsccTx('upgrade', '1.0'),
      ]),
      Array(5).fill(C.ENDORSEMENT_POLICY_FAILURE),
    );
    assert.match((await state('lscc', 'mycc')) ?? '', /1\.0/);
  });

  it('an upgrade by an admin is VALID and the new version is in force', async () => {
    assert.deepEqual(await commit([lsccTx('upgrade', '2.0')]), [C.VALID]);
    assert.equal(await state('mycc', 'initialized'), '2.0');
    assert.match((await state('lscc', 'mycc')) ?? '', /2\.0/);
  });
});
