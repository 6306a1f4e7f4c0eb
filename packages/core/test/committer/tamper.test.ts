// Tampered copies of the real chain's block 5: each must be refused, or get Fabric's code, and
// leave the ledger as it was.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateOrg, type SigningIdentity } from '@fabric-peer/msp';
import { LedgerManager, blockDataHash } from '@fabric-peer/ledger';
import { common, protos } from '@fabric-peer/protos';
import { type Channel, ChannelManager } from '../../src/channel/index.js';
import { genesisBlock, ordererBlock, ordererMSP, userMSP } from '../channel/fabric-fixture.js';
import { signBlock } from './devchain.js';

const C = protos.TxValidationCode;

function mapEnvelope(
  block: common.Block,
  i: number,
  fn: (env: common.Envelope) => common.Envelope,
): common.Block {
  const data = [...block.data!.data];
  data[i] = common.Envelope.encode(fn(common.Envelope.decode(data[i]!)));
  return { ...block, data: { data } };
}

describe('tampered blocks on the real chain', () => {
  let ledgers: LedgerManager;
  let channels: ChannelManager;
  let orderer: SigningIdentity;
  let user1: SigningIdentity;

  before(async () => {
    ledgers = await LedgerManager.open({ inMemory: true });
    channels = await ChannelManager.open({ ledgers });
    orderer = (await ordererMSP()).getSigningIdentity();
    user1 = (await userMSP(1, 'User1')).getSigningIdentity();
  });
  after(async () => {
    await channels.close();
    await ledgers.close();
  });

  /** A fresh copy of the channel at height 5 (the asset chaincode defined). */
  async function channelAt5(): Promise<Channel> {
    // The genesis block names mychannel, so each test gets a fresh manager.
    await channels.close();
    await ledgers.close();
    ledgers = await LedgerManager.open({ inMemory: true });
    channels = await ChannelManager.open({ ledgers });
    const ch = await channels.joinChannel(genesisBlock());
    for (let k = 1; k <= 4; k++) await ch.commitBlock(ordererBlock(k));
    return ch;
  }

  /** The block with its data hash recomputed and the fixture orderer's signature. */
  const resign = (b: common.Block): common.Block =>
    signBlock({ ...b, header: { ...b.header!, dataHash: blockDataHash(b.data!.data) } }, orderer, 1);

  const asset1 = async (ch: Channel): Promise<Uint8Array | undefined> => {
    const qe = await ch.ledger.newQueryExecutor();
    try {
      return await qe.getState('asset', 'asset1');
    } finally {
      await qe.done();
    }
  };

  it('a changed envelope without a new data hash is refused; nothing is committed', async () => {
    const ch = await channelAt5();
    const b = mapEnvelope(ordererBlock(5), 0, (e) => ({
      ...e,
      signature: Buffer.from(e.signature).reverse(),
    }));
    await assert.rejects(ch.commitBlock(b), {
      code: 'COMMITTER_BLOCK_REFUSED',
      message: /DataHash is different/,
    });
    assert.equal(ch.height, 5);
  });

  it('a forged orderer signature, or a block signed by a client, is refused', async () => {
    const ch = await channelAt5();
    const b = ordererBlock(5);
    const md = common.Metadata.decode(b.metadata!.metadata[0]!);
    md.signatures[0]!.signature = Uint8Array.from(md.signatures[0]!.signature, (x, i) =>
      i === 10 ? x ^ 1 : x,
    );
    const forged = {
      ...b,
      metadata: { metadata: [common.Metadata.encode(md), ...b.metadata!.metadata.slice(1)] },
    };
    await assert.rejects(ch.commitBlock(forged), { code: 'COMMITTER_BLOCK_SIGNATURE_INVALID', status: 403 });
    await assert.rejects(ch.commitBlock(signBlock(b, user1, 1)), {
      code: 'COMMITTER_BLOCK_SIGNATURE_INVALID',
    });
    const unchained = resign({ ...b, header: { ...b.header!, previousHash: Buffer.alloc(32, 7) } });
    await assert.rejects(ch.commitBlock(unchained), {
      code: 'COMMITTER_BLOCK_REFUSED',
      message: /previous_hash/,
    });
    await assert.rejects(ch.commitBlock(ordererBlock(6)), {
      code: 'COMMITTER_BLOCK_REFUSED',
      message: /expected block number 5/,
    });
    assert.equal(ch.height, 5);
    assert.deepEqual((await ch.commitBlock(b)).validationCodes, [0]); // the genuine one still goes in
  });

  it('a flipped creator signature gets BAD_CREATOR_SIGNATURE and writes nothing', async () => {
    const ch = await channelAt5();
    const b = resign(
      mapEnvelope(ordererBlock(5), 0, (e) => ({
        ...e,
        signature: Uint8Array.from(e.signature, (x, i) => (i === 20 ? x ^ 0xff : x)),
      })),
    );
    assert.deepEqual((await ch.commitBlock(b)).validationCodes, [C.BAD_CREATOR_SIGNATURE]);
    assert.equal(await asset1(ch), undefined);
  });

  it('an endorsement from an org not in the channel gets ENDORSEMENT_POLICY_FAILURE', async () => {
    const ch = await channelAt5();
    const org3 = await generateOrg({ kind: 'peer', domain: 'org3.example.com', mspId: 'Org3MSP' });
    const peer3 = org3.nodes[0]!.toMSP().getSigningIdentity();
    const b = resign(
      mapEnvelope(ordererBlock(5), 0, (e) => {
        const payload = common.Payload.decode(e.payload);
        const tx = protos.Transaction.decode(payload.data);
        const cap = protos.ChaincodeActionPayload.decode(tx.actions[0]!.payload);
        const prp = cap.action!.proposalResponsePayload;
        // Keep Org1's endorsement, replace Org2's with Org3's.
        cap.action!.endorsements = cap.action!.endorsements.map((en) => {
          if (!Buffer.from(en.endorser).includes('Org2MSP')) return en;
          const endorser = peer3.serialize();
          return { endorser, signature: peer3.sign(Buffer.concat([prp, endorser])) };
        });
        tx.actions[0]!.payload = protos.ChaincodeActionPayload.encode(cap);
        payload.data = protos.Transaction.encode(tx);
        const bytes = common.Payload.encode(payload);
        return { payload: bytes, signature: user1.sign(bytes) }; // the creator re-signs its changed transaction
      }),
    );
    assert.deepEqual((await ch.commitBlock(b)).validationCodes, [C.ENDORSEMENT_POLICY_FAILURE]);
    assert.equal(await asset1(ch), undefined);
  });

  it('the same transaction twice in a block: the second is DUPLICATE_TXID', async () => {
    const ch = await channelAt5();
    const b5 = ordererBlock(5);
    const b = resign({ ...b5, data: { data: [b5.data!.data[0]!, b5.data!.data[0]!] } });
    assert.deepEqual((await ch.commitBlock(b)).validationCodes, [C.VALID, C.DUPLICATE_TXID]);
  });
});
