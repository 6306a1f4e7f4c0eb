// The endorsement plan across organisations: a three-org channel (configtx genesis), the chaincode's
// policy turned into layouts, and peers of other orgs asked through stand-in endorsers that sign like
// ESCC - so the gateway's multi-org choices are checked without running three peers.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { type DevOrg, generateOrg, signaturePolicyFromString, type SigningIdentity } from '@fabric-peer/msp';
import { common, protos } from '@fabric-peer/protos';
import {
  type ChannelConfig,
  channelConfigFromBlock,
  channelConfigFromConfig,
} from '../../src/channel/index.js';
import { createGenesisBlock } from '../../src/configtx/index.js';
import {
  type ChannelPeer,
  chaincodeDescriptor,
  endorsementLayouts,
  lifecycleDefinition,
  lifecycleEndorsementPolicy,
} from '../../src/discovery/index.js';
import { endorseByPolicy, endorseForOrgs, type EndorseContext } from '../../src/gateway/endorse.js';
import { type GatewayEndorser, NoResponseError } from '../../src/gateway/endorsers.js';
import { type GatewayError } from '../../src/gateway/index.js';
import type { ChaincodeDefinition } from '../../src/lifecycle/index.js';

const ORGS = ['Org1MSP', 'Org2MSP', 'Org3MSP'];
const PRP = protos.ProposalResponsePayload.encode({
  proposalHash: Buffer.alloc(32, 7),
  extension: Buffer.from('x'),
});

