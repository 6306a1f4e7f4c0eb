// The validator on a dev-crypto channel: chaincode policies, key-level endorsement, undefined
// chaincodes, system namespaces, wrong channel, and the verify pool giving the inline results.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { generateOrg, signaturePolicyFromString } from '@fabric-peer/msp';
import { LedgerManager, type TxRwSet } from '@fabric-peer/ledger';
import { common, protos } from '@fabric-peer/protos';
import { type Channel, ChannelManager } from '../../src/channel/index.js';
import {
  InlineVerifier,
  VALIDATION_PARAMETER,
  VerifyPool,
  type VerifyJob,
} from '../../src/committer/index.js';
import { type DevChain, devChain } from './devchain.js';

const C = protos.TxValidationCode;

const writes = (ns: string, keys: string[], vp?: Uint8Array): TxRwSet => ({
  nsRwSets: [
    {
      namespace: ns,
      kvRwSet: {
        reads: [],
        rangeQueriesInfo: [],
        writes: keys.map((key) => ({ key, isDelete: false, value: Buffer.from(`v-${key}`) })),
        metadataWrites: vp
          ? keys.map((key) => ({ key, entries: [{ name: VALIDATION_PARAMETER, value: vp }] }))
          : [],
      },
      collHashedRwSets: [],
    },
  ],
});

describe('TxValidator on a dev-crypto channel', () => {
  let dev: DevChain;
  let ledgers: LedgerManager;
  let channels: ChannelManager;
  let ch: Channel;
  const commit = async (txs: Uint8Array[]): Promise<number[]> =>
    (await ch.commitBlock(dev.cutBlock(txs))).validationCodes;

  before(async () => {
    dev = await devChain();
    ledgers = await LedgerManager.open({ inMemory: true });
    channels = await ChannelManager.open({ ledgers });
    ch = await channels.joinChannel(dev.genesis);
    const peerPolicy = { signaturePolicy: signaturePolicyFromString("OR('Org1MSP.peer')") };
    assert.deepEqual(await commit([dev.defineChaincode('cc', peerPolicy)]), [C.VALID]);
    const def = await ch.definitions.get('cc');
    assert.equal(def?.version, '1.0');
  });
  after(async () => {
    await channels.close();
    await ledgers.close();
  });

  it("checks the chaincode's endorsement policy", async () => {
    assert.deepEqual(
      await commit([
        dev.endorserTx('cc', writes('cc', ['a'])),
        dev.endorserTx('cc', writes('cc', ['b']), { endorsers: [dev.client] }),
      ]),
      [C.VALID, C.ENDORSEMENT_POLICY_FAILURE],
    );
  });

  it('refuses writes to undefined chaincodes and to system chaincodes', async () => {
    assert.deepEqual(
      await commit([
        dev.endorserTx('nocc', writes('nocc', ['a'])),
        dev.endorserTx('lscc', writes('lscc', ['a'])),
      ]),
      [C.INVALID_CHAINCODE, C.ILLEGAL_WRITESET],
    );
  });

  it('accepts writes to an implicit collection of a channel org, refuses an undefined collection', async () => {
    const hashed = (coll: string): TxRwSet => ({
      nsRwSets: [
        {
          namespace: 'cc',
          kvRwSet: { reads: [], rangeQueriesInfo: [], writes: [], metadataWrites: [] },
          collHashedRwSets: [
            {
              collectionName: coll,
              hashedRwSet: {
                hashedReads: [],
                hashedWrites: [
                  {
                    keyHash: createHash('sha256').update('p1').digest(),
                    isDelete: false,
                    isPurge: false,
                    valueHash: createHash('sha256').update('v').digest(),
                  },
                ],
                metadataWrites: [],
              },
              pvtRwSetHash: createHash('sha256').update(coll).digest(),
            },
          ],
        },
      ],
    });
    assert.deepEqual(
      await commit([
        dev.endorserTx('cc', hashed('_implicit_org_Org1MSP')),
        dev.endorserTx('cc', hashed('nosuchcollection')),
        dev.endorserTx('cc', hashed('_implicit_org_Org9MSP')),
      ]),
      [C.VALID, C.ENDORSEMENT_POLICY_FAILURE, C.ENDORSEMENT_POLICY_FAILURE],
    );
  });

  it('refuses a wrong tx id, a foreign creator, a transaction for another channel', async () => {
    const other = await generateOrg({ kind: 'peer', domain: 'org1.example.com', mspId: 'Org1MSP' });
    assert.deepEqual(
      await commit([
        dev.endorserTx('cc', writes('cc', ['t1']), { txId: 'f'.repeat(64) }),
        dev.endorserTx('cc', writes('cc', ['t2']), { creator: other.users[0]!.toMSP().getSigningIdentity() }),
      ]),
      [C.BAD_PROPOSAL_TXID, C.BAD_CREATOR_SIGNATURE],
    );
    assert.deepEqual(await commit([dev.endorserTx('cc', writes('cc', ['x']), { channelId: 'other' })]), [
      C.TARGET_CHAIN_NOT_FOUND,
    ]);
  });

  it('key-level endorsement overrides the chaincode policy, also against updates in the same block', async () => {
    const vp = common.SignaturePolicyEnvelope.encode(signaturePolicyFromString("OR('Org1MSP.admin')"));
    const admin = dev.org.admin.toMSP().getSigningIdentity();
    // Block A: the peer sets the key's VALIDATION_PARAMETER (chaincode policy applies: key has none yet).
    assert.deepEqual(await commit([dev.endorserTx('cc', writes('cc', ['k'], vp))]), [C.VALID]);
    // Block B: now only the admin can write k; the peer alone fails even though it satisfies the cc policy.
    assert.deepEqual(
      await commit([
        dev.endorserTx('cc', writes('cc', ['k'])),
        dev.endorserTx('cc', writes('cc', ['k']), { endorsers: [admin] }),
      ]),
      [C.ENDORSEMENT_POLICY_FAILURE, C.VALID],
    );
    // Block C: tx0 sets the parameter of k2, tx1 writes k2 in the same block: tx1 is refused.
    assert.deepEqual(
      await commit([
        dev.endorserTx('cc', writes('cc', ['k2'], vp)),
        dev.endorserTx('cc', writes('cc', ['k2'])),
      ]),
      [C.VALID, C.ENDORSEMENT_POLICY_FAILURE],
    );
  });
});

describe('VerifyPool', () => {
  it('gives the inline results (good, wrong key, malformed) and closes', async () => {
    const dev = await devChain();
    const ids = [dev.peer, dev.client];
    const jobs: VerifyJob[] = [];
    for (let i = 0; i < 200; i++) {
      const s = ids[i % 2]!;
      const data = Buffer.from(`message ${i}`);
      let signature = s.sign(data);
      if (i % 7 === 0) signature = ids[(i + 1) % 2]!.sign(data); // wrong key
      if (i % 11 === 0) signature = Buffer.from([0x30, 0x02, 0x02, 0x00]); // malformed
      jobs.push({ identity: s, data, signature });
    }
    const pool = new VerifyPool({ size: 2, minBatch: 1 });
    try {
      const got = await pool.verifyBatch(jobs);
      const want = await new InlineVerifier().verifyBatch(jobs);
      assert.deepEqual([...got], [...want]);
      assert.ok(want.includes(0) && want.includes(1));
    } finally {
      await pool.close();
    }
    assert.deepEqual(
      [...(await pool.verifyBatch(jobs.slice(0, 3)))],
      [...(await new InlineVerifier().verifyBatch(jobs.slice(0, 3)))],
    );
  });
});
