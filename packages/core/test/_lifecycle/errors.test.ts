// _lifecycle's refusals, with Fabric's messages: sequences, names, approvals, packages, ACLs, args.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { lifecycle } from '@fabric-peer/protos';
import { LifecycleSCC } from '../../src/_lifecycle/index.js';
import { ACLProvider } from '../../src/acl/index.js';
import { peerMSP, userMSP } from '../channel/fabric-fixture.js';
import { BACKING, approve, commit, fails, readiness } from './calls.js';
import { type Harness, fn, harness, invoke, packageBytes, simulate } from './harness.js';

const L = lifecycle;

describe('_lifecycle refusals on a fresh channel', () => {
  let h: Harness;
  let acl: () => ACLProvider;
  before(async () => {
    h = await harness();
    const local = await peerMSP(1);
    acl = () => new ACLProvider({ channels: h.channels, localMSP: local });
  });
  after(() => h.close());

  it('wrong sequences', async () => {
    const f = BACKING('ApproveChaincodeDefinitionForMyOrg');
    fails(
      (await simulate(h, h.org1, h.admin1, approve({ sequence: 0 }))).response,
      500,
      `${f}requested sequence is 0, but first definable sequence number is 1`,
    );
    fails(
      (await simulate(h, h.org1, h.admin1, approve({ sequence: 2 }))).response,
      500,
      `${f}requested sequence 2 is larger than the next available sequence number 1`,
    );
    fails(
      (await simulate(h, h.org1, h.admin1, commit({ sequence: 2 }))).response,
      500,
      `${BACKING('CommitChaincodeDefinition')}requested sequence is 2, but new definition must be sequence 1`,
    );
    fails(
      (await simulate(h, h.org1, h.admin1, readiness({ sequence: 3 }))).response,
      500,
      `${BACKING('CheckCommitReadiness')}requested sequence is 3, but new definition must be sequence 1`,
    );
  });

  it('a commit this org has not approved', async () => {
    const r = await simulate(h, h.org1, h.admin1, commit());
    fails(
      r.response,
      500,
      `${BACKING('CommitChaincodeDefinition')}chaincode definition not agreed to by this org (Org1MSP)`,
    );
    const ready = await simulate(h, h.org1, h.admin1, readiness());
    assert.deepEqual(L.CheckCommitReadinessResult.decode(ready.response.payload).approvals, {
      Org1MSP: false,
      Org2MSP: false,
    });
  });

  it('names and versions', async () => {
    const f = `${BACKING('ApproveChaincodeDefinitionForMyOrg')}error validating chaincode definition: `;
    fails(
      (await simulate(h, h.org1, h.admin1, approve({ name: 'my cc' }))).response,
      500,
      `${f}invalid chaincode name 'my cc'. Names can only consist of alphanumerics, '_', and '-' and can only begin with alphanumerics`,
    );
    fails(
      (await simulate(h, h.org1, h.admin1, approve({ name: 'lscc' }))).response,
      500,
      `${f}chaincode name 'lscc' is the name of a system chaincode`,
    );
    fails(
      (await simulate(h, h.org1, h.admin1, approve({ version: '1 0' }))).response,
      500,
      `${f}invalid chaincode version '1 0'. Versions can only consist of alphanumerics, '_', '-', '+', and '.'`,
    );
  });

  it('queries of what does not exist', async () => {
    fails(
      (
        await simulate(
          h,
          h.org1,
          h.admin1,
          fn('QueryChaincodeDefinition', L.QueryChaincodeDefinitionArgs.encode({ name: 'nope' })),
        )
      ).response,
      404,
      'namespace nope is not defined',
    );
    fails(
      (
        await simulate(
          h,
          h.org1,
          h.admin1,
          fn(
            'QueryApprovedChaincodeDefinition',
            L.QueryApprovedChaincodeDefinitionArgs.encode({ name: 'asset' }),
          ),
        )
      ).response,
      500,
      `${BACKING('QueryApprovedChaincodeDefinition')}could not fetch approved chaincode definition (name: 'asset', sequence: '0') on channel 'mychannel'`,
    );
    fails(
      await invoke(
        h.org1,
        h.admin1,
        '',
        fn('QueryInstalledChaincode', L.QueryInstalledChaincodeArgs.encode({ packageId: 'nope:1' })),
      ),
      500,
      `${BACKING('QueryInstalledChaincode')}could not find chaincode with package id 'nope:1'`,
    );
    fails(
      await invoke(
        h.org1,
        h.admin1,
        '',
        fn(
          'GetInstalledChaincodePackage',
          L.GetInstalledChaincodePackageArgs.encode({ packageId: 'nope:1' }),
        ),
      ),
      500,
      `${BACKING('GetInstalledChaincodePackage')}could not load cc install package: chaincode install package 'nope:1' not found`,
    );
    assert.equal(await h.org1.resolveChaincodePackage('mychannel', 'asset'), undefined);
  });

  it('bad packages, args and functions', async () => {
    const bad = await invoke(
      h.org1,
      h.admin1,
      '',
      fn('InstallChaincode', L.InstallChaincodeArgs.encode({ chaincodeInstallPackage: Buffer.from('nope') })),
    );
    assert.equal(bad.status, 500);
    assert.match(
      bad.message,
      /^failed to invoke backing implementation of 'InstallChaincode': could not parse as a chaincode install package: /,
    );
    fails(await invoke(h.org1, h.admin1, '', []), 500, 'lifecycle scc must be invoked with arguments');
    // A package found in the store after a restart (a new SCC over the same store) installs again, as
    // Fabric rebuilds it; the same process refuses a second install.
    const install = fn(
      'InstallChaincode',
      L.InstallChaincodeArgs.encode({ chaincodeInstallPackage: packageBytes() }),
    );
    assert.equal((await invoke(h.org1, h.admin1, '', install)).status, 200);
    const restarted = new LifecycleSCC({
      mspId: 'Org1MSP',
      acl: acl(),
      channels: h.channels,
      store: h.store,
    });
    assert.equal((await invoke(restarted, h.admin1, '', install)).status, 200);
    assert.match(
      (await invoke(restarted, h.admin1, '', install)).message,
      /chaincode already successfully installed/,
    );
    fails(
      await invoke(h.org1, h.admin1, '', [Buffer.from('QueryInstalledChaincodes')]),
      500,
      'lifecycle scc operations require exactly two arguments but received 1',
    );
    fails(
      await invoke(h.org1, h.admin1, 'nochannel', approve()),
      500,
      "could not get channelconfig for channel 'nochannel'",
    );
  });

  it('ACLs: install needs a local admin, approve a channel writer', async () => {
    const user = (await userMSP(1, 'User1')).getSigningIdentity();
    const r = await invoke(
      h.org1,
      user,
      '',
      fn('InstallChaincode', L.InstallChaincodeArgs.encode({ chaincodeInstallPackage: Buffer.alloc(0) })),
    );
    assert.equal(r.status, 500);
    assert.match(r.message, /^Failed to authorize invocation due to failed ACL check: /);
    // Org2's admin is no admin of this (Org1) peer.
    const other = await invoke(
      h.org1,
      h.admin2,
      '',
      fn('QueryInstalledChaincodes', L.QueryInstalledChaincodesArgs.encode({})),
    );
    assert.match(other.message, /^Failed to authorize invocation due to failed ACL check: /);
  });
});
