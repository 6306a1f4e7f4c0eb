// _lifecycle's state as Fabric 2.5 wrote it in blocks 2-4 of the real chain.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LedgerManager, decodeTxRwSet } from '@fabric-peer/ledger';
import { common, protos } from '@fabric-peer/protos';
import { type Channel, ChannelManager } from '../../src/channel/index.js';
import {
  LIFECYCLE_NAMESPACE,
  encodeChaincodeDefinition,
  endorsementPolicyOf,
  metadataKey,
} from '../../src/lifecycle/index.js';
import { genesisBlock, ordererBlock } from '../channel/fabric-fixture.js';

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
});
