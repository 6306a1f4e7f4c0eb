// MSPPrincipal satisfaction, Fabric's satisfiesPrincipalInternalV142 -> V13 -> PreV13 chain.
import { common } from '@fabric-peer/protos';
import { IdentityError, MSPError, MSPErrorCode, errorMessage } from '../errors.js';
import type { Identity, ValidateOptions } from '../identity/identity.js';
import type { MSP } from './msp.js';

const { MSPPrincipal_Classification: Classification, MSPRole_MSPRoleType: Role } = common;

type Decoded =
  | { kind: 'role'; mspId: string; role: number }
  | { kind: 'ou'; mspId: string; ou: string; certifiers: Uint8Array }
  | { kind: 'identity'; serialized: Uint8Array }
  | { kind: 'anonymity'; type: number }
  | { kind: 'combined'; principals: common.MSPPrincipal[] };

const decodedCache = new WeakMap<common.MSPPrincipal, Decoded>();

/** Human form of a principal for messages ("Org1MSP.peer"). */
export function describePrincipal(p: common.MSPPrincipal): string {
  try {
    const d = decode(p);
    switch (d.kind) {
      case 'role':
        return `${d.mspId}.${(Role[d.role] ?? String(d.role)).toLowerCase()}`;
      case 'ou':
        return `${d.mspId} OU=${d.ou}`;
      case 'identity':
        return 'a specific identity';
      case 'anonymity':
        return `anonymity ${d.type}`;
      case 'combined':
        return `combined(${d.principals.map(describePrincipal).join(', ')})`;
    }
  } catch {
    return 'an invalid principal';
  }
}

function invalid(message: string, cause?: unknown): never {
  throw new IdentityError(MSPErrorCode.PRINCIPAL_INVALID, message, { cause });
}

function decode(p: common.MSPPrincipal): Decoded {
  const hit = decodedCache.get(p);
  if (hit) return hit;
  let d: Decoded;
  try {
    switch (p.principalClassification) {
      case Classification.ROLE: {
        const r = common.MSPRole.decode(p.principal);
        d = { kind: 'role', mspId: r.mspIdentifier, role: r.role };
        break;
      }
      case Classification.ORGANIZATION_UNIT: {
        const o = common.OrganizationUnit.decode(p.principal);
        d = {
          kind: 'ou',
          mspId: o.mspIdentifier,
          ou: o.organizationalUnitIdentifier,
          certifiers: o.certifiersIdentifier,
        };
        break;
      }
      case Classification.IDENTITY:
        d = { kind: 'identity', serialized: p.principal };
        break;
      case Classification.ANONYMITY:
        d = { kind: 'anonymity', type: common.MSPIdentityAnonymity.decode(p.principal).anonymityType };
        break;
      case Classification.COMBINED:
        d = { kind: 'combined', principals: common.CombinedPrincipal.decode(p.principal).principals };
        break;
      default:
        return invalid(`invalid principal type ${p.principalClassification}`);
    }
  } catch (err) {
    if (err instanceof MSPError) throw err;
    return invalid(`could not decode the principal: ${errorMessage(err)}`, err);
  }
  decodedCache.set(p, d);
  return d;
}

/**
 * A principal the identity does not satisfy. Thrown and caught inside this file only and not an
 * Error: policy evaluation tries identities against principals that mostly do not match (an
 * OR of peer, admin and client), and capturing a stack for each miss was a visible cost.
 */
class Mismatch {
  constructor(
    readonly message: string,
    readonly cause?: unknown,
  ) {}
}

function notSatisfied(message: string, cause?: unknown): never {
  throw new Mismatch(message, cause);
}

function checkMspId(msp: MSP, expected: string): void {
  if (expected !== msp.id)
    notSatisfied(`the identity is a member of a different MSP (expected ${expected}, got ${msp.id})`);
}

function requireRole(
  msp: MSP,
  identity: Identity,
  role: 'client' | 'peer' | 'admin' | 'orderer',
  options?: ValidateOptions,
): void {
  msp.validate(identity, options);
  if (!msp.nodeOUsEnabled) notSatisfied('NodeOUs not activated: cannot tell apart identities');
  if (!msp.nodeOUDefined(role))
    notSatisfied(`cannot test for classification: node OU for type ${role} not defined in MSP ${msp.id}`);
  if (!msp.hasNodeRole(identity, role))
    notSatisfied(`the identity is not a [${role.toUpperCase()}] under this MSP [${msp.id}]`);
}

