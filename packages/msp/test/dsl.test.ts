// The CLI policy language compiles to the SignaturePolicyEnvelope Fabric's policydsl produces.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { common } from '@fabric-peer/protos';
import { nOutOf, signaturePolicyFromString, signedBy } from '../src/index.js';
import { genesisChannelGroup } from './fixtures.js';

const Role = common.MSPRole_MSPRoleType;

function principals(env: common.SignaturePolicyEnvelope): string[] {
  return env.identities.map((p) => {
    assert.equal(p.principalClassification, common.MSPPrincipal_Classification.ROLE);
    const r = common.MSPRole.decode(p.principal);
    return `${r.mspIdentifier}.${Role[r.role]!.toLowerCase()}`;
  });
}

describe('signaturePolicyFromString', () => {
  it('AND / OR / OutOf over roles', () => {
    const and = signaturePolicyFromString("AND('Org1MSP.peer','Org2MSP.peer')");
    assert.deepEqual(and.rule, nOutOf(2, [signedBy(0), signedBy(1)]));
    assert.deepEqual(principals(and), ['Org1MSP.peer', 'Org2MSP.peer']);
    const or = signaturePolicyFromString('OR("A.member", "B.admin", "C.client", "D.orderer")');
    assert.deepEqual(or.rule, nOutOf(1, [signedBy(0), signedBy(1), signedBy(2), signedBy(3)]));
    assert.deepEqual(principals(or), ['A.member', 'B.admin', 'C.client', 'D.orderer']);
    const outof = signaturePolicyFromString("OutOf(2, 'A.member', 'B.member', 'C.member')");
    assert.deepEqual(outof.rule, nOutOf(2, [signedBy(0), signedBy(1), signedBy(2)]));
    assert.equal(signaturePolicyFromString("outof('1', 'A.member')").rule!.nOutOf!.n, 1);
    assert.equal(signaturePolicyFromString("and('A.member')").rule!.nOutOf!.n, 1);
  });

  it('numbers nested gates first, as Fabric (TestComplex1)', () => {
    const env = signaturePolicyFromString("OR('A.member', AND('B.member', 'C.member'))");
    assert.deepEqual(principals(env), ['B.member', 'C.member', 'A.member']);
    assert.deepEqual(env.rule, nOutOf(1, [signedBy(2), nOutOf(2, [signedBy(0), signedBy(1)])]));
  });

  it('keeps one principal per occurrence (Fabric does not de-duplicate)', () => {
    const env = signaturePolicyFromString("OR(AND('A.member', 'B.member'), AND('A.member', 'C.member'))");
    assert.deepEqual(principals(env), ['A.member', 'B.member', 'A.member', 'C.member']);
    assert.deepEqual(
      env.rule,
      nOutOf(1, [nOutOf(2, [signedBy(0), signedBy(1)]), nOutOf(2, [signedBy(2), signedBy(3)])]),
    );
  });

  it('MSP ids may hold dots and dashes', () => {
    assert.deepEqual(principals(signaturePolicyFromString("OR('my.org-1.peer')")), ['my.org-1.peer']);
  });

  it('encodes byte-identically to the policies configtxgen wrote in the genesis block', () => {
    const app = genesisChannelGroup().groups['Application']!.groups;
    const cases: [string, string, string][] = [
      ['Org1MSP', 'Readers', "OR('Org1MSP.admin', 'Org1MSP.peer', 'Org1MSP.client')"],
      ['Org1MSP', 'Writers', "OR('Org1MSP.admin', 'Org1MSP.client')"],
      ['Org2MSP', 'Admins', "OR('Org2MSP.admin')"],
      ['Org2MSP', 'Endorsement', "OR('Org2MSP.peer')"],
    ];
    for (const [org, name, text] of cases) {
      const value = app[org]!.policies[name]!.policy!.value;
      assert.deepEqual(
        Buffer.from(common.SignaturePolicyEnvelope.encode(signaturePolicyFromString(text))),
        Buffer.from(value),
        `${org}/${name}`,
      );
    }
  });

  it('rejects what Fabric rejects, with POLICY_SYNTAX', () => {
    for (const bad of [
      "OR('A.foo')",
      "AND('A.member', 'B')",
      'AND()',
      "OutOf(4, 'A.member', 'B.member')",
      "OutOf(-1, 'A.member')",
      "OutOf('A.member')",
      "NAND('A.member')",
      "OR('A.member'",
      "'A.member'",
      "OR('A.member') extra",
      "AND(1, 'A.member')",
      '',
    ]) {
      assert.throws(
        () => signaturePolicyFromString(bad),
        { name: 'PolicyError', code: 'POLICY_SYNTAX' },
        bad,
      );
    }
    // t may be n + 1 (never satisfiable), as Fabric permits
    assert.equal(signaturePolicyFromString("OutOf(3, 'A.member', 'B.member')").rule!.nOutOf!.n, 3);
  });
});
