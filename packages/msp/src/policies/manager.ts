// The policy tree of a channel config, as Fabric's policies.ManagerImpl builds it: one manager per
// config group, policies addressed relatively ("Writers", "Application/Writers") or absolutely
// ("/Channel/Application/Writers"), implicit meta policies resolved over the child groups.
import { common } from '@fabric-peer/protos';
import { MSPErrorCode, PolicyError, errorMessage } from '../errors.js';
import type { IdentityDeserializer } from '../msp/msp.js';
import { ImplicitMetaPolicy } from './implicitmeta.js';
import {
  type EvaluateOptions,
  type Policy,
  type PolicyResult,
  RejectPolicy,
  type SignedData,
} from './policy.js';
import { SignaturePolicy } from './signature.js';

const Type = common.Policy_PolicyType;

function invalid(path: string, name: string, message: string, cause?: unknown): never {
  throw new PolicyError(MSPErrorCode.POLICY_INVALID, `policy ${name} at path /${path}: ${message}`, {
    cause,
  });
}

export class PolicyManager {
  /** Own and descendants' policies by relative path. */
  private readonly policies = new Map<string, Policy>();
  private readonly children = new Map<string, PolicyManager>();

  private constructor(
    /** "Channel", "Channel/Application", ... */
    readonly path: string,
    group: common.ConfigGroup,
    deserializer: IdentityDeserializer,
  ) {
    for (const name of Object.keys(group.groups).sort()) {
      this.children.set(name, new PolicyManager(`${path}/${name}`, group.groups[name]!, deserializer));
    }
    for (const [name, cp] of Object.entries(group.policies)) {
      const p = cp.policy;
      if (!p) invalid(path, name, 'policy is nil');
      this.policies.set(name, this.build(name, p, deserializer));
    }
    for (const [groupName, child] of this.children) {
      for (const [name, policy] of child.policies) this.policies.set(`${groupName}/${name}`, policy);
    }
  }

  /** The manager of a channel config's root group (named "Channel" as in Fabric). */
  static fromChannelGroup(
    channelGroup: common.ConfigGroup,
    deserializer: IdentityDeserializer,
    rootName = 'Channel',
  ): PolicyManager {
    return new PolicyManager(rootName, channelGroup, deserializer);
  }

  private build(name: string, p: common.Policy, deserializer: IdentityDeserializer): Policy {
    try {
      switch (p.type) {
        case Type.SIGNATURE:
          return new SignaturePolicy(common.SignaturePolicyEnvelope.decode(p.value), deserializer);
        case Type.IMPLICIT_META: {
          const imp = common.ImplicitMetaPolicy.decode(p.value);
          const subs = [...this.children].map(([group, child]) => ({
            group,
            policy: child.getPolicy(imp.subPolicy) ?? new RejectPolicy(imp.subPolicy),
          }));
          return new ImplicitMetaPolicy(imp.subPolicy, imp.rule, subs, deserializer);
        }
        default:
          return invalid(this.path, name, `unknown policy type: ${p.type}`);
      }
    } catch (err) {
      if (err instanceof PolicyError) throw err;
      return invalid(this.path, name, errorMessage(err), err);
    }
  }

  /** A policy by relative ("Writers", "Org1MSP/Admins") or absolute ("/Channel/Application/Writers") name. */
  getPolicy(id: string): Policy | undefined {
    if (!id) return undefined;
    let rel = id;
    if (id.startsWith('/')) {
      const prefix = `/${this.path}/`;
      if (!id.startsWith(prefix)) return undefined;
      rel = id.slice(prefix.length);
    }
    return this.policies.get(rel);
  }

  /** The sub-manager at `path` (e.g. ["Application", "Org1MSP"]). */
  manager(path: readonly string[]): PolicyManager | undefined {
    let m: PolicyManager | undefined = path.length === 0 ? this : this.children.get(path[0]!);
    for (const p of path.slice(1)) m = m?.children.get(p);
    return m;
  }

  /** Relative names of every policy reachable from here. */
  policyNames(): string[] {
    return [...this.policies.keys()].sort();
  }

  /** Evaluate a named policy; a missing one is not satisfied (POLICY_NOT_FOUND). */
  evaluateSignedData(
    id: string,
    signatureSet: readonly SignedData[],
    options?: EvaluateOptions,
  ): PolicyResult {
    const p = this.getPolicy(id);
    if (!p)
      return {
        satisfied: false,
        error: new PolicyError(MSPErrorCode.POLICY_NOT_FOUND, `policy ${id} not found under /${this.path}`),
      };
    return p.evaluateSignedData(signatureSet, options);
  }
}
