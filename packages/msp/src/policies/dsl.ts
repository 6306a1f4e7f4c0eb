// The policy language of the peer CLI (`AND('Org1MSP.peer','Org2MSP.peer')`, `OR(...)`,
// `OutOf(2, ...)`), compiled to a SignaturePolicyEnvelope exactly as Fabric's policydsl.FromString:
// one principal per occurrence (Fabric does not de-duplicate), numbered the way its govaluate passes
// number them: a gate's nested gates first (left to right), then its own principals.
import { common } from '@fabric-peer/protos';
import { MSPErrorCode, PolicyError } from '../errors.js';

const PRINCIPAL = /^([A-Za-z0-9.-]+)\.(admin|member|client|peer|orderer)$/;
const GATES: Record<string, 'and' | 'or' | 'outof'> = {
  And: 'and',
  and: 'and',
  AND: 'and',
  Or: 'or',
  or: 'or',
  OR: 'or',
  OutOf: 'outof',
  outof: 'outof',
  OUTOF: 'outof',
};
const ROLES: Record<string, common.MSPRole_MSPRoleType> = {
  member: common.MSPRole_MSPRoleType.MEMBER,
  admin: common.MSPRole_MSPRoleType.ADMIN,
  client: common.MSPRole_MSPRoleType.CLIENT,
  peer: common.MSPRole_MSPRoleType.PEER,
  orderer: common.MSPRole_MSPRoleType.ORDERER,
};

type Node =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'gate'; gate: 'and' | 'or' | 'outof'; args: Node[] };

function syntax(message: string): never {
  throw new PolicyError(MSPErrorCode.POLICY_SYNTAX, message);
}

class Parser {
  private pos = 0;

  constructor(private readonly src: string) {}

  parse(): Node {
    const node = this.expr();
    this.ws();
    if (this.pos < this.src.length) syntax(`unexpected '${this.src.slice(this.pos)}' in policy string`);
    return node;
  }

  private ws(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos]!)) this.pos++;
  }

  private expr(): Node {
    this.ws();
    const c = this.src[this.pos];
    if (c === undefined) syntax('unexpected end of policy string');
    if (c === "'" || c === '"') {
      const end = this.src.indexOf(c, this.pos + 1);
      if (end < 0) syntax('unterminated string in policy string');
      const value = this.src.slice(this.pos + 1, end);
      this.pos = end + 1;
      return { kind: 'string', value };
    }
    const num = /^-?\d+(\.\d+)?/.exec(this.src.slice(this.pos));
    if (num) {
      this.pos += num[0].length;
      return { kind: 'number', value: Number(num[0]) };
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(this.src.slice(this.pos));
    if (!ident) syntax(`unexpected '${c}' in policy string`);
    this.pos += ident[0].length;
    this.ws();
    if (this.src[this.pos] !== '(') syntax(`unrecognized token '${ident[0]}' in policy string`);
    const gate = GATES[ident[0]];
    if (!gate) syntax(`no such function ${ident[0]}`);
    this.pos++;
    const args: Node[] = [];
    this.ws();
    if (this.src[this.pos] === ')') this.pos++;
    else {
      for (;;) {
        args.push(this.expr());
        this.ws();
        const d = this.src[this.pos++];
        if (d === ')') break;
        if (d !== ',') syntax("expected ',' or ')' in policy string");
      }
    }
    return { kind: 'gate', gate, args };
  }
}

interface Context {
  readonly principals: common.MSPPrincipal[];
}

function threshold(node: Node): number {
  if (node.kind === 'number') return Math.trunc(node.value);
  if (node.kind === 'string' && /^\d+$/.test(node.value.trim())) return Number(node.value.trim());
  return syntax('unrecognized type, expected a number as the first argument of OutOf');
}

function compile(node: Node, ctx: Context): common.SignaturePolicy {
  if (node.kind !== 'gate') {
    return syntax(
      node.kind === 'string'
        ? `unrecognized token '${node.value}' in policy string`
        : 'invalid policy string',
    );
  }
  let t: number;
  let members: Node[];
  if (node.gate === 'outof') {
    if (node.args.length < 2) syntax(`expected at least two arguments to NOutOf. Given ${node.args.length}`);
    t = threshold(node.args[0]!);
    members = node.args.slice(1);
  } else {
    members = node.args;
    t = node.gate === 'and' ? members.length : 1;
    if (members.length < 1) syntax(`expected at least two arguments to NOutOf. Given ${members.length + 1}`);
  }
  const n = members.length;
  if (t < 0 || t > n + 1) syntax(`invalid t-out-of-n predicate, t ${t}, n ${n}`);

  // Nested gates are evaluated (and number their principals) before this gate's own principals.
  const nested = new Map<Node, common.SignaturePolicy>();
  for (const m of members) {
    if (m.kind === 'gate') nested.set(m, compile(m, ctx));
    else if (m.kind === 'number') syntax('unexpected type float64 among the principals');
  }
  const rules = members.map((m) => {
    const done = nested.get(m);
    if (done) return done;
    const value = (m as { value: string }).value;
    const match = PRINCIPAL.exec(value);
    if (!match) syntax(`unrecognized token '${value}' in policy string`);
    const principal = common.MSPRole.encode({ mspIdentifier: match[1]!, role: ROLES[match[2]!]! });
    ctx.principals.push({ principalClassification: common.MSPPrincipal_Classification.ROLE, principal });
    return { signedBy: ctx.principals.length - 1 };
  });
  return { nOutOf: { n: t, rules } };
}

/** Compile the CLI policy language to a SignaturePolicyEnvelope (throws PolicyError POLICY_SYNTAX). */
export function signaturePolicyFromString(policy: string): common.SignaturePolicyEnvelope {
  const ctx: Context = { principals: [] };
  const rule = compile(new Parser(policy).parse(), ctx);
  return { version: 0, rule, identities: ctx.principals };
}

/** Helpers mirroring policydsl's Go constructors, for building policies in code. */
export function signedBy(index: number): common.SignaturePolicy {
  return { signedBy: index };
}

export function nOutOf(n: number, rules: common.SignaturePolicy[]): common.SignaturePolicy {
  return { nOutOf: { n, rules } };
}

/** OR of one role per MSP id (Fabric's SignedByAnyMember / SignedByAnyPeer ...). */
export function signedByAnyOf(
  mspIds: readonly string[],
  role: keyof typeof ROLES,
): common.SignaturePolicyEnvelope {
  return {
    version: 0,
    rule: nOutOf(
      1,
      mspIds.map((_, i) => signedBy(i)),
    ),
    identities: mspIds.map((id) => ({
      principalClassification: common.MSPPrincipal_Classification.ROLE,
      principal: common.MSPRole.encode({ mspIdentifier: id, role: ROLES[role]! }),
    })),
  };
}
