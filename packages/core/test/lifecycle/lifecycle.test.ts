// _lifecycle's state as Fabric 2.5 wrote it in blocks 2-4 of the real chain.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LedgerManager, decodeTxRwSet } from '@fabric-peer/ledger';
import { common, protos } from '@fabric-peer/protos';
import { type Channel, ChannelManager } from '../../src/channel/index.js';
import {
  LIFECYCLE_NAMESPACE,
  encodeApproval,
  encodeChaincodeDefinition,
  implicitCollectionName,
  endorsementPolicyOf,
  metadataKey,
} from '../../src/lifecycle/index.js';
import { FIXTURE, genesisBlock, ordererBlock } from '../channel/fabric-fixture.js';

/** The public _lifecycle writes of block n's only transaction. */
function lifecycleWrites(n: number): Map<string, Uint8Array> {
  const env = common.Envelope.decode(ordererBlock(n).data!.data[0]!);
  const tx = protos.Transaction.decode(common.Payload.decode(env.payload).data);
  const cap = protos.ChaincodeActionPayload.decode(tx.actions[0]!.payload);
  const prp = protos.ProposalResponsePayload.decode(cap.action!.proposalResponsePayload);
  const rw = decodeTxRwSet(protos.ChaincodeAction.decode(prp.extension).results);
  const ns = rw.nsRwSets.find((s) => s.namespace === LIFECYCLE_NAMESPACE)!;
  return new Map(ns.kvRwSet.writes.map((w) => [w.key, w.value]));
}

/** sha256(key) -> sha256(value) of the hashed writes of block n's implicit collection of `mspId`. */
function implicitHashedWrites(n: number, mspId: string): Map<string, string> {
  const env = common.Envelope.decode(ordererBlock(n).data!.data[0]!);
  const tx = protos.Transaction.decode(common.Payload.decode(env.payload).data);
  const cap = protos.ChaincodeActionPayload.decode(tx.actions[0]!.payload);
  const prp = protos.ProposalResponsePayload.decode(cap.action!.proposalResponsePayload);
  const rw = decodeTxRwSet(protos.ChaincodeAction.decode(prp.extension).results);
  const coll = rw.nsRwSets
    .find((s) => s.namespace === LIFECYCLE_NAMESPACE)!
    .collHashedRwSets.find((c) => c.collectionName === implicitCollectionName(mspId))!;
  const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
  return new Map(coll.hashedRwSet.hashedWrites.map((w) => [hex(w.keyHash), hex(w.valueHash)]));
}

const sha = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');

describe('_lifecycle state of the real chain', () => {
  let ledgers: LedgerManager;
  let channels: ChannelManager;
  let ch: Channel;
  before(async () => {
    ledgers = await LedgerManager.open({ inMemory: true });
    channels = await ChannelManager.open({ ledgers });
    ch = await channels.joinChannel(genesisBlock());
  });
  after(async () => {
    await channels.close();
    await ledgers.close();
  });

  it('has no definition of asset before block 4, the committed one after (the cache follows commits)', async () => {
    for (let n = 1; n <= 3; n++) await ch.commitBlock(ordererBlock(n));
    assert.equal(await ch.definitions.get('asset'), undefined);
    await ch.commitBlock(ordererBlock(4));
    const def = await ch.definitions.get('asset');
    assert.ok(def);
    assert.equal(def.name, 'asset');
    assert.equal(def.sequence, 1);
    assert.equal(def.version, '1.0');
    assert.equal(def.initRequired, false);
    assert.equal(def.endorsementPlugin, 'escc');
    assert.equal(def.validationPlugin, 'vscc');
    assert.deepEqual(endorsementPolicyOf(def), {
      channelConfigPolicyReference: '/Channel/Application/Endorsement',
    });
    assert.deepEqual(def.collections.config, []);
  });

  it('encodes a definition to the very bytes Fabric wrote in block 4', async () => {
    const def = (await ch.definitions.get('asset'))!;
    const fabric = lifecycleWrites(4);
    const ours = encodeChaincodeDefinition(def);
    assert.ok(ours.has(metadataKey('namespaces', 'asset')));
    for (const [key, bytes] of ours) {
      assert.ok(fabric.has(key), `Fabric wrote ${key}`);
      assert.deepEqual(Buffer.from(bytes), Buffer.from(fabric.get(key)!), key);
    }
    assert.deepEqual(
      [...fabric.keys()].filter((k) => k.startsWith('namespaces/')).sort(),
      [...ours.keys()].sort(),
    );
  });

  it("encodes each org's approval as blocks 2 and 3 hashed it into the org's implicit collection", async () => {
    const def = (await ch.definitions.get('asset'))!;
    const packageId = readFileSync(join(FIXTURE, 'chaincode/asset_1.0.package-id'), 'utf8').trim();
    const approval = encodeApproval('asset', 1, def, packageId);
    assert.equal(approval.size, 6);
    for (const [n, mspId] of [
      [2, 'Org1MSP'],
      [3, 'Org2MSP'],
    ] as const) {
      const fabric = implicitHashedWrites(n, mspId);
      assert.equal(fabric.size, approval.size);
      for (const [key, value] of approval) assert.equal(fabric.get(sha(key)), sha(value), `${mspId} ${key}`);
    }
  });
});
