// lscc on the fixture channel: CDS install / getinstalledchaincodes with Fabric's fingerprint, deploy
// refused on the V2_0 channel, and on the same orgs seen as a V1_4_2 channel: deploy with Fabric's
// defaults (policy any member, instantiation policy any admin, escc/vscc), the ChaincodeData queries,
// and the refusals (exists, same version, missing package, non-admin).
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { signaturePolicyFromString } from '@fabric-peer/msp';
import { common, protos } from '@fabric-peer/protos';
import { ACLProvider } from '../../src/acl/index.js';
import { LSCC, MemoryLegacyPackageStore, decodeChaincodeData } from '../../src/lscc/index.js';
import { parseInstallPackage } from '../../src/persistence/index.js';
import { buildEndorserTx } from '../committer/devchain.js';
import { peerMSP, userMSP } from '../channel/fabric-fixture.js';
import { type Harness, cutBlock, fixtureSigners, harness, packageBytes } from '../_lifecycle/harness.js';

const s = (x: string): Buffer => Buffer.from(x);
const sha256 = (...p: Uint8Array[]): Buffer => p.reduce((h, x) => h.update(x), createHash('sha256')).digest();

describe('lscc', () => {
  let h: Harness;
  let lscc: LSCC;
  let cds: Uint8Array;
  let code: Uint8Array;
  /** Whether the channel is seen without the V2_0 application capability. */
  let legacy = false;

  const call = async (args: Uint8Array[], signer = h.admin1, channelId = 'mychannel') => {
    const sim = await h.channel.ledger.newTxSimulator(randomBytes(8).toString('hex'));
    const data = randomBytes(32);
    try {
      const response = await lscc.invoke({
        channelId,
        txId: 'tx',
        args,
        signedProposal: protos.SignedProposal.create(),
        proposal: protos.Proposal.create(),
        creator: signer.serialize(),
        signedData: [{ data, identity: signer.serialize(), signature: signer.sign(data) }],
        transientMap: {},
        simulator: sim,
      });
      return { response, results: sim.getTxSimulationResults() };
    } finally {
      await sim.done();
    }
  };

  before(async () => {
    h = await harness();
    code = (await parseInstallPackage(packageBytes('asset-node.tar.gz'))).codePackage;
    cds = protos.ChaincodeDeploymentSpec.encode({
      chaincodeSpec: {
        type: protos.ChaincodeSpec_Type.NODE,
        chaincodeId: { name: 'asset', version: '1.0', path: '/opt/src' },
        input: { args: [s('init')] },
      },
      codePackage: code,
    });
    const channels = {
      getChannel: (id: string) =>
        id !== 'mychannel'
          ? undefined
          : {
              config: () => {
                const c = h.channel.config();
                // The same orgs, seen as a channel that has not enabled the V2_0 lifecycle.
                return legacy ? { ...c, capabilities: { ...c.capabilities, application: ['V1_4_2'] } } : c;
              },
            },
    };
    lscc = new LSCC({
      acl: new ACLProvider({ channels: h.channels, localMSP: await peerMSP(1) }),
      channels,
      store: new MemoryLegacyPackageStore(),
    });
  });
  after(() => h.close());
  const setLegacy = (v: boolean): void => {
    legacy = v;
  };

  it("installs a CDS package and lists it with Fabric's fingerprint", async () => {
    const r = await call([s('install'), cds], h.admin1, '');
    assert.equal(r.response.status, 200, r.response.message);
    assert.equal(Buffer.from(r.response.payload).toString(), 'OK');
    const again = await call([s('install'), cds], h.admin1, '');
    assert.equal(
      again.response.message,
      'error installing chaincode code asset:1.0(chaincode asset.1.0 exists)',
    );
    const list = await call([s('getinstalledchaincodes')], h.admin1, '');
    const res = protos.ChaincodeQueryResponse.decode(list.response.payload);
    const fingerprint = sha256(sha256(code), sha256(s('asset'), s('1.0')));
    assert.deepEqual(
      res.chaincodes.map((c) => [c.name, c.version, c.path, Buffer.from(c.id).toString('hex')]),
      [['asset', '1.0', '/opt/src', fingerprint.toString('hex')]],
    );
    const user = (await userMSP(1, 'User1')).getSigningIdentity();
    assert.match(
      (await call([s('install'), cds], user, '')).response.message,
      /^access denied for \[install\]: /,
    );
  });

  it('deploy is refused on a V2_0 channel', async () => {
    const r = await call([s('deploy'), s('mychannel'), cds]);
    assert.equal(
      r.response.message,
      "Channel 'mychannel' has been migrated to the new lifecycle, LSCC is now read-only",
    );
  });

  it("deploy on a legacy channel writes ChaincodeData with Fabric's defaults; queries read it back", async () => {
    setLegacy(true);
    const user = (await userMSP(1, 'User1')).getSigningIdentity();
    const denied = await call([s('deploy'), s('mychannel'), cds], user);
    assert.match(denied.response.message, /^instantiation policy violation: /);
    const r = await call([s('deploy'), s('mychannel'), cds]);
    assert.equal(r.response.status, 200, r.response.message);
    const cd = decodeChaincodeData(r.response.payload);
    assert.equal(cd.name, 'asset');
    assert.equal(cd.version, '1.0');
    assert.equal(cd.escc, 'escc');
    assert.equal(cd.vscc, 'vscc');
    const env = (p: string) =>
      Buffer.from(common.SignaturePolicyEnvelope.encode(signaturePolicyFromString(p)));
    assert.deepEqual(Buffer.from(cd.policy), env("OR('Org1MSP.member','Org2MSP.member')"));
    assert.deepEqual(Buffer.from(cd.instantiationPolicy), env("OR('Org1MSP.admin','Org2MSP.admin')"));
    assert.deepEqual(Buffer.from(cd.id), sha256(sha256(code), sha256(s('asset'), s('1.0'))));
    const ns = r.results.txRwSet.nsRwSets.find((n) => n.namespace === 'lscc')!;
    assert.deepEqual(
      ns.kvRwSet.reads.map((x) => x.key),
      ['asset'],
    );
    assert.deepEqual(
      ns.kvRwSet.writes.map((w) => [w.key, Buffer.from(w.value)]),
      [['asset', Buffer.from(r.response.payload)]],
    );

    // Commit the deploy's write set, then query it.
    const { orderer, peer1 } = await fixtureSigners();
    const tx = buildEndorserTx(h.admin1, [peer1], 'mychannel', 'lscc', r.results.txRwSet);
    const res = await h.channel.ledger.commit(await cutBlock(h, orderer, [tx]));
    assert.deepEqual(res.validationCodes, [0]);
    const data = await call([s('getccdata'), s('mychannel'), s('asset')]);
    assert.deepEqual(Buffer.from(data.response.payload), Buffer.from(r.response.payload));
    assert.equal(
      Buffer.from((await call([s('getid'), s('mychannel'), s('asset')])).response.payload).toString(),
      'asset',
    );
    assert.deepEqual(
      Buffer.from((await call([s('getdepspec'), s('mychannel'), s('asset')])).response.payload),
      Buffer.from(cds),
    );
    const list = protos.ChaincodeQueryResponse.decode((await call([s('getchaincodes')])).response.payload);
    assert.deepEqual(
      list.chaincodes.map((c) => [c.name, c.version, c.path, c.escc, c.vscc]),
      [['asset', '1.0', '/opt/src', 'escc', 'vscc']],
    );
  });

  it('refusals: exists, same version, missing package, not deployed, bad function', async () => {
    setLegacy(true);
    assert.equal(
      (await call([s('deploy'), s('mychannel'), cds])).response.message,
      "chaincode with name 'asset' already exists",
    );
    assert.equal(
      (await call([s('upgrade'), s('mychannel'), cds])).response.message,
      "version already exists for chaincode with name 'asset'",
    );
    const v2 = protos.ChaincodeDeploymentSpec.encode({
      chaincodeSpec: { type: protos.ChaincodeSpec_Type.NODE, chaincodeId: { name: 'asset', version: '2.0' } },
      codePackage: code,
    });
    assert.equal(
      (await call([s('upgrade'), s('mychannel'), v2])).response.message,
      'cannot get package for chaincode (asset:2.0)',
    );
    assert.equal((await call([s('install'), v2], h.admin1, '')).response.status, 200);
    const up = await call([s('upgrade'), s('mychannel'), v2]);
    assert.equal(up.response.status, 200, up.response.message);
    assert.equal(decodeChaincodeData(up.response.payload).version, '2.0');
    assert.equal(
      (await call([s('getccdata'), s('mychannel'), s('nope')])).response.message,
      "could not find chaincode with name 'nope'",
    );
    assert.equal(
      (await call([s('GetCollectionsConfig'), s('asset')])).response.message,
      'collections config not defined for chaincode asset',
    );
    assert.equal((await call([s('nope')])).response.message, 'invalid function to lscc: nope');
    assert.equal((await call([])).response.message, 'invalid number of arguments to lscc: 0');
  });
});
