// _lifecycle behind the real Endorser: a signed ApproveChaincodeDefinitionForMyOrg proposal through
// ProcessProposal gives an endorsed response whose results are Fabric's approval rw-set shape;
// InstallChaincode / QueryInstalledChaincodes channel-less, answered unendorsed. (Keeping the private
// rw-set in the transient store is the endorser's step still to wire: persistSimulationPvtData.)
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { decodeTxRwSet } from '@fabric-peer/ledger';
import type { SigningIdentity } from '@fabric-peer/msp';
import { common, lifecycle, protos } from '@fabric-peer/protos';
import { ACLProvider } from '../../src/acl/index.js';
import { Endorser, computeTxId } from '../../src/endorser/index.js';
import { SystemChaincodeRegistry } from '../../src/scc/index.js';
import { peerMSP } from '../channel/fabric-fixture.js';
import { type Harness, fn, harness, packageBytes, packageId } from './harness.js';

function signedProposal(
  signer: SigningIdentity,
  channelId: string,
  args: Uint8Array[],
): protos.SignedProposal {
  const nonce = randomBytes(24);
  const creator = signer.serialize();
  const now = Date.now();
  const header = common.Header.encode({
    channelHeader: common.ChannelHeader.encode({
      type: common.HeaderType.ENDORSER_TRANSACTION,
      channelId,
      txId: computeTxId(nonce, creator),
      timestamp: { seconds: Math.floor(now / 1000), nanos: (now % 1000) * 1e6 },
      extension: protos.ChaincodeHeaderExtension.encode({ chaincodeId: { name: '_lifecycle' } }),
    }),
    signatureHeader: common.SignatureHeader.encode({ creator, nonce }),
  });
  const payload = protos.ChaincodeProposalPayload.encode({
    input: protos.ChaincodeInvocationSpec.encode({
      chaincodeSpec: {
        type: protos.ChaincodeSpec_Type.GOLANG,
        chaincodeId: { name: '_lifecycle' },
        input: { args },
      },
    }),
  });
  const proposalBytes = protos.Proposal.encode({ header, payload });
  return { proposalBytes, signature: signer.sign(proposalBytes) };
}

describe('_lifecycle through the Endorser', () => {
  let h: Harness;
  let endorser: Endorser;
  before(async () => {
    h = await harness();
    const local = await peerMSP(1);
    const sccs = new SystemChaincodeRegistry();
    sccs.register(h.org1);
    endorser = new Endorser({
      channels: h.channels,
      acl: new ACLProvider({ channels: h.channels, localMSP: local }),
      localMSP: local,
      signer: local.getSigningIdentity(),
      sccs,
      timeWindowMs: 15 * 60 * 1000,
    });
  });
  after(() => h.close());

  it('InstallChaincode and QueryInstalledChaincodes are answered unendorsed on no channel', async () => {
    const install = await endorser.processProposal(
      signedProposal(
        h.admin1,
        '',
        fn(
          'InstallChaincode',
          lifecycle.InstallChaincodeArgs.encode({ chaincodeInstallPackage: packageBytes() }),
        ),
      ),
    );
    assert.equal(install.response?.status, 200, install.response?.message);
    assert.equal(lifecycle.InstallChaincodeResult.decode(install.response!.payload).packageId, packageId());
    assert.equal(install.endorsement, undefined);
    const q = await endorser.processProposal(
      signedProposal(
        h.admin1,
        '',
        fn('QueryInstalledChaincodes', lifecycle.QueryInstalledChaincodesArgs.encode({})),
      ),
    );
    const list = lifecycle.QueryInstalledChaincodesResult.decode(q.response!.payload).installedChaincodes;
    assert.deepEqual(
      list.map((c) => c.packageId),
      [packageId()],
    );
  });

  it('an approval is endorsed by the peer; its results hold the hashed approval of Org1MSP', async () => {
    const args = fn(
      'ApproveChaincodeDefinitionForMyOrg',
      lifecycle.ApproveChaincodeDefinitionForMyOrgArgs.encode({
        sequence: 1,
        name: 'asset',
        version: '1.0',
        source: { localPackage: { packageId: packageId() } },
      }),
    );
    const r = await endorser.processProposal(signedProposal(h.admin1, 'mychannel', args));
    assert.equal(r.response?.status, 200, r.response?.message);
    assert.ok(r.endorsement, 'endorsed');
    const prp = protos.ProposalResponsePayload.decode(r.payload);
    const action = protos.ChaincodeAction.decode(prp.extension);
    assert.deepEqual(action.chaincodeId, { name: '_lifecycle', version: 'syscc', path: '' });
    const rw = decodeTxRwSet(action.results);
    const ns = rw.nsRwSets.find((n) => n.namespace === '_lifecycle')!;
    assert.deepEqual(
      ns.kvRwSet.reads.map((x) => x.key),
      ['namespaces/fields/asset/Sequence', 'namespaces/metadata/asset'],
    );
    assert.equal(ns.collHashedRwSets[0]!.collectionName, '_implicit_org_Org1MSP');
    assert.equal(ns.collHashedRwSets[0]!.hashedRwSet.hashedWrites.length, 6);
    assert.equal(ns.kvRwSet.writes.length, 0, 'an approval writes nothing public');
  });
});
