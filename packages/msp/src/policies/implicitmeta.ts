// ImplicitMetaPolicy: ANY / ALL / MAJORITY of the same-named policy of the child groups.
import { common } from '@fabric-peer/protos';
import type { Identity } from '../identity/identity.js';
import type { IdentityDeserializer } from '../msp/msp.js';
import {
  type EvaluateOptions,
  type Policy,
  type PolicyResult,
  type SignedData,
  SATISFIED,
  notSatisfied,
  signatureSetToValidIdentities,
} from './policy.js';

const Rule = common.ImplicitMetaPolicy_Rule;

export class ImplicitMetaPolicy implements Policy {
  readonly threshold: number;

  constructor(
    readonly subPolicyName: string,
    readonly rule: common.ImplicitMetaPolicy_Rule,
    /** The child groups' policies named `subPolicyName` (RejectPolicy where a child lacks it). */
    private readonly subPolicies: readonly { readonly group: string; readonly policy: Policy }[],
    private readonly deserializer: IdentityDeserializer,
  ) {
    const n = subPolicies.length;
    // With no sub-policies, 0 is a majority or any (Fabric's special case).
    this.threshold = n === 0 ? 0 : rule === Rule.ANY ? 1 : rule === Rule.ALL ? n : Math.floor(n / 2) + 1;
  }

  /** Signatures are verified once here and the identities handed to every sub-policy (same result as Fabric, less crypto). */
  evaluateSignedData(signatureSet: readonly SignedData[], options?: EvaluateOptions): PolicyResult {
    const details: string[] = [];
    const ids = signatureSetToValidIdentities(signatureSet, this.deserializer, details);
    return this.evaluate(ids, options, details);
  }

  evaluateIdentities(identities: readonly Identity[], options?: EvaluateOptions): PolicyResult {
    return this.evaluate(identities, options, []);
  }

  private evaluate(
    ids: readonly Identity[],
    options: EvaluateOptions | undefined,
    details: string[],
  ): PolicyResult {
    let remaining = this.threshold;
    if (remaining === 0) return SATISFIED;
    for (const { group, policy } of this.subPolicies) {
      const r = policy.evaluateIdentities(ids, options);
      if (r.satisfied) {
        if (--remaining === 0) return SATISFIED;
      } else {
        details.push(
          `${group}/${this.subPolicyName}: ${r.error.message}`,
          ...r.error.details.map((d) => `  ${d}`),
        );
      }
    }
    return notSatisfied(
      `implicit policy evaluation failed - ${this.threshold - remaining} sub-policies were satisfied, but this policy requires ${this.threshold} of the '${this.subPolicyName}' sub-policies to be satisfied`,
      details,
    );
  }
}
