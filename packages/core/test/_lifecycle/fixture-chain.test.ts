// _lifecycle against the real Fabric 2.5.12 chain: the SCC, given the args the CLI sent in blocks 2-4,
// produces the very rw-sets Fabric's peers endorsed (public writes byte for byte, private writes as the
// same key/value hashes and pvt_rwset_hash); the real blocks then commit on top of what it simulated,
// with this peer's private data handed over from the transient store, and the queries answer what the
// fixture's CLI printed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { lifecycle, rwset } from '@fabric-peer/protos';
import { decodeTxRwSet } from '@fabric-peer/ledger';
import {
  DEFAULT_ENDORSEMENT_POLICY_BYTES,
  LifecycleEndorsementInfo,
  chaincodeResolver,
} from '../../src/_lifecycle/index.js';
import { MemoryChaincodeStore } from '../../src/persistence/index.js';
import { lifecycleFormat } from '../../src/client/index.js';
import { TransientStore, blockPvtData, blockTxIds } from '../../src/transientstore/index.js';
import { expectedCodes, ordererBlock } from '../channel/fabric-fixture.js';
import {
  type Harness,
  fixtureJson,
  fixtureTx,
  fn,
  harness,
  invoke,
  packageBytes,
  packageId,
  readFixture,
  simulate,
} from './harness.js';

const L = lifecycle;
const ok = (r: { status: number; message: string }): void => assert.equal(r.status, 200, r.message);

