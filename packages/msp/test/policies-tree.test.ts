// Policy semantics on a synthetic channel of three dev orgs: ANY / ALL / MAJORITY, missing
// sub-policies, zero sub-policies, signed-by consuming identities, unknown policy types.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { common } from '@fabric-peer/protos';
import {
  MSPManager,
  PolicyManager,
  SignaturePolicy,
  generateOrg,
  signaturePolicyFromString,
  type DevOrg,
  type SignedData,
} from '../src/index.js';

const Rule = common.ImplicitMetaPolicy_Rule;
const msg = Buffer.from('bytes to sign');

function sigPolicy(text: string): common.ConfigPolicy {
  return {
    version: 0,
    modPolicy: 'Admins',
    policy: {
      type: common.Policy_PolicyType.SIGNATURE,
      value: common.SignaturePolicyEnvelope.encode(signaturePolicyFromString(text)),
    },
  };
}

function metaPolicy(subPolicy: string, rule: common.ImplicitMetaPolicy_Rule): common.ConfigPolicy {
  return {
    version: 0,
    modPolicy: 'Admins',
    policy: {
      type: common.Policy_PolicyType.IMPLICIT_META,
      value: common.ImplicitMetaPolicy.encode({ subPolicy, rule }),
    },
  };
}

function group(
  policies: Record<string, common.ConfigPolicy>,
  groups: Record<string, common.ConfigGroup> = {},
): common.ConfigGroup {
  return { version: 0, groups, values: {}, policies, modPolicy: 'Admins' };
}

describe('policy tree semantics', () => {
  let orgs: DevOrg[];
  let mgr: MSPManager;
  let pm: PolicyManager;
  const sign = (org: DevOrg, who: 'peer' | 'user' | 'user2' | 'admin'): SignedData => {
    const ident =
      who === 'peer'
        ? org.nodes[0]!
        : who === 'admin'
          ? org.admin
          : who === 'user'
            ? org.users[0]!
            : org.users[1]!;
    const s = ident.toMSP().getSigningIdentity();
    return { data: msg, identity: s.serialize(), signature: s.sign(msg) };
  };

  before(async () => {
    orgs = await Promise.all(
      ['A', 'B', 'C'].map((n) =>
        generateOrg({ kind: 'peer', domain: `${n.toLowerCase()}.example.com`, mspId: `${n}MSP`, users: 2 }),
      ),
    );
    mgr = new MSPManager(orgs.map((o) => o.toMSP()));
    const orgGroup = (o: DevOrg, withEndorsement: boolean): common.ConfigGroup =>
      group({
        Readers: sigPolicy(`OR('${o.mspId}.member')`),
        Admins: sigPolicy(`OR('${o.mspId}.admin')`),
        TwoMembers: sigPolicy(`AND('${o.mspId}.member', '${o.mspId}.member')`),
        ...(withEndorsement ? { Endorsement: sigPolicy(`OR('${o.mspId}.peer')`) } : {}),
      });
    const app = group(
      {
        AnyReaders: metaPolicy('Readers', Rule.ANY),
        AllReaders: metaPolicy('Readers', Rule.ALL),
        MajorityReaders: metaPolicy('Readers', Rule.MAJORITY),
        Endorsement: metaPolicy('Endorsement', Rule.MAJORITY),
      },
      { A: orgGroup(orgs[0]!, true), B: orgGroup(orgs[1]!, true), C: orgGroup(orgs[2]!, false) },
    );
    const channel = group(
      { Empty: metaPolicy('Readers', Rule.ALL) },
      { Application: app, Nothing: group({ Inner: metaPolicy('X', Rule.ALL) }) },
    );
    pm = PolicyManager.fromChannelGroup(channel, mgr);
  });

  const ok = (path: string, sd: SignedData[]): boolean => pm.evaluateSignedData(path, sd).satisfied;

  it('ANY / ALL / MAJORITY over three orgs', () => {
    const [a, b, c] = orgs as [DevOrg, DevOrg, DevOrg];
    assert.equal(ok('Application/AnyReaders', [sign(a, 'user')]), true);
    assert.equal(ok('Application/MajorityReaders', [sign(a, 'user')]), false);
    assert.equal(ok('Application/MajorityReaders', [sign(a, 'user'), sign(c, 'peer')]), true);
    assert.equal(ok('Application/AllReaders', [sign(a, 'user'), sign(c, 'peer')]), false);
    assert.equal(ok('Application/AllReaders', [sign(a, 'user'), sign(b, 'admin'), sign(c, 'peer')]), true);
  });

  it('a child without the sub-policy counts as not satisfied (MAJORITY of 3 stays 2)', () => {
    const [a, b, c] = orgs as [DevOrg, DevOrg, DevOrg];
    assert.equal(ok('Application/Endorsement', [sign(a, 'peer'), sign(c, 'peer')]), false);
    assert.equal(ok('Application/Endorsement', [sign(a, 'peer'), sign(b, 'peer')]), true);
  });

  it('an implicit meta policy over no sub-groups is satisfied by nothing at all (Fabric special case)', () => {
    assert.equal(ok('Nothing/Inner', []), true);
    // ALL Readers at the root has two children (Application, Nothing) and neither has Readers
    assert.equal(ok('Empty', [sign(orgs[0]!, 'user')]), false);
  });

  it('each signature satisfies at most one signed-by: AND(A.member, A.member) needs two A identities', () => {
    const [a] = orgs as [DevOrg];
    assert.equal(ok('Application/A/TwoMembers', [sign(a, 'user')]), false);
    assert.equal(ok('Application/A/TwoMembers', [sign(a, 'user'), sign(a, 'user')]), false); // same identity, de-duplicated
    assert.equal(ok('Application/A/TwoMembers', [sign(a, 'user'), sign(a, 'user2')]), true);
  });

  it('OutOf consumes identities greedily per branch, as Fabric: OR(AND(A,B), AND(A,C))', () => {
    const [a, b, c] = orgs as [DevOrg, DevOrg, DevOrg];
    const p = new SignaturePolicy(
      signaturePolicyFromString(
        "OutOf(2, AND('AMSP.member','BMSP.member'), AND('AMSP.member','CMSP.member'))",
      ),
      mgr,
    );
    const sd = [sign(a, 'user'), sign(b, 'user'), sign(c, 'user')];
    assert.equal(p.evaluateSignedData(sd).satisfied, false); // A is used up by the first branch
    assert.equal(p.evaluateSignedData([...sd, sign(a, 'user2')]).satisfied, true);
  });

  it('refuses unknown policy types and undecodable values when building the tree', () => {
    const bad = (type: number, value: Uint8Array): common.ConfigGroup =>
      group({ P: { version: 0, modPolicy: '', policy: { type, value } } });
    assert.throws(
      () => PolicyManager.fromChannelGroup(bad(common.Policy_PolicyType.MSP, new Uint8Array()), mgr),
      { code: 'POLICY_INVALID' },
    );
    assert.throws(
      () =>
        PolicyManager.fromChannelGroup(bad(common.Policy_PolicyType.SIGNATURE, new Uint8Array([0xff])), mgr),
      { code: 'POLICY_INVALID' },
    );
    assert.throws(
      () =>
        PolicyManager.fromChannelGroup(group({ P: { version: 0, modPolicy: '', policy: undefined } }), mgr),
      { code: 'POLICY_INVALID' },
    );
  });
});