/** Throws when `identity` (of `msp`) does not satisfy `principal`; IdentityError with the reason. */
export function satisfiesPrincipal(
  msp: MSP,
  identity: Identity,
  principal: common.MSPPrincipal,
  options?: ValidateOptions,
): void {
  const why = principalMismatch(msp, identity, principal, options);
  if (why !== undefined)
    throw new IdentityError(MSPErrorCode.PRINCIPAL_NOT_SATISFIED, why.message, {
      cause: why.cause,
      mspId: msp.id,
    });
}

/**
 * Why `identity` does not satisfy `principal`, or undefined when it does. Still throws for what is
 * not a mismatch: a malformed principal, an identity its MSP does not validate.
 */
export function principalMismatch(
  msp: MSP,
  identity: Identity,
  principal: common.MSPPrincipal,
  options?: ValidateOptions,
): { message: string; cause?: unknown } | undefined {
  try {
    check(msp, identity, principal, options);
    return undefined;
  } catch (err) {
    if (err instanceof Mismatch) return err;
    throw err;
  }
}

function check(
  msp: MSP,
  identity: Identity,
  principal: common.MSPPrincipal,
  options?: ValidateOptions,
): void {
  const d = decode(principal);
  // V1.4.2 rules first: with NodeOUs, ADMIN may come from the admin OU and ORDERER is a role.
  if (d.kind === 'role' && msp.nodeOUsEnabled) {
    checkMspId(msp, d.mspId);
    if (d.role === Role.ADMIN) {
      if (msp.isInAdmins(identity)) return;
      return requireRole(msp, identity, 'admin', options);
    }
    if (d.role === Role.ORDERER) return requireRole(msp, identity, 'orderer', options);
  }
  satisfiesV13(msp, identity, d, options);
}

function satisfiesV13(msp: MSP, identity: Identity, d: Decoded, options?: ValidateOptions): void {
  switch (d.kind) {
    case 'combined':
      if (d.principals.length === 0) invalid('no principals in CombinedPrincipal');
      // Fabric recurses with the V1.3 rules here, not V1.4.2.
      for (const p of d.principals) satisfiesV13(msp, identity, decode(p), options);
      return;
    case 'anonymity':
      if (d.type === 1)
        notSatisfied('principal is anonymous, but X.509 MSP does not support anonymous identities');
      if (d.type !== 0) invalid(`unknown principal anonymity type: ${d.type}`);
      return;
    case 'role':
      checkMspId(msp, d.mspId);
      switch (d.role) {
        case Role.MEMBER:
          return msp.validate(identity, options);
        case Role.ADMIN:
          if (msp.isInAdmins(identity)) return;
          return notSatisfied('this identity is not an admin');
        case Role.CLIENT:
          return requireRole(msp, identity, 'client', options);
        case Role.PEER:
          return requireRole(msp, identity, 'peer', options);
        default:
          return invalid(`invalid MSP role type ${d.role}`);
      }
    case 'identity': {
      let other: Identity;
      try {
        other = msp.deserializeIdentity(d.serialized);
      } catch (err) {
        return notSatisfied(`invalid identity principal, not a certificate: ${errorMessage(err)}`, err);
      }
      if (!Buffer.from(other.certificate.raw).equals(Buffer.from(identity.certificate.raw)))
        notSatisfied('the identities do not match');
      return msp.validate(other, options);
    }
    case 'ou': {
      checkMspId(msp, d.mspId);
      msp.validate(identity, options);
      const ok = identity.organizationalUnits.some(
        (ou) =>
          ou.organizationalUnitIdentifier === d.ou &&
          Buffer.from(ou.certifiersIdentifier).equals(Buffer.from(d.certifiers)),
      );
      if (!ok) notSatisfied(`the identity does not carry OU ${d.ou} certified by the given chain`);
      return;
    }
  }
}
