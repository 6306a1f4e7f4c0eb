// Collection configs in definitions: checked against the channel's orgs and Fabric's rules at approve,
// carried byte for byte into the approval and the committed definition, and an upgrade may not drop a
// committed collection or change its BlockToLive.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signaturePolicyFromString } from '@fabric-peer/msp';
import { lifecycle, protos } from '@fabric-peer/protos';
import { type Harness, cutBlock, endorse, fixtureSigners, fn, harness, simulate } from './harness.js';

const L = lifecycle;
const coll = (
  name: string,
  policy: string,
  o: Partial<protos.StaticCollectionConfig> = {},
): protos.CollectionConfig => ({
  staticCollectionConfig: {
    name,
    memberOrgsPolicy: { signaturePolicy: signaturePolicyFromString(policy) },
    requiredPeerCount: 0,
    maximumPeerCount: 1,
    blockToLive: 0,
    memberOnlyRead: true,
    memberOnlyWrite: true,
    endorsementPolicy: undefined,
    ...o,
  },
});
const BOTH = "OR('Org1MSP.member','Org2MSP.member')";
const approve = (sequence: number, config: protos.CollectionConfig[]): Uint8Array[] =>
  fn(
    'ApproveChaincodeDefinitionForMyOrg',
    L.ApproveChaincodeDefinitionForMyOrgArgs.encode({
      sequence,
      name: 'pdc',
      version: `${sequence}`,
      collections: { config },
    }),
  );
const commit = (sequence: number, config: protos.CollectionConfig[]): Uint8Array[] =>
  fn(
    'CommitChaincodeDefinition',
    L.CommitChaincodeDefinitionArgs.encode({
      sequence,
      name: 'pdc',
      version: `${sequence}`,
      collections: { config },
    }),
  );

describe('_lifecycle with collection configs', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(() => h.close());

  it('refuses collection configs Fabric refuses', async () => {
    const prefix =
      "failed to invoke backing implementation of 'ApproveChaincodeDefinitionForMyOrg': error validating chaincode definition: ";
    const cases: [protos.CollectionConfig[], string][] = [
      [
        [coll('_bad', BOTH)],
        "invalid collection name '_bad'. Names can only consist of alphanumerics, '_', and '-' and cannot begin with '_'",
      ],
      [
        [coll('a', BOTH), coll('a', BOTH)],
        'collection-name: a -- found duplicate in collection configuration',
      ],
      [
        [coll('a', BOTH, { requiredPeerCount: 2 })],
        'collection-name: a -- maximum peer count (1) cannot be less than the required peer count (2)',
      ],
      [
        [coll('a', "OR('Org3MSP.member')")],
        "collection-name: a -- collection member 'Org3MSP' is not part of the channel",
      ],
      [
        [coll('a', "AND('Org1MSP.member','Org2MSP.member')")],
        'collection-name: a -- error in member org policy: signature policy is not an OR concatenation, NOutOf 2',
      ],
      [
        [
          {
            staticCollectionConfig: {
              ...coll('a', BOTH).staticCollectionConfig!,
              memberOrgsPolicy: undefined,
            },
          },
        ],
        "collection member policy is not set for collection 'a'",
      ],
    ];
    for (const [config, message] of cases) {
      const r = await simulate(h, h.org1, h.admin1, approve(1, config));
      assert.equal(r.response.message, prefix + message);
    }
  });

  it('commits a definition with a collection; an upgrade must keep it and its BlockToLive', async () => {
    const { orderer, peer1, peer2 } = await fixtureSigners();
    const c1 = [coll('shared', BOTH, { blockToLive: 10 })];
    for (const [scc, admin, peer] of [
      [h.org1, h.admin1, peer1],
      [h.org2, h.admin2, peer2],
    ] as const) {
      const e = await endorse(h, scc, admin, [peer], approve(1, c1));
      assert.deepEqual(
        (await h.channel.commitBlock(await cutBlock(h, orderer, [e.env]))).validationCodes,
        [0],
      );
    }
    const e = await endorse(h, h.org1, h.admin1, [peer1, peer2], commit(1, c1));
    assert.deepEqual((await h.channel.commitBlock(await cutBlock(h, orderer, [e.env]))).validationCodes, [0]);
    const q = await simulate(
      h,
      h.org1,
      h.admin1,
      fn('QueryChaincodeDefinition', L.QueryChaincodeDefinitionArgs.encode({ name: 'pdc' })),
    );
    const d = L.QueryChaincodeDefinitionResult.decode(q.response.payload);
    assert.deepEqual(
      protos.CollectionConfigPackage.encode(d.collections!),
      protos.CollectionConfigPackage.encode({ config: c1 }),
    );
    assert.deepEqual(d.approvals, { Org1MSP: true, Org2MSP: true });
    // The channel's reader sees the same collections.
    const def = await h.channel.definitions.get('pdc');
    assert.equal(def?.collections.config[0]?.staticCollectionConfig?.name, 'shared');

    const prefix =
      "failed to invoke backing implementation of 'ApproveChaincodeDefinitionForMyOrg': error validating chaincode definition: ";
    assert.equal(
      (await simulate(h, h.org1, h.admin1, approve(2, []))).response.message,
      `${prefix}the proposed collection config does not contain previously defined collections`,
    );
    assert.equal(
      (await simulate(h, h.org1, h.admin1, approve(2, [coll('other', BOTH)]))).response.message,
      `${prefix}existing collection [shared] missing in the proposed collection configuration`,
    );
    assert.equal(
      (await simulate(h, h.org1, h.admin1, approve(2, [coll('shared', BOTH, { blockToLive: 5 })]))).response
        .message,
      `${prefix}the BlockToLive in an existing collection [shared] modified. Existing value [10]`,
    );
    const more = await simulate(
      h,
      h.org1,
      h.admin1,
      approve(2, [...c1, coll('extra', "OR('Org1MSP.member')")]),
    );
    assert.equal(more.response.status, 200, more.response.message);
  });
});
