// _lifecycle's refusals, with Fabric's messages: sequences, names, approvals, packages, ACLs, args.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeTxRwSet } from '@fabric-peer/ledger';
import { common, lifecycle, protos } from '@fabric-peer/protos';
import { LifecycleSCC } from '../../src/_lifecycle/index.js';
import { ACLProvider } from '../../src/acl/index.js';
import { TransientStore } from '../../src/transientstore/index.js';
import { peerMSP, userMSP } from '../channel/fabric-fixture.js';
import {
  type Harness,
  commitFixtureLifecycle,
  cutBlock,
  endorse,
  fixtureSigners,
  fn,
  harness,
  invoke,
  packageBytes,
  packageId,
  simulate,
} from './harness.js';

const L = lifecycle;
const BACKING = (f: string): string => `failed to invoke backing implementation of '${f}': `;

const approve = (o: Partial<lifecycle.ApproveChaincodeDefinitionForMyOrgArgs> = {}): Uint8Array[] =>
  fn(
    'ApproveChaincodeDefinitionForMyOrg',
    L.ApproveChaincodeDefinitionForMyOrgArgs.encode({
      sequence: 1,
      name: 'asset',
      version: '1.0',
      source: { localPackage: { packageId: packageId() } },
      ...o,
    }),
  );
const commit = (o: Partial<lifecycle.CommitChaincodeDefinitionArgs> = {}): Uint8Array[] =>
  fn(
    'CommitChaincodeDefinition',
    L.CommitChaincodeDefinitionArgs.encode({ sequence: 1, name: 'asset', version: '1.0', ...o }),
  );
const readiness = (o: Partial<lifecycle.CheckCommitReadinessArgs> = {}): Uint8Array[] =>
  fn(
    'CheckCommitReadiness',
    L.CheckCommitReadinessArgs.encode({ sequence: 1, name: 'asset', version: '1.0', ...o }),
  );

function fails(r: protos.Response, status: number, message: string): void {
  assert.equal(r.message, message);
  assert.equal(r.status, status);
}

