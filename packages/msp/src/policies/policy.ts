// What every policy is: something a set of signatures (or of already verified identities) does or
// does not satisfy, with the reason when it does not.
import { MSPErrorCode, PolicyError, errorMessage } from '../errors.js';
import type { Identity, ValidateOptions } from '../identity/identity.js';
import type { IdentityDeserializer } from '../msp/msp.js';

/** One signature over `data` by the identity serialized in `identity` (SerializedIdentity bytes). */
export interface SignedData {
  readonly data: Uint8Array;
  readonly identity: Uint8Array;
  readonly signature: Uint8Array;
}

export type EvaluateOptions = ValidateOptions;

export type PolicyResult =
  { readonly satisfied: true } | { readonly satisfied: false; readonly error: PolicyError };

export interface Policy {
  /** Deserialize, de-duplicate and verify the signatures, then evaluate the identities that signed. */
  evaluateSignedData(signatureSet: readonly SignedData[], options?: EvaluateOptions): PolicyResult;
  /** Evaluate identities whose signatures were already verified. */
  evaluateIdentities(identities: readonly Identity[], options?: EvaluateOptions): PolicyResult;
}

export const SATISFIED: PolicyResult = Object.freeze({ satisfied: true });

export function notSatisfied(message: string, details: readonly string[] = []): PolicyResult {
  return {
    satisfied: false,
    error: new PolicyError(MSPErrorCode.POLICY_NOT_SATISFIED, message, { details }),
  };
}

/**
 * Fabric's SignatureSetToValidIdentities: drop signatures whose identity does not deserialize or
 * whose signature does not verify, and use each identity (mspid + id) at most once. The duplicate
 * check happens before verification so a flood of copies costs no crypto.
 */
export function signatureSetToValidIdentities(
  signatureSet: readonly SignedData[],
  deserializer: IdentityDeserializer,
  details: string[],
): Identity[] {
  const seen = new Set<string>();
  const out: Identity[] = [];
  signatureSet.forEach((sd, i) => {
    let identity: Identity;
    try {
      identity = deserializer.deserializeIdentity(sd.identity);
    } catch (err) {
      details.push(`signature ${i}: identity not deserialized: ${errorMessage(err)}`);
      return;
    }
    const key = `${identity.mspId}\u0000${identity.id}`;
    if (seen.has(key)) {
      details.push(
        `signature ${i}: duplicate identity ${identity.mspId} CN=${identity.certificate.commonName} ignored`,
      );
      return;
    }
    try {
      identity.verify(sd.data, sd.signature);
    } catch (err) {
      details.push(
        `signature ${i} (${identity.mspId} CN=${identity.certificate.commonName}): ${errorMessage(err)}`,
      );
      return;
    }
    seen.add(key);
    out.push(identity);
  });
  return out;
}

/** A policy that nothing satisfies: what Fabric hands out for a missing policy name. */
export class RejectPolicy implements Policy {
  constructor(private readonly name: string) {}

  evaluateSignedData(): PolicyResult {
    return this.evaluateIdentities();
  }

  evaluateIdentities(): PolicyResult {
    return notSatisfied(`no such policy: '${this.name}'`);
  }
}
