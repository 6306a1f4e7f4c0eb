// Fabric's VSCC (builtin v20 with key-level endorsement, policyCheckerV20): for every namespace a
// transaction writes, the endorsers (signatures already verified) must satisfy the chaincode's
// endorsement policy, unless each written key carries its own VALIDATION_PARAMETER (state-based
// endorsement) or a collection-level policy applies; at least one policy is always checked.
import { type Identity, type Policy, SignaturePolicy } from '@fabric-peer/msp';
import { common, protos } from '@fabric-peer/protos';
import { type ChannelConfig } from '../channel/index.js';
import {
  type ChaincodeDefinition,
  IMPLICIT_COLLECTION_PREFIX,
  LIFECYCLE_NAMESPACE,
} from '../lifecycle/index.js';
import { type ParsedTx } from './txparse.js';

const C = protos.TxValidationCode;
export const VALIDATION_PARAMETER = 'VALIDATION_PARAMETER';
const LIFECYCLE_ENDORSEMENT = '/Channel/Application/LifecycleEndorsement';
/** System chaincodes nobody may write through a transaction. */
const NOT_WRITABLE = new Set(['lscc', 'cscc', 'qscc']);

export interface WrittenKey {
  ns: string;
  coll: string;
  /** The key (public) or its hash as a binary string (collections), as Fabric keys them. */
  key: string;
}

export interface VsccResult {
  code: number;
  reason?: string;
}

/** Namespaces a transaction writes to (public, metadata or collection writes), in rw-set order. */
export function writtenKeys(tx: ParsedTx): Map<string, WrittenKey[]> {
  const out = new Map<string, WrittenKey[]>();
  for (const ns of tx.rwSet?.nsRwSets ?? []) {
    const keys: WrittenKey[] = [];
    for (const w of ns.kvRwSet.writes) keys.push({ ns: ns.namespace, coll: '', key: w.key });
    for (const w of ns.kvRwSet.metadataWrites) keys.push({ ns: ns.namespace, coll: '', key: w.key });
    for (const c of ns.collHashedRwSets) {
      for (const w of c.hashedRwSet.hashedWrites)
        keys.push({
          ns: ns.namespace,
          coll: c.collectionName,
          key: Buffer.from(w.keyHash).toString('latin1'),
        });
      for (const w of c.hashedRwSet.metadataWrites)
        keys.push({
          ns: ns.namespace,
          coll: c.collectionName,
          key: Buffer.from(w.keyHash).toString('latin1'),
        });
    }
    if (keys.length > 0) out.set(ns.namespace, [...(out.get(ns.namespace) ?? []), ...keys]);
  }
  return out;
}

export const vpKey = (k: WrittenKey): string => `${k.ns}\u0000${k.coll}\u0000${k.key}`;

/** Keys whose VALIDATION_PARAMETER this transaction sets (public metadata writes). */
export function validationParameterUpdates(tx: ParsedTx): string[] {
  const out: string[] = [];
  for (const ns of tx.rwSet?.nsRwSets ?? []) {
    for (const w of ns.kvRwSet.metadataWrites) {
      if (w.entries.some((e) => e.name === VALIDATION_PARAMETER))
        out.push(vpKey({ ns: ns.namespace, coll: '', key: w.key }));
    }
    for (const c of ns.collHashedRwSets) {
      for (const w of c.hashedRwSet.metadataWrites) {
        if (w.entries.some((e) => e.name === VALIDATION_PARAMETER)) {
          out.push(
            vpKey({
              ns: ns.namespace,
              coll: c.collectionName,
              key: Buffer.from(w.keyHash).toString('latin1'),
            }),
          );
        }
      }
    }
  }
  return out;
}

/** Policies built from policy bytes, kept per channel config (an MSP change builds them anew). */
export class PolicyCache {
  private readonly byConfig = new WeakMap<ChannelConfig, Map<string, Policy | null>>();
  /** The last answer per policy bytes object (a chaincode definition's, asked once per transaction). */
  private readonly byBytes = new WeakMap<
    Uint8Array,
    { config: ChannelConfig; copy: Buffer; p: Policy | undefined }
  >();

  fromApplicationPolicy(config: ChannelConfig, bytes: Uint8Array): Policy | undefined {
    const last = this.byBytes.get(bytes);
    if (last && last.config === config && last.copy.equals(bytes)) return last.p;
    const copy = Buffer.from(bytes);
    const p = this.cached(config, `a:${copy.toString('base64')}`, () => {
      const ap = common.ApplicationPolicy.decode(bytes);
      if (ap.signaturePolicy) return new SignaturePolicy(ap.signaturePolicy, config.mspManager);
      if (ap.channelConfigPolicyReference !== undefined)
        return config.policies.getPolicy(ap.channelConfigPolicyReference);
      return undefined;
    });
    this.byBytes.set(bytes, { config, copy, p });
    return p;
  }

  fromSignaturePolicy(config: ChannelConfig, bytes: Uint8Array): Policy | undefined {
    return this.cached(
      config,
      `s:${Buffer.from(bytes).toString('base64')}`,
      () => new SignaturePolicy(common.SignaturePolicyEnvelope.decode(bytes), config.mspManager),
    );
  }