describe('_lifecycle refusals on a fresh channel', () => {
  let h: Harness;
  let acl: () => ACLProvider;
  before(async () => {
    h = await harness();
    const local = await peerMSP(1);
    acl = () => new ACLProvider({ channels: h.channels, localMSP: local });
  });
  after(() => h.close());

  it('wrong sequences', async () => {
    const f = BACKING('ApproveChaincodeDefinitionForMyOrg');
    fails(
      (await simulate(h, h.org1, h.admin1, approve({ sequence: 0 }))).response,
      500,
      `${f}requested sequence is 0, but first definable sequence number is 1`,
    );
    fails(
      (await simulate(h, h.org1, h.admin1, approve({ sequence: 2 }))).response,
      500,
      `${f}requested sequence 2 is larger than the next available sequence number 1`,
    );
    fails(
      (await simulate(h, h.org1, h.admin1, commit({ sequence: 2 }))).response,
      500,
      `${BACKING('CommitChaincodeDefinition')}requested sequence is 2, but new definition must be sequence 1`,
    );
    fails(
      (await simulate(h, h.org1, h.admin1, readiness({ sequence: 3 }))).response,
      500,
      `${BACKING('CheckCommitReadiness')}requested sequence is 3, but new definition must be sequence 1`,
    );
  });

  it('a commit this org has not approved', async () => {
    const r = await simulate(h, h.org1, h.admin1, commit());
    fails(
      r.response,
      500,
      `${BACKING('CommitChaincodeDefinition')}chaincode definition not agreed to by this org (Org1MSP)`,
    );
    const ready = await simulate(h, h.org1, h.admin1, readiness());
    assert.deepEqual(L.CheckCommitReadinessResult.decode(ready.response.payload).approvals, {
      Org1MSP: false,
      Org2MSP: false,
    });
  });

  it('names and versions', async () => {
    const f = `${BACKING('ApproveChaincodeDefinitionForMyOrg')}error validating chaincode definition: `;
    fails(
      (await simulate(h, h.org1, h.admin1, approve({ name: 'my cc' }))).response,
      500,
      `${f}invalid chaincode name 'my cc'. Names can only consist of alphanumerics, '_', and '-' and can only begin with alphanumerics`,
    );
    fails(
      (await simulate(h, h.org1, h.admin1, approve({ name: 'lscc' }))).response,
      500,
      `${f}chaincode name 'lscc' is the name of a system chaincode`,
    );
    fails(
      (await simulate(h, h.org1, h.admin1, approve({ version: '1 0' }))).response,
      500,
      `${f}invalid chaincode version '1 0'. Versions can only consist of alphanumerics, '_', '-', '+', and '.'`,
    );
  });

  it('queries of what does not exist', async () => {
    fails(
      (
        await simulate(
          h,
          h.org1,
          h.admin1,
          fn('QueryChaincodeDefinition', L.QueryChaincodeDefinitionArgs.encode({ name: 'nope' })),
        )
      ).response,
      404,
      'namespace nope is not defined',
    );
    fails(
      (
        await simulate(
          h,
          h.org1,
          h.admin1,
          fn(
            'QueryApprovedChaincodeDefinition',
            L.QueryApprovedChaincodeDefinitionArgs.encode({ name: 'asset' }),
          ),
        )
      ).response,
      500,
      `${BACKING('QueryApprovedChaincodeDefinition')}could not fetch approved chaincode definition (name: 'asset', sequence: '0') on channel 'mychannel'`,
    );
    fails(
      await invoke(
        h.org1,
        h.admin1,
        '',
        fn('QueryInstalledChaincode', L.QueryInstalledChaincodeArgs.encode({ packageId: 'nope:1' })),
      ),
      500,
      `${BACKING('QueryInstalledChaincode')}could not find chaincode with package id 'nope:1'`,
    );
    fails(
      await invoke(
        h.org1,
        h.admin1,
        '',
        fn(
          'GetInstalledChaincodePackage',
          L.GetInstalledChaincodePackageArgs.encode({ packageId: 'nope:1' }),
        ),
      ),
      500,
      `${BACKING('GetInstalledChaincodePackage')}could not load cc install package: chaincode install package 'nope:1' not found`,
    );
    assert.equal(await h.org1.resolveChaincodePackage('mychannel', 'asset'), undefined);
  });

  it('bad packages, args and functions', async () => {
    const bad = await invoke(
      h.org1,
      h.admin1,
      '',
      fn('InstallChaincode', L.InstallChaincodeArgs.encode({ chaincodeInstallPackage: Buffer.from('nope') })),
    );
    assert.equal(bad.status, 500);
    assert.match(
      bad.message,
      /^failed to invoke backing implementation of 'InstallChaincode': could not parse as a chaincode install package: /,
    );
    fails(await invoke(h.org1, h.admin1, '', []), 500, 'lifecycle scc must be invoked with arguments');
    // A package found in the store after a restart (a new SCC over the same store) installs again, as
    // Fabric rebuilds it; the same process refuses a second install.
    const install = fn(
      'InstallChaincode',
      L.InstallChaincodeArgs.encode({ chaincodeInstallPackage: packageBytes() }),
    );
    assert.equal((await invoke(h.org1, h.admin1, '', install)).status, 200);
    const restarted = new LifecycleSCC({
      mspId: 'Org1MSP',
      acl: acl(),
      channels: h.channels,
      store: h.store,
    });
    assert.equal((await invoke(restarted, h.admin1, '', install)).status, 200);
    assert.match(
      (await invoke(restarted, h.admin1, '', install)).message,
      /chaincode already successfully installed/,
    );
    fails(
      await invoke(h.org1, h.admin1, '', [Buffer.from('QueryInstalledChaincodes')]),
      500,
      'lifecycle scc operations require exactly two arguments but received 1',
    );
    fails(
      await invoke(h.org1, h.admin1, 'nochannel', approve()),
      500,
      "could not get channelconfig for channel 'nochannel'",
    );
  });

  it('ACLs: install needs a local admin, approve a channel writer', async () => {
    const user = (await userMSP(1, 'User1')).getSigningIdentity();
    const r = await invoke(
      h.org1,
      user,
      '',
      fn('InstallChaincode', L.InstallChaincodeArgs.encode({ chaincodeInstallPackage: Buffer.alloc(0) })),
    );
    assert.equal(r.status, 500);
    assert.match(r.message, /^Failed to authorize invocation due to failed ACL check: /);
    // Org2's admin is no admin of this (Org1) peer.
    const other = await invoke(
      h.org1,
      h.admin2,
      '',
      fn('QueryInstalledChaincodes', L.QueryInstalledChaincodesArgs.encode({})),
    );
    assert.match(other.message, /^Failed to authorize invocation due to failed ACL check: /);
  });
});

