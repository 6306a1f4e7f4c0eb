// The real cryptogen MSPs of Fabric 2.5.12 load, classify and sign as Fabric's MSP does.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { common, msp as mspProto } from '@fabric-peer/protos';
import { MSP, MSPManager, loadMSPConfigBytes } from '../src/index.js';
import { genesisChannelGroup, mspDir, ORG1 } from './fixtures.js';

describe('fixture MSP folders', () => {
  it('loads the peer MSP with its signer, classified as peer', async () => {
    const m = await MSP.fromFolder(mspDir.peer0org1, 'Org1MSP');
    assert.equal(m.id, 'Org1MSP');
    assert.equal(m.nodeOUsEnabled, true);
    const signer = m.getSigningIdentity();
    signer.validate();
    assert.equal(m.nodeRole(signer), 'peer');
    assert.equal(signer.certificate.commonName, 'peer0.org1.example.com');
    assert.deepEqual(
      signer.organizationalUnits.map((o) => o.organizationalUnitIdentifier),
      ['peer'],
    );
  });

  it('classifies the admin and the user of Org1 through the org MSP', async () => {
    const org = await MSP.fromFolder(mspDir.org1, 'Org1MSP');
    assert.equal(org.hasSigningIdentity, false);
    for (const [dir, role] of [
      [mspDir.adminOrg1, 'admin'],
      [mspDir.user1Org1, 'client'],
      [mspDir.peer0org1, 'peer'],
    ] as const) {
      const local = await MSP.fromFolder(dir, 'Org1MSP');
      const id = org.deserializeIdentity(local.getSigningIdentity().serialize());
      id.validate();
      assert.equal(org.nodeRole(id), role);
    }
  });

  it('classifies the orderer as orderer', async () => {
    const local = await MSP.fromFolder(mspDir.orderer, 'OrdererMSP');
    const id = local.getSigningIdentity();
    id.validate();
    assert.equal(local.nodeRole(id), 'orderer');
  });

  it('verifies a signature made by a fixture key, low-S DER over SHA-256', async () => {
    const m = await MSP.fromFolder(mspDir.user1Org1, 'Org1MSP');
    const signer = m.getSigningIdentity();
    const msg = Buffer.from('a proposal');
    for (let i = 0; i < 20; i++) {
      const sig = signer.sign(msg);
      signer.verify(msg, sig);
      const org = await MSP.fromFolder(mspDir.org1, 'Org1MSP');
      org.deserializeIdentity(signer.serialize()).verify(msg, sig);
    }
    assert.throws(() => signer.verify(Buffer.from('another'), signer.sign(msg)), {
      code: 'CRYPTO_SIGNATURE_INVALID',
    });
  });

  it('serializes as SerializedIdentity{mspid, PEM} equal to the signcert file', async () => {
    const m = await MSP.fromFolder(mspDir.peer0org1, 'Org1MSP');
    const sid = mspProto.SerializedIdentity.decode(m.getSigningIdentity().serialize());
    assert.equal(sid.mspid, 'Org1MSP');
    const { readFileSync } = await import('node:fs');
    const file = readFileSync(
      `${ORG1}/peers/peer0.org1.example.com/msp/signcerts/peer0.org1.example.com-cert.pem`,
    );
    assert.equal(Buffer.from(sid.idBytes).toString(), file.toString());
  });

  it('produces the same MSPConfig bytes configtxgen put in the genesis block', async () => {
    const group = genesisChannelGroup();
    const cases = [
      ['Application', 'Org1MSP', mspDir.org1],
      ['Application', 'Org2MSP', mspDir.org2],
      ['Orderer', 'OrdererOrg', mspDir.ordererOrg],
    ] as const;
    for (const [section, orgName, dir] of cases) {
      const value = group.groups[section]!.groups[orgName]!.values['MSP']!.value;
      const fabric = mspProto.FabricMSPConfig.decode(mspProto.MSPConfig.decode(value).config);
      const ours = await loadMSPConfigBytes(dir, fabric.name);
      assert.deepEqual(Buffer.from(ours), Buffer.from(value), `${orgName} MSPConfig differs`);
      assert.deepEqual(
        Buffer.from((await MSP.fromFolder(dir, fabric.name)).toMSPConfigBytes()),
        Buffer.from(value),
      );
    }
  });

  it('builds a channel MSPManager from the genesis block and deserializes by mspid', async () => {
    const mgr = MSPManager.fromChannelGroup(genesisChannelGroup());
    assert.deepEqual([...mgr.msps.keys()].sort(), ['OrdererMSP', 'Org1MSP', 'Org2MSP']);
    const local = await MSP.fromFolder(mspDir.peer0org2, 'Org2MSP');
    const id = mgr.deserializeIdentity(local.getSigningIdentity().serialize());
    assert.equal(id.mspId, 'Org2MSP');
    id.validate();
    assert.equal(mgr.getMSP('Org2MSP')!.nodeRole(id), 'peer');
    assert.equal(mgr.deserializeIdentity(local.getSigningIdentity().serialize()), id, 'cached by bytes');
    assert.equal(common.MSPRole_MSPRoleType.PEER, 3);
  });
});
