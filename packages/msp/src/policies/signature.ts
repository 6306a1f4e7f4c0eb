// SignaturePolicyEnvelope evaluation as Fabric's cauthdsl does it: n-out-of gates over signed-by
// leaves, each identity consumed by at most one leaf, a gate keeping the consumption of the
// sub-rules that succeeded.
import type { common } from '@fabric-peer/protos';
import { MSPErrorCode, PolicyError, errorMessage } from '../errors.js';
import type { Identity } from '../identity/identity.js';
import type { IdentityDeserializer } from '../msp/msp.js';
import { describePrincipal } from '../msp/principals.js';
import {
  type EvaluateOptions,
  type Policy,
  type PolicyResult,
  type SignedData,
  SATISFIED,
  notSatisfied,
  signatureSetToValidIdentities,
} from './policy.js';

type Evaluator = (ids: readonly Identity[], used: boolean[], ctx: EvalContext) => boolean;

interface EvalContext {
  readonly options: EvaluateOptions | undefined;
  readonly details: Set<string>;
}

const MAX_DEPTH = 64;

function invalid(message: string): never {
  throw new PolicyError(MSPErrorCode.POLICY_INVALID, message);
}

function compile(
  rule: common.SignaturePolicy | undefined,
  principals: readonly common.MSPPrincipal[],
  depth: number,
): Evaluator {
  if (depth > MAX_DEPTH) invalid('signature policy nested too deeply');
  if (rule?.nOutOf !== undefined) {
    const n = rule.nOutOf.n;
    const subs = rule.nOutOf.rules.map((r) => compile(r, principals, depth + 1));
    return (ids, used, ctx) => {
      let verified = 0;
      const scratch = used.slice();
      for (const sub of subs) {
        for (let i = 0; i < used.length; i++) scratch[i] = used[i]!;
        if (sub(ids, scratch, ctx)) {
          verified++;
          for (let i = 0; i < used.length; i++) used[i] = scratch[i]!;
        }
      }
      return verified >= n;
    };
  }
  if (rule?.signedBy !== undefined) {
    const index = rule.signedBy;
    const principal = principals[index];
    if (index < 0 || !principal)
      invalid(
        `identity index out of range, requested ${index}, but identities length is ${principals.length}`,
      );
    const name = describePrincipal(principal);
    return (ids, used, ctx) => {
      for (let i = 0; i < ids.length; i++) {
        if (used[i]) continue;
        let why: string | undefined;
        try {
          why = ids[i]!.principalMismatch(principal, ctx.options);
        } catch (err) {
          why = errorMessage(err);
        }
        if (why === undefined) {
          used[i] = true;
          return true;
        }
        ctx.details.add(
          `${ids[i]!.mspId} CN=${ids[i]!.certificate.commonName} does not satisfy ${name}: ${why}`,
        );
      }
      if (ids.length === 0) ctx.details.add(`no valid signature to satisfy ${name}`);
      return false;
    };
  }
  return invalid('signature policy rule is empty (neither n_out_of nor signed_by)');
}

export class SignaturePolicy implements Policy {
  private readonly evaluator: Evaluator;

  /** Throws PolicyError POLICY_INVALID for an unknown version or a rule that does not compile. */
  constructor(
    readonly envelope: common.SignaturePolicyEnvelope,
    private readonly deserializer: IdentityDeserializer,
  ) {
    if (envelope.version !== 0)
      invalid(`this evaluator only understands messages of version 0, but version was ${envelope.version}`);
    this.evaluator = compile(envelope.rule, envelope.identities, 0);
  }

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
    const ctx: EvalContext = { options, details: new Set(details) };
    if (this.evaluator(ids, new Array<boolean>(ids.length).fill(false), ctx)) return SATISFIED;
    return notSatisfied('signature set did not satisfy policy', [...ctx.details]);
  }
}
