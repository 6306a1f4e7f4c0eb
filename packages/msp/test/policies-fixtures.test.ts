// The genesis block's policy tree evaluates as Fabric evaluates it, on real identities and on the
// real endorsements of blocks 5 (both orgs: valid) and 11 (Org1 only: ENDORSEMENT_POLICY_FAILURE).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { common } from '@fabric-peer/protos';
import { MSP, MSPManager, PolicyManager, type SignedData } from '../src/index.js';
import { Tag, encodeTlv, encodeUnsignedInteger } from '../src/x509/der.js';
import { endorserTransactions, genesisChannelGroup, mspDir, readBlock } from './fixtures.js';

const group = genesisChannelGroup();
const mgr = MSPManager.fromChannelGroup(group);
const policies = PolicyManager.fromChannelGroup(group, mgr);

async function signer(dir: string, mspId: string): Promise<(msg: Uint8Array) => SignedData> {
  const s = (await MSP.fromFolder(dir, mspId)).getSigningIdentity();
  return (data) => ({ data, identity: s.serialize(), signature: s.sign(data) });
}

const msg = Buffer.from('some transaction bytes');

describe('genesis block policies', () => {
  it('has the test-network policy tree', () => {
    const names = policies.policyNames();
    for (const n of [
      'Readers',
      'Writers',
      'Admins',
      'Application/Endorsement',
      'Application/LifecycleEndorsement',
      'Application/Org1MSP/Endorsement',
      'Orderer/BlockValidation',
      'Orderer/OrdererOrg/Admins',
    ]) {
      assert.ok(names.includes(n), `missing ${n}`);
    }
    assert.ok(policies.getPolicy('/Channel/Application/Writers'));
    assert.equal(policies.getPolicy('/Other/Application/Writers'), undefined);
    assert.ok(policies.manager(['Application'])!.getPolicy('Org1MSP/Admins'));
  });

  it('Endorsement MAJORITY: one org is not enough, two are', async () => {
    const peer1 = await signer(mspDir.peer0org1, 'Org1MSP');
    const peer2 = await signer(mspDir.peer0org2, 'Org2MSP');
    const one = policies.evaluateSignedData('/Channel/Application/Endorsement', [peer1(msg)]);
    assert.equal(one.satisfied, false);
    if (!one.satisfied) {
      assert.equal(one.error.code, 'POLICY_NOT_SATISFIED');
      assert.match(
        one.error.message,
        /1 sub-policies were satisfied, but this policy requires 2 of the 'Endorsement'/,
      );
    }
    assert.equal(
      policies.evaluateSignedData('/Channel/Application/Endorsement', [peer1(msg), peer2(msg)]).satisfied,
      true,
    );
    // the same peer twice is de-duplicated and counts once
    assert.equal(
      policies.evaluateSignedData('/Channel/Application/Endorsement', [peer1(msg), peer1(msg)]).satisfied,
      false,
    );
  });

  it('Org signature policies follow NodeOU roles', async () => {
    const admin1 = await signer(mspDir.adminOrg1, 'Org1MSP');
    const user1 = await signer(mspDir.user1Org1, 'Org1MSP');
    const peer1 = await signer(mspDir.peer0org1, 'Org1MSP');
    const ev = (p: string, sd: SignedData[]): boolean => policies.evaluateSignedData(p, sd).satisfied;
    // Endorsement OR('Org1MSP.peer')
    assert.equal(ev('Application/Org1MSP/Endorsement', [peer1(msg)]), true);
    assert.equal(ev('Application/Org1MSP/Endorsement', [user1(msg)]), false);
    // Writers OR(admin, client): not a peer
    assert.equal(ev('Application/Org1MSP/Writers', [user1(msg)]), true);
    assert.equal(ev('Application/Org1MSP/Writers', [peer1(msg)]), false);
    // Admins OR('Org1MSP.admin')
    assert.equal(ev('Application/Org1MSP/Admins', [admin1(msg)]), true);
    assert.equal(ev('Application/Org1MSP/Admins', [user1(msg)]), false);
    // Channel Readers = ANY Readers (Application ANY, Orderer ANY): any org member role
    assert.equal(ev('Readers', [peer1(msg)]), true);
    // Channel Admins = MAJORITY Admins over Application and Orderer; Application Admins is MAJORITY of 2 orgs
    assert.equal(ev('Application/Admins', [admin1(msg)]), false);
    const admin2 = await signer(mspDir.adminOrg2, 'Org2MSP');
    assert.equal(ev('Application/Admins', [admin1(msg), admin2(msg)]), true);
    // a signature over other bytes does not count
    const bad = { ...peer1(msg), data: Buffer.from('tampered') };
    const r = policies.evaluateSignedData('Application/Org1MSP/Endorsement', [bad]);
    assert.equal(r.satisfied, false);
    if (!r.satisfied)
      assert.ok(
        r.error.details.some((d) => /signature is invalid/.test(d)),
        r.error.details.join('\n'),
      );
  });

  it('orderer policies: Orderer/OrdererOrg/Writers is OrdererMSP.member', async () => {
    const orderer = await signer(mspDir.orderer, 'OrdererMSP');
    assert.equal(policies.evaluateSignedData('Orderer/OrdererOrg/Writers', [orderer(msg)]).satisfied, true);
    assert.equal(policies.evaluateSignedData('Orderer/BlockValidation', [orderer(msg)]).satisfied, true);
    const peer1 = await signer(mspDir.peer0org1, 'Org1MSP');
    assert.equal(policies.evaluateSignedData('Orderer/BlockValidation', [peer1(msg)]).satisfied, false);
  });

  it('a missing policy is POLICY_NOT_FOUND', () => {
    const r = policies.evaluateSignedData('/Channel/Application/Nope', []);
    assert.equal(r.satisfied, false);
    if (!r.satisfied) assert.equal(r.error.code, 'POLICY_NOT_FOUND');
  });
});