describe('_lifecycle refusals once the fixture definition is committed', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(() => h.close());

  it('re-approving the uncommitted sequence unchanged is refused; a new package is not', async () => {
    await commitFixtureLifecycle(h, 2);
    const f = BACKING('ApproveChaincodeDefinitionForMyOrg');
    fails(
      (await simulate(h, h.org1, h.admin1, approve())).response,
      500,
      `${f}attempted to redefine uncommitted sequence (1) for namespace asset with unchanged content`,
    );
    const changed = await simulate(
      h,
      h.org1,
      h.admin1,
      approve({ source: { localPackage: { packageId: 'other:1' } } }),
    );
    assert.equal(changed.response.status, 200, changed.response.message);
    // Only the PackageID field changes: one hashed write.
    const coll = changed.results.txRwSet.nsRwSets[0]!.collHashedRwSets[0]!;
    assert.equal(coll.hashedRwSet.hashedWrites.length, 1);
  });

  it('after the commit: the committed sequence cannot be redefined, the next must be 2', async () => {
    await commitFixtureLifecycle(h, 4);
    const f = BACKING('ApproveChaincodeDefinitionForMyOrg');
    fails(
      (await simulate(h, h.org1, h.admin1, approve({ version: '2.0' }))).response,
      500,
      `${f}attempted to redefine the current committed sequence (1) for namespace asset with different parameters: expected Version '1.0' does not match passed Version '2.0'`,
    );
    fails(
      (await simulate(h, h.org1, h.admin1, approve({ sequence: 3 }))).response,
      500,
      `${f}requested sequence 3 is larger than the next available sequence number 2`,
    );
    fails(
      (await simulate(h, h.org1, h.admin1, approve({ sequence: 0 }))).response,
      500,
      `${f}currently defined sequence 1 is larger than requested sequence 0`,
    );
    fails(
      (await simulate(h, h.org1, h.admin1, readiness())).response,
      500,
      `${BACKING('CheckCommitReadiness')}requested sequence is 1, but new definition must be sequence 2`,
    );
    // Approving the committed definition as it is writes nothing (Fabric's Serializer skips equal values).
    const same = await simulate(h, h.org1, h.admin1, approve());
    assert.equal(same.response.status, 200, same.response.message);
    assert.equal(same.results.pvt, undefined);
  });

  it('sequence 2: each org approves, readiness, an upgrade commit endorsed by both passes LifecycleEndorsement', async () => {
    const { orderer, peer1, peer2 } = await fixtureSigners();
    const s2 = { sequence: 2, version: '2.0' };
    const transient = new TransientStore();
    for (const [scc, admin, peer] of [
      [h.org1, h.admin1, peer1],
      [h.org2, h.admin2, peer2],
    ] as const) {
      const e = await endorse(h, scc, admin, [peer], approve(s2));
      if (scc === h.org1) transient.persist(e.txId, h.channel.height, e.pvt);
      const block = await cutBlock(h, orderer, [e.env]);
      const ev = await h.channel.commitBlock(block);
      assert.deepEqual(ev.validationCodes, [0]);
    }
    // (committed without pvtData by today's committer: only hashes, which is all readiness needs)
    const ready = await simulate(h, h.org1, h.admin1, readiness(s2));
    assert.deepEqual(L.CheckCommitReadinessResult.decode(ready.response.payload).approvals, {
      Org1MSP: true,
      Org2MSP: true,
    });
    assert.equal(transient.size, 1);

    // Endorsed by Org1 alone: the committer refuses it (MAJORITY of 2 orgs = both).
    const lone = await endorse(h, h.org1, h.admin1, [peer1], commit(s2));
    const refused = await h.channel.commitBlock(await cutBlock(h, orderer, [lone.env]));
    assert.deepEqual(refused.validationCodes, [10], 'ENDORSEMENT_POLICY_FAILURE');
    assert.equal((await h.channel.definitions.get('asset'))?.sequence, 1);

    const both = await endorse(h, h.org1, h.admin1, [peer1, peer2], commit(s2));
    // An upgrade writes Sequence and EndorsementInfo only: the rest is unchanged (Fabric's Serializer).
    const writes = decodeWrites(both.env);
    assert.deepEqual(writes, ['namespaces/fields/asset/EndorsementInfo', 'namespaces/fields/asset/Sequence']);
    const done = await h.channel.commitBlock(await cutBlock(h, orderer, [both.env]));
    assert.deepEqual(done.validationCodes, [0]);
    const def = await h.channel.definitions.get('asset');
    assert.equal(def?.sequence, 2);
    assert.equal(def?.version, '2.0');
  });
});

/** The public _lifecycle write keys of an endorser transaction. */
function decodeWrites(env: Uint8Array): string[] {
  const payload = common.Payload.decode(common.Envelope.decode(env).payload);
  const tx = protos.Transaction.decode(payload.data);
  const cap = protos.ChaincodeActionPayload.decode(tx.actions[0]!.payload);
  const prp = protos.ProposalResponsePayload.decode(cap.action!.proposalResponsePayload);
  const rw = decodeTxRwSet(protos.ChaincodeAction.decode(prp.extension).results);
  return rw.nsRwSets.find((n) => n.namespace === '_lifecycle')!.kvRwSet.writes.map((w) => w.key);
}