describe('_lifecycle on the Fabric 2.5.12 fixture chain', () => {
  let h: Harness;
  const transient = new TransientStore();
  const commitArgs = (): Uint8Array => fixtureTx(4).args[1]!;

  before(async () => {
    h = await harness();
  });
  after(() => h.close());

  it('installs the fixture package (channel-less, local admin) under its package id', async () => {
    const r = await invoke(
      h.org1,
      h.admin1,
      '',
      fn('InstallChaincode', L.InstallChaincodeArgs.encode({ chaincodeInstallPackage: packageBytes() })),
    );
    ok(r);
    const res = L.InstallChaincodeResult.decode(r.payload);
    assert.deepEqual(res, { packageId: packageId(), label: 'asset_1.0' });
    const again = await invoke(
      h.org1,
      h.admin1,
      '',
      fn('InstallChaincode', L.InstallChaincodeArgs.encode({ chaincodeInstallPackage: packageBytes() })),
    );
    assert.equal(again.status, 500);
    assert.equal(
      again.message,
      `failed to invoke backing implementation of 'InstallChaincode': chaincode already successfully installed (package ID '${packageId()}')`,
    );
  });

  it('block 2: Org1 approval gives the rw-set Fabric endorsed, byte for byte', async () => {
    const tx = fixtureTx(2);
    const { response, results } = await simulate(h, h.org1, h.admin1, tx.args, tx.txId);
    ok(response);
    assert.equal(response.payload.length, 0);
    assert.deepEqual(rwset.TxReadWriteSet.decode(results.bytes), rwset.TxReadWriteSet.decode(tx.results));
    assert.deepEqual(Buffer.from(results.bytes), Buffer.from(tx.results));
    // The endorser's job once wired: keep the private rw-set until the block commits.
    transient.persist(tx.txId, h.channel.height, results.pvtBytes);
  });

  it("block 2 commits with this peer's private data from the transient store", async () => {
    const block = ordererBlock(2);
    const pvtData = blockPvtData(transient, blockTxIds(block));
    assert.equal(pvtData.size, 1);
    // What the committer does once wired: ledger.commit with the pvtData of the block's valid txs.
    const result = await h.channel.ledger.commit(block, { pvtData });
    h.channel.definitions.invalidate();
    assert.deepEqual(result.validationCodes, expectedCodes(2));
    transient.purgeByTxIds(blockTxIds(block).map((t) => t.txId));
    assert.equal(transient.size, 0);
    // Org1's own approval is now readable in full (the ledger accepted it against pvt_rwset_hash).
    const q = await simulate(
      h,
      h.org1,
      h.admin1,
      fn(
        'QueryApprovedChaincodeDefinition',
        L.QueryApprovedChaincodeDefinitionArgs.encode({ name: 'asset', sequence: 1 }),
      ),
    );
    ok(q.response);
    const ap = L.QueryApprovedChaincodeDefinitionResult.decode(q.response.payload);
    assert.equal(ap.sequence, 1);
    assert.equal(ap.version, '1.0');
    assert.equal(ap.endorsementPlugin, 'escc');
    assert.equal(ap.validationPlugin, 'vscc');
    assert.deepEqual(Buffer.from(ap.validationParameter), Buffer.from(DEFAULT_ENDORSEMENT_POLICY_BYTES));
    assert.equal(ap.source?.localPackage?.packageId, packageId());
  });

  it('readiness after Org1 only: Org1MSP true, Org2MSP false', async () => {
    const r = await simulate(h, h.org1, h.admin1, fn('CheckCommitReadiness', commitArgs()));
    ok(r.response);
    assert.deepEqual(L.CheckCommitReadinessResult.decode(r.response.payload).approvals, {
      Org1MSP: true,
      Org2MSP: false,
    });
  });

  it("block 3: Org2 approval (an Org2 peer on the same state) gives Fabric's rw-set; the real block commits", async () => {
    const tx = fixtureTx(3);
    const { response, results } = await simulate(h, h.org2, h.admin2, tx.args, tx.txId);
    ok(response);
    assert.deepEqual(Buffer.from(results.bytes), Buffer.from(tx.results));
    const ev = await h.channel.commitBlock(ordererBlock(3));
    assert.deepEqual(ev.validationCodes, expectedCodes(3));
  });

  it('checkcommitreadiness answers checkcommitreadiness.json', async () => {
    const r = await simulate(h, h.org1, h.admin1, fn('CheckCommitReadiness', commitArgs()));
    ok(r.response);
    const [expected] = fixtureJson<{ approvals: Record<string, boolean> }>('checkcommitreadiness.json');
    const result = L.CheckCommitReadinessResult.decode(r.response.payload);
    assert.deepEqual(result.approvals, expected!.approvals);
    // And printed as the CLI prints it (client/'s formatter), the very text of the fixture file.
    assert.equal(lifecycleFormat.readinessJson(result), readFixture('checkcommitreadiness.json').trim());
  });

  it("block 4: the commit gives Fabric's rw-set; the real block passes LifecycleEndorsement and commits", async () => {
    const tx = fixtureTx(4);
    const { response, results } = await simulate(h, h.org1, h.admin1, tx.args, tx.txId);
    ok(response);
    assert.deepEqual(Buffer.from(results.bytes), Buffer.from(tx.results));
    // Before the commit the resolver knows no 'asset' (and caches that answer)...
    const resolve = chaincodeResolver({ channels: h.channels, mspId: 'Org1MSP', store: h.store });
    assert.equal(await resolve('mychannel', 'asset'), undefined);
    const generation = h.channel.definitions.generation;
    const ev = await h.channel.commitBlock(ordererBlock(4));
    assert.deepEqual(ev.validationCodes, expectedCodes(4));
    // ...the committer saw the block write _lifecycle and moved the generation: the cache is stale.
    assert.ok(h.channel.definitions.generation > generation);
    assert.deepEqual(await resolve('mychannel', 'asset'), { packageId: packageId() });
  });

  it('querycommitted answers querycommitted.json', async () => {
    const r = await simulate(
      h,
      h.org1,
      h.admin1,
      fn('QueryChaincodeDefinition', L.QueryChaincodeDefinitionArgs.encode({ name: 'asset' })),
    );
    ok(r.response);
    const d = L.QueryChaincodeDefinitionResult.decode(r.response.payload);
    const peers = fixtureJson<{
      sequence: number;
      version: string;
      endorsement_plugin: string;
      validation_plugin: string;
      validation_parameter: string;
      collections: object;
      approvals: Record<string, boolean>;
    }>('querycommitted.json');
    assert.equal(peers.length, 2, 'peer0.org1 and peer0.org2 both answered');
    // Both peers printed the same object; the CLI's formatter on our answer prints that text.
    const printed = lifecycleFormat.committedJson(d);
    assert.equal(`${printed}\n${printed}`, readFixture('querycommitted.json').trim());
    for (const want of peers) {
      assert.equal(d.sequence, want.sequence);
      assert.equal(d.version, want.version);
      assert.equal(d.endorsementPlugin, want.endorsement_plugin);
      assert.equal(d.validationPlugin, want.validation_plugin);
      assert.equal(Buffer.from(d.validationParameter).toString('base64'), want.validation_parameter);
      assert.deepEqual(d.collections?.config ?? [], []);
      assert.equal(d.initRequired, false);
      assert.deepEqual(d.approvals, want.approvals);
    }
    const all = await simulate(
      h,
      h.org1,
      h.admin1,
      fn('QueryChaincodeDefinitions', L.QueryChaincodeDefinitionsArgs.encode({})),
    );
    ok(all.response);
    const defs = L.QueryChaincodeDefinitionsResult.decode(all.response.payload).chaincodeDefinitions;
    assert.deepEqual(
      defs.map((x) => [x.name, x.sequence, x.version]),
      [['asset', 1, '1.0']],
    );
  });

  it('endorsement info of asset records the Sequence read every Go-endorsed asset tx carries (block 5)', async () => {
    const info = new LifecycleEndorsementInfo({ channels: h.channels, mspId: 'Org1MSP', store: h.store });
    const sim = await h.channel.ledger.newTxSimulator('t');
    try {
      const ei = await info.chaincodeEndorsementInfo('mychannel', 'asset', sim);
      assert.deepEqual(ei, {
        version: '1.0',
        endorsementPlugin: 'escc',
        enforceInit: false,
        chaincodeId: packageId(),
      });
      const ours = sim.getTxSimulationResults().txRwSet.nsRwSets;
      const theirs = decodeTxRwSet(fixtureTx(5).results).nsRwSets.find((n) => n.namespace === '_lifecycle');
      assert.deepEqual(ours, [theirs]);
    } finally {
      await sim.done();
    }
    const other = await h.channel.ledger.newTxSimulator('u');
    try {
      // Not defined in _lifecycle: lscc is asked (and has nothing), as Fabric's legacy fallback.
      await assert.rejects(
        info.chaincodeEndorsementInfo('mychannel', 'nope', other),
        /chaincode nope not found/,
      );
      const org2 = new LifecycleEndorsementInfo({
        channels: h.channels,
        mspId: 'Org2MSP',
        store: new MemoryChaincodeStore(),
      });
      await assert.rejects(
        org2.chaincodeEndorsementInfo('mychannel', 'asset', other),
        /exists, but chaincode is not installed/,
      );
    } finally {
      await other.done();
    }
  });

  it('the resolver finds the installed package this org approved; the reader agrees', async () => {
    assert.deepEqual(await h.org1.resolveChaincodePackage('mychannel', 'asset'), { packageId: packageId() });
    assert.equal(await h.org1.resolveChaincodePackage('mychannel', 'nothing'), undefined);
    // Org2's peer approved the same package id but has not installed it.
    await assert.rejects(
      h.org2.resolveChaincodePackage('mychannel', 'asset'),
      /chaincode definition for 'asset' exists, but chaincode is not installed/,
    );
    const def = await h.channel.definitions.get('asset');
    assert.equal(def?.sequence, 1);
    // chaincode/'s resolver for an Org2 peer: not installed, then installed (its index reloads on a miss).
    const store2 = new MemoryChaincodeStore();
    const resolve2 = chaincodeResolver({ channels: h.channels, mspId: 'Org2MSP', store: store2 });
    await assert.rejects(resolve2('mychannel', 'asset'), /but chaincode is not installed/);
    await store2.save('asset_1.0', packageBytes());
    assert.deepEqual(await resolve2('mychannel', 'asset'), { packageId: packageId() });
    // A package other than the approved one does not stand in for it.
    const store3 = new MemoryChaincodeStore();
    await store3.save('asset_node_1.0', packageBytes('asset-node.tar.gz'));
    await assert.rejects(
      chaincodeResolver({ channels: h.channels, mspId: 'Org1MSP', store: store3 })('mychannel', 'asset'),
      /not installed/,
    );
  });

  it('queryinstalled shows which channel definitions use the package', async () => {
    const r = await invoke(
      h.org1,
      h.admin1,
      '',
      fn('QueryInstalledChaincodes', L.QueryInstalledChaincodesArgs.encode({})),
    );
    ok(r);
    const res = L.QueryInstalledChaincodesResult.decode(r.payload);
    assert.deepEqual(res.installedChaincodes, [
      {
        packageId: packageId(),
        label: 'asset_1.0',
        references: { mychannel: { chaincodes: [{ name: 'asset', version: '1.0' }] } },
      },
    ]);
    const one = await invoke(
      h.org1,
      h.admin1,
      '',
      fn('QueryInstalledChaincode', L.QueryInstalledChaincodeArgs.encode({ packageId: packageId() })),
    );
    ok(one);
    assert.deepEqual(L.QueryInstalledChaincodeResult.decode(one.payload).references, {
      mychannel: { chaincodes: [{ name: 'asset', version: '1.0' }] },
    });
    const pkg = await invoke(
      h.org1,
      h.admin1,
      '',
      fn(
        'GetInstalledChaincodePackage',
        L.GetInstalledChaincodePackageArgs.encode({ packageId: packageId() }),
      ),
    );
    ok(pkg);
    assert.deepEqual(
      Buffer.from(L.GetInstalledChaincodePackageResult.decode(pkg.payload).chaincodeInstallPackage),
      packageBytes(),
    );
  });

  it("block 5 (an asset tx that only READS _lifecycle) leaves the definitions' generation alone", async () => {
    const generation = h.channel.definitions.generation;
    const ev = await h.channel.commitBlock(ordererBlock(5));
    assert.deepEqual(ev.validationCodes, expectedCodes(5));
    assert.equal(h.channel.definitions.generation, generation);
  });
});