describe('identities and endorsements of the real blocks', () => {
  it('every creator and endorser of blocks 2..13 validates and its signature verifies', () => {
    let count = 0;
    for (let n = 2; n <= 13; n++) {
      for (const tx of endorserTransactions(readBlock(`blocks/mychannel/${n}.block`))) {
        for (const sd of [tx.creator, ...tx.endorsements]) {
          const id = mgr.deserializeIdentity(sd.identity);
          id.validate();
          id.verify(sd.data, sd.signature);
          count++;
        }
        const creator = mgr.deserializeIdentity(tx.creator.identity);
        assert.ok(['client', 'admin'].includes(mgr.getMSP(creator.mspId)!.nodeRole(creator)!));
        for (const e of tx.endorsements) {
          const id = mgr.deserializeIdentity(e.identity);
          assert.equal(mgr.getMSP(id.mspId)!.nodeRole(id), 'peer');
        }
      }
    }
    assert.ok(count > 30);
  });

  it('block 5 (Org1 + Org2 endorsements) satisfies /Channel/Application/Endorsement', () => {
    const [tx] = endorserTransactions(readBlock('blocks/mychannel/5.block'));
    assert.equal(tx!.endorsements.length, 2);
    assert.deepEqual(policies.evaluateSignedData('/Channel/Application/Endorsement', tx!.endorsements), {
      satisfied: true,
    });
  });

  it('block 11 (Org1 endorsement only) fails it, as Fabric marked it ENDORSEMENT_POLICY_FAILURE', () => {
    const [tx] = endorserTransactions(readBlock('blocks/mychannel/11.block'));
    assert.equal(tx!.endorsements.length, 1);
    const r = policies.evaluateSignedData('/Channel/Application/Endorsement', tx!.endorsements);
    assert.equal(r.satisfied, false);
    if (!r.satisfied) {
      assert.equal(r.error.code, 'POLICY_NOT_SATISFIED');
      assert.ok(
        r.error.details.some((d) => d.startsWith('Org2MSP/Endorsement')),
        r.error.details.join('\n'),
      );
    }
  });

  it('block 4 (lifecycle commit) satisfies LifecycleEndorsement; blocks 2 and 3 (one org each) do not', () => {
    const ev = (n: number): boolean =>
      policies.evaluateSignedData(
        '/Channel/Application/LifecycleEndorsement',
        endorserTransactions(readBlock(`blocks/mychannel/${n}.block`))[0]!.endorsements,
      ).satisfied;
    assert.equal(ev(4), true);
    assert.equal(ev(2), false);
    assert.equal(ev(3), false);
  });
});

describe('signatures of the orderer and of a config update in the real blocks', () => {
  it("the orderer's block signatures satisfy /Channel/Orderer/BlockValidation", () => {
    for (const n of [1, 5, 13]) {
      const block = readBlock(`blocks/mychannel/${n}.block`);
      const md = common.Metadata.decode(block.metadata!.metadata[common.BlockMetadataIndex.SIGNATURES]!);
      const h = block.header!;
      // Fabric's BlockHeaderBytes: DER SEQUENCE { INTEGER number, OCTET STRING previous_hash, OCTET STRING data_hash }
      const headerDer = encodeTlv(
        Tag.SEQUENCE,
        encodeUnsignedInteger(new Uint8Array([h.number])),
        encodeTlv(Tag.OCTET_STRING, h.previousHash),
        encodeTlv(Tag.OCTET_STRING, h.dataHash),
      );
      const signed = md.signatures.map((s) => ({
        data: Buffer.concat([md.value, s.signatureHeader, headerDer]),
        identity: common.SignatureHeader.decode(s.signatureHeader).creator,
        signature: s.signature,
      }));
      assert.equal(signed.length, 1);
      assert.deepEqual(
        policies.evaluateSignedData('/Channel/Orderer/BlockValidation', signed),
        { satisfied: true },
        `block ${n}`,
      );
      // the same signature over another block header does not
      const other = [
        {
          ...signed[0]!,
          data: Buffer.concat([md.value, md.signatures[0]!.signatureHeader, Buffer.from('x')]),
        },
      ];
      assert.equal(policies.evaluateSignedData('/Channel/Orderer/BlockValidation', other).satisfied, false);
    }
  });

  it('the anchor-peer update of block 1 is signed by an Org1 admin (mod_policy Admins of Org1MSP)', () => {
    const block = readBlock('blocks/mychannel/1.block');
    const payload = common.Payload.decode(common.Envelope.decode(block.data!.data[0]!).payload);
    const lastUpdate = common.ConfigEnvelope.decode(payload.data).lastUpdate!;
    const cue = common.ConfigUpdateEnvelope.decode(common.Payload.decode(lastUpdate.payload).data);
    const signed = cue.signatures.map((s) => ({
      data: Buffer.concat([s.signatureHeader, cue.configUpdate]),
      identity: common.SignatureHeader.decode(s.signatureHeader).creator,
      signature: s.signature,
    }));
    assert.equal(policies.evaluateSignedData('/Channel/Application/Org1MSP/Admins', signed).satisfied, true);
    assert.equal(policies.evaluateSignedData('/Channel/Application/Org2MSP/Admins', signed).satisfied, false);
    assert.equal(policies.evaluateSignedData('/Channel/Application/Admins', signed).satisfied, false); // MAJORITY of 2 orgs
  });
});