describe('endorsement plans across organisations', () => {
  let orgs: DevOrg[];
  let config: ChannelConfig;
  let signers: SigningIdentity[];

  before(async () => {
    orgs = await Promise.all(
      ORGS.map((mspId, i) => generateOrg({ kind: 'peer', domain: `org${i + 1}.example.com`, mspId })),
    );
    const ordererOrg = await generateOrg({ kind: 'orderer', domain: 'example.com', mspId: 'OrdererMSP' });
    const genesis = await createGenesisBlock('three', {
      orderer: {
        ordererType: 'solo',
        batchTimeout: '2s',
        batchSize: { maxMessageCount: 10, absoluteMaxBytes: 1 << 20, preferredMaxBytes: 1 << 19 },
        organizations: [
          {
            name: 'OrdererOrg',
            mspId: 'OrdererMSP',
            msp: { config: ordererOrg.mspConfig },
            ordererEndpoints: ['127.0.0.1:7050'],
          },
        ],
      },
      application: {
        organizations: orgs.map((o) => ({ name: o.mspId, mspId: o.mspId, msp: { config: o.mspConfig } })),
      },
    } as never);
    config = channelConfigFromBlock(genesis);
    signers = orgs.map((o) => o.nodes[0]!.toMSP().getSigningIdentity());
  });

  const peers = (): ChannelPeer[] =>
    signers.map((s, i) => ({
      endpoint: `peer0.org${i + 1}:7051`,
      mspId: ORGS[i]!,
      identity: s.serialize(),
      ledgerHeight: 5,
      chaincodes: [{ name: 'cc', version: '1.0' }],
    }));

  const channel = (policy: common.ApplicationPolicy) => ({
    id: 'three',
    config: () => config,
    definitions: {
      get: async (name: string): Promise<ChaincodeDefinition | undefined> =>
        name !== 'cc'
          ? undefined
          : {
              name,
              sequence: 1,
              version: '1.0',
              initRequired: false,
              endorsementPlugin: 'escc',
              validationPlugin: 'vscc',
              validationParameter: common.ApplicationPolicy.encode(policy),
              collections: { config: [] },
            },
    },
  });

  /** Stand-in endorsers: sign PRP as ESCC does; `down` orgs do not answer; `differ` orgs simulate differently. */
  function ctx(
    policy: common.ApplicationPolicy,
    down: string[] = [],
    differ: string[] = [],
  ): EndorseContext & { asked: string[] } {
    const asked: string[] = [];
    const ps = peers();
    return {
      asked,
      channel: channel(policy),
      chaincode: 'cc',
      sp: { proposalBytes: Buffer.from('p'), signature: Buffer.from('s') },
      peers: ps,
      timeoutMs: 1000,
      endorserFor: (p): GatewayEndorser => ({
        address: p.endpoint,
        mspId: p.mspId,
        async processProposal() {
          asked.push(p.mspId);
          if (down.includes(p.mspId)) throw new NoResponseError('connection refused');
          const payload = differ.includes(p.mspId) ? Buffer.concat([PRP, Buffer.from([1])]) : PRP;
          const signer = signers[ORGS.indexOf(p.mspId)]!;
          const endorser = signer.serialize();
          return protos.ProposalResponse.create({
            version: 1,
            response: { status: 200 },
            payload,
            endorsement: { endorser, signature: signer.sign(Buffer.concat([payload, endorser])) },
          });
        },
      }),
    };
  }

  const endorsers = (a: protos.ChaincodeEndorsedAction): string[] =>
    a.endorsements.map((e) => ORGS.find((m) => Buffer.from(e.endorser).includes(Buffer.from(m)))!).sort();
  const majority: common.ApplicationPolicy = {
    channelConfigPolicyReference: '/Channel/Application/Endorsement',
  };

  test('layouts: OR, AND, OutOf and the channel MAJORITY of three orgs', () => {
    const sig = (rule: string) =>
      endorsementLayouts(
        common.ApplicationPolicy.encode({ signaturePolicy: signaturePolicyFromString(rule) }),
        config,
      );
    assert.equal(sig("OR('Org1MSP.peer','Org2MSP.peer')").layouts.length, 2);
    const and = sig("AND('Org1MSP.peer',OR('Org2MSP.peer','Org3MSP.peer'))");
    assert.equal(and.layouts.length, 2);
    assert.ok(and.layouts.every((l) => [...l.values()].reduce((x, y) => x + y) === 2));
    assert.equal(sig("OutOf(2,'Org1MSP.peer','Org2MSP.peer','Org3MSP.peer')").layouts.length, 3);
    const m = endorsementLayouts(common.ApplicationPolicy.encode(majority), config);
    assert.equal(m.principals.length, 3);
    assert.deepEqual(
      m.layouts.map((l) => l.size),
      [2, 2, 2],
    );
  });

  test('MAJORITY: this peer plus one more org; a dead org is skipped for the next layout', async () => {
    const all = await endorseByPolicy(ctx(majority));
    assert.equal(all.endorsements.length, 2);
    assert.ok(endorsers(all).includes('Org1MSP'));
    const c = ctx(majority, ['Org2MSP']);
    const without2 = await endorseByPolicy(c);
    assert.deepEqual(endorsers(without2), ['Org1MSP', 'Org3MSP']);
    assert.deepEqual(Buffer.from(without2.proposalResponsePayload), Buffer.from(PRP));
  });

  test('AND with a dead org: ABORTED with the dead peer in the details', async () => {
    const policy = { signaturePolicy: signaturePolicyFromString("AND('Org1MSP.peer','Org2MSP.peer')") };
    await assert.rejects(endorseByPolicy(ctx(policy, ['Org2MSP'])), (err: GatewayError) => {
      assert.equal(err.code, 'GATEWAY_ABORTED');
      assert.match(err.message, /failed to collect enough transaction endorsements/);
      assert.deepEqual(err.details, [
        { address: 'peer0.org2:7051', mspId: 'Org2MSP', message: 'connection refused' },
      ]);
      return true;
    });
  });

  test('named orgs are asked exactly; differing results are refused', async () => {
    const c = ctx(majority);
    const a = await endorseForOrgs(c, ['Org2MSP', 'Org3MSP']);
    assert.deepEqual(endorsers(a), ['Org2MSP', 'Org3MSP']);
    assert.deepEqual(c.asked.sort(), ['Org2MSP', 'Org3MSP']);
    await assert.rejects(
      endorseForOrgs(ctx(majority, [], ['Org3MSP']), ['Org1MSP', 'Org3MSP']),
      (err: GatewayError) => {
        assert.equal(err.code, 'GATEWAY_ABORTED');
        assert.match(err.message, /failed to collect enough transaction endorsements/);
        assert.deepEqual(
          err.details.map((d) => d.message),
          ['ProposalResponsePayloads do not match'],
        );
        return true;
      },
    );
  });

  test('a peer whose result differs does not count: the next layout is tried, as Fabric does', async () => {
    const c = ctx(majority, [], ['Org2MSP']);
    const a = await endorseByPolicy(c);
    assert.deepEqual(endorsers(a), ['Org1MSP', 'Org3MSP']);
    // Every other org differing (an approval, say: each org writes its own implicit collection).
    await assert.rejects(endorseByPolicy(ctx(majority, [], ['Org2MSP', 'Org3MSP'])), (err: GatewayError) => {
      assert.match(err.message, /failed to collect enough transaction endorsements/);
      assert.deepEqual(err.details.map((d) => `${d.mspId}: ${d.message}`).sort(), [
        'Org2MSP: ProposalResponsePayloads do not match',
        'Org3MSP: ProposalResponsePayloads do not match',
      ]);
      return true;
    });
  });

  test('discovery descriptor for the same policy: three layouts of two groups', async () => {
    const d = await chaincodeDescriptor(
      channel(majority),
      { chaincodes: [{ name: 'cc' } as never] },
      peers(),
    );
    assert.equal(d.layouts.length, 3);
    assert.deepEqual(Object.keys(d.endorsersByGroups).sort(), ['G0', 'G1', 'G2']);
    assert.ok(d.layouts.every((l) => Object.values(l.quantitiesByGroup).join() === '1,1'));
  });

  test('_lifecycle: planned from /Channel/Application/LifecycleEndorsement (MAJORITY) on every peer', async () => {
    const withLifecycle = (ps: ChannelPeer[]): ChannelPeer[] =>
      ps.map((p) => ({ ...p, chaincodes: [...p.chaincodes, { name: '_lifecycle', version: '1' }] }));
    const c = ctx(majority);
    const a = await endorseByPolicy({ ...c, chaincode: '_lifecycle', peers: withLifecycle(c.peers) });
    assert.equal(a.endorsements.length, 2);
    assert.ok(endorsers(a).includes('Org1MSP'));
    assert.deepEqual(
      common.ApplicationPolicy.decode(lifecycleEndorsementPolicy(config)).channelConfigPolicyReference,
      '/Channel/Application/LifecycleEndorsement',
    );
    const d = await chaincodeDescriptor(
      channel(majority),
      { chaincodes: [{ name: '_lifecycle' } as never] },
      withLifecycle(peers()),
    );
    assert.equal(d.chaincode, '_lifecycle');
    assert.equal(d.layouts.length, 3);
    // Peers that do not advertise _lifecycle are not planned (Fabric peers always do).
    await assert.rejects(
      chaincodeDescriptor(channel(majority), { chaincodes: [{ name: '_lifecycle' } as never] }, peers()),
      /failed constructing descriptor for chaincodes:<name:"_lifecycle" >/,
    );
  });

  test('_lifecycle on a channel without LifecycleEndorsement: a majority of the orgs members', () => {
    const tree = common.Config.decode(common.Config.encode(config.config));
    delete tree.channelGroup!.groups.Application!.policies.LifecycleEndorsement;
    const old = channelConfigFromConfig('three', tree, 0);
    const policy = common.ApplicationPolicy.decode(lifecycleEndorsementPolicy(old));
    assert.equal(policy.signaturePolicy?.rule?.nOutOf?.n, 2);
    assert.deepEqual(
      policy.signaturePolicy!.identities.map((p) => common.MSPRole.decode(p.principal)),
      ORGS.map((mspIdentifier) => ({ mspIdentifier, role: common.MSPRole_MSPRoleType.MEMBER })),
    );
    assert.equal(lifecycleDefinition(old)?.sequence, 1);
    const layouts = endorsementLayouts(lifecycleDefinition(old)!.validationParameter, old);
    assert.deepEqual(
      layouts.layouts.map((l) => l.size),
      [2, 2, 2],
    );
  });

  test('an endorser slower than peer.gateway.endorsementTimeout: DEADLINE_EXCEEDED', async () => {
    const c = ctx(majority);
    const slow: EndorseContext = {
      ...c,
      timeoutMs: 50,
      endorserFor: (p) => ({
        address: p.endpoint,
        mspId: p.mspId,
        processProposal: () => new Promise(() => undefined),
      }),
    };
    await assert.rejects(endorseByPolicy(slow), (err: GatewayError) => {
      assert.equal(err.code, 'GATEWAY_DEADLINE_EXCEEDED');
      assert.equal(err.message, 'endorsement timeout expired while collecting first endorsement');
      assert.equal(err.details[0]?.address, 'peer0.org1:7051');
      return true;
    });
  });
});