  private cached(config: ChannelConfig, key: string, build: () => Policy | undefined): Policy | undefined {
    let m = this.byConfig.get(config);
    if (!m) this.byConfig.set(config, (m = new Map()));
    const hit = m.get(key);
    if (hit !== undefined) return hit ?? undefined;
    let p: Policy | undefined;
    try {
      p = build();
    } catch {
      p = undefined;
    }
    m.set(key, p ?? null);
    return p;
  }
}

export interface NamespacePolicies {
  chaincode: Policy | undefined;
  collection(coll: string): Policy | undefined;
  /** Whether the namespace may write to the collection (defined, or an implicit one of a channel org). */
  collectionExists(coll: string): boolean;
}

function isImplicitOf(config: ChannelConfig, coll: string): boolean {
  if (!coll.startsWith(IMPLICIT_COLLECTION_PREFIX)) return false;
  const mspId = coll.slice(IMPLICIT_COLLECTION_PREFIX.length);
  return config.applicationOrgs.some((o) => o.mspId === mspId);
}

/** The chaincode-level and collection-level policies of a namespace (Fabric's ValidationInfo). */
export function namespacePolicies(
  config: ChannelConfig,
  ns: string,
  def: ChaincodeDefinition | undefined,
  cache: PolicyCache,
): NamespacePolicies | undefined {
  if (ns === LIFECYCLE_NAMESPACE) {
    return {
      chaincode: config.policies.getPolicy(LIFECYCLE_ENDORSEMENT),
      collection(coll) {
        // An org's implicit collection of _lifecycle is endorsed by that org (its Endorsement policy).
        if (!coll.startsWith(IMPLICIT_COLLECTION_PREFIX)) return undefined;
        const mspId = coll.slice(IMPLICIT_COLLECTION_PREFIX.length);
        const org = config.applicationOrgs.find((o) => o.mspId === mspId);
        return org ? config.policies.getPolicy(`/Channel/Application/${org.name}/Endorsement`) : undefined;
      },
      collectionExists: (coll) => isImplicitOf(config, coll),
    };
  }
  if (!def) return undefined;
  return {
    chaincode: cache.fromApplicationPolicy(config, def.validationParameter),
    collection(coll) {
      for (const cc of def.collections.config) {
        const sc = cc.staticCollectionConfig;
        if (sc?.name === coll && sc.endorsementPolicy) {
          return cache.fromApplicationPolicy(config, common.ApplicationPolicy.encode(sc.endorsementPolicy));
        }
      }
      return undefined;
    },
    collectionExists: (coll) =>
      isImplicitOf(config, coll) ||
      def.collections.config.some((c) => c.staticCollectionConfig?.name === coll),
  };
}

function check(policy: Policy | undefined, ids: readonly Identity[], what: string): VsccResult | undefined {
  if (!policy) return { code: C.ENDORSEMENT_POLICY_FAILURE, reason: `no policy for ${what}` };
  const r = policy.evaluateIdentities(ids, { checkExpiry: false });
  return r.satisfied
    ? undefined
    : { code: C.ENDORSEMENT_POLICY_FAILURE, reason: `${what}: ${r.error.message}` };
}

export interface VsccInput {
  keys: readonly WrittenKey[];
  policies: NamespacePolicies;
  endorsers: readonly Identity[];
  /** VALIDATION_PARAMETER of a key in committed state. */
  stateVP(k: WrittenKey): Uint8Array | undefined;
  /** Whether an earlier valid transaction of this block set the key's VALIDATION_PARAMETER. */
  updatedInBlock(k: WrittenKey): boolean;
  cache: PolicyCache;
  config: ChannelConfig;
}

/** One namespace of one transaction (Fabric's KeyLevelValidator.Validate). */
export function validateNamespace(ns: string, inp: VsccInput): VsccResult {
  let ccChecked = false;
  let anyChecked = false;
  const collChecked = new Set<string>();
  const checkCC = (): VsccResult | undefined => {
    if (ccChecked) return undefined;
    ccChecked = anyChecked = true;
    return check(inp.policies.chaincode, inp.endorsers, `chaincode ${ns} endorsement policy`);
  };
  for (const k of inp.keys) {
    if (NOT_WRITABLE.has(k.ns)) return { code: C.ILLEGAL_WRITESET, reason: `transaction writes to ${k.ns}` };
    if (k.coll !== '' && !inp.policies.collectionExists(k.coll)) {
      return {
        code: C.ENDORSEMENT_POLICY_FAILURE,
        reason: `tx writes to nonexistent collection ${k.coll} of ${ns}`,
      };
    }
    if (inp.updatedInBlock(k)) {
      return {
        code: C.ENDORSEMENT_POLICY_FAILURE,
        reason: `validation parameter for key ${k.key} updated earlier in the same block`,
      };
    }
    const vp = inp.stateVP(k);
    let r: VsccResult | undefined;
    if (vp && vp.length > 0) {
      anyChecked = true;
      r = check(
        inp.cache.fromSignaturePolicy(inp.config, vp),
        inp.endorsers,
        `validation of key ${k.key} (coll'${k.coll}':ns'${ns}')`,
      );
    } else if (k.coll !== '' && inp.policies.collection(k.coll)) {
      if (collChecked.has(k.coll)) continue;
      collChecked.add(k.coll);
      anyChecked = true;
      r = check(inp.policies.collection(k.coll), inp.endorsers, `collection ${k.coll} endorsement policy`);
    } else {
      r = checkCC();
    }
    if (r) return r;
  }
  if (!anyChecked) return checkCC() ?? { code: C.VALID };
  return { code: C.VALID };
}
