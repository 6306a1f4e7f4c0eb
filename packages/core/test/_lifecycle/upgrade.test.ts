// _lifecycle once the fixture definition is committed: re-approvals, the committed sequence, and an
// upgrade to sequence 2 through the real committer (LifecycleEndorsement refuses a one-org commit).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeTxRwSet } from '@fabric-peer/ledger';
import { common, lifecycle, protos } from '@fabric-peer/protos';
import { TransientStore } from '../../src/transientstore/index.js';
import { BACKING, approve, commit, fails, readiness } from './calls.js';
import {
  type Harness,
  commitFixtureLifecycle,
  cutBlock,
  endorse,
  fixtureSigners,
  harness,
  simulate,
} from './harness.js';

const L = lifecycle;

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
