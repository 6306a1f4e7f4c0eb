// The committer's side of the legacy lifecycle (Fabric's builtin VSCC v1.3: validateLSCCInvocation,
// and lscc's ValidationInfo): an lscc deploy / upgrade is valid when any member of the channel endorsed
// it, it writes exactly the ChaincodeData of the chaincode its deployment spec names (plus that
// chaincode's collections), deploy finds no definition and upgrade finds an older one, and the creator
// satisfies the instantiation policy (the new one on deploy, the existing one on upgrade). A chaincode
// lscc defines is validated with the endorsement policy its ChaincodeData carries.
import { type Identity, type IdentityDeserializer, SignaturePolicy } from '@fabric-peer/msp';
import type { QueryExecutor, TxRwSet } from '@fabric-peer/ledger';
import { common, protos } from '@fabric-peer/protos';
import { type ChaincodeDefinition, lifecycleV20 } from '../lifecycle/index.js';
import { type ChaincodeData, decodeChaincodeData } from './chaincodedata.js';
import {
  CHAINCODE_NAME_REGEXP,
  CHAINCODE_VERSION_REGEXP,
  LSCC_NAMESPACE,
  anyOf,
  collectionKey,
  privateChannelData,
} from './deploy.js';
import { legacyChaincodeData } from './resolver.js';
import { errorMessage } from '../errors/index.js';

const C = protos.TxValidationCode;

export interface LsccValidationConfig {
  readonly applicationOrgs: readonly { readonly mspId: string }[];
  readonly capabilities: { readonly application: readonly string[] };
  readonly mspManager: IdentityDeserializer;
}

export interface LsccTransaction {
  /** The envelope's payload bytes (the proposal's arguments are taken from it). */
  payload: Uint8Array;
  /** The creator (SerializedIdentity bytes), its signature already verified. */
  creator: Uint8Array;
  rwSet?: TxRwSet | undefined;
}

export interface LsccValidationResult {
  code: number;
  reason?: string;
  /** The chaincode a valid deploy / upgrade defines: its Init's writes belong to this transaction. */
  chaincode?: string;
}

/**
 * `name`'s lscc definition seen as a chaincode definition for VSCC (lscc's ValidationInfo): the
 * ChaincodeData's policy (a SignaturePolicyEnvelope) as the endorsement policy, and the collections
 * stored beside it. undefined when lscc does not define `name`.
 */
export async function legacyDefinition(
  qe: QueryExecutor,
  name: string,
): Promise<ChaincodeDefinition | undefined> {
  if (name === LSCC_NAMESPACE) return undefined;
  const cd = await legacyChaincodeData(qe, name);
  if (cd === undefined) return undefined;
  let validationParameter: Uint8Array;
  try {
    validationParameter = common.ApplicationPolicy.encode({
      signaturePolicy: common.SignaturePolicyEnvelope.decode(cd.policy),
    });
  } catch {
    validationParameter = new Uint8Array();
  }
  const colls = await qe.getState(LSCC_NAMESPACE, collectionKey(name));
  return {
    name,
    sequence: 0,
    version: cd.version,
    initRequired: false,
    endorsementPlugin: cd.escc,
    validationPlugin: cd.vscc,
    validationParameter,
    collections:
      colls === undefined || colls.length === 0
        ? common.CollectionConfigPackage.create()
        : common.CollectionConfigPackage.decode(colls),
  };
}

/** The lscc arguments of an endorser transaction's proposal. */
function proposalArgs(payload: Uint8Array): Uint8Array[] {
  const p = common.Payload.decode(payload);
  const tx = protos.Transaction.decode(p.data);
  const cap = protos.ChaincodeActionPayload.decode(tx.actions[0]?.payload ?? new Uint8Array());
  const cpp = protos.ChaincodeProposalPayload.decode(cap.chaincodeProposalPayload);
  return protos.ChaincodeInvocationSpec.decode(cpp.input).chaincodeSpec?.input?.args ?? [];
}

function satisfied(
  policy: Uint8Array,
  ids: readonly Identity[],
  cfg: LsccValidationConfig,
): { ok: true } | { ok: false; reason: string } {
  try {
    const p = new SignaturePolicy(common.SignaturePolicyEnvelope.decode(policy), cfg.mspManager);
    const r = p.evaluateIdentities(ids, { checkExpiry: false });
    return r.satisfied ? { ok: true } : { ok: false, reason: r.error.message };
  } catch (err) {
    return { ok: false, reason: errorMessage(err) };
  }
}

/**
 * Validates a transaction that invoked lscc and writes to its namespace. On a channel with the V2_0
 * application capability lscc is read-only: any write is ILLEGAL_WRITESET.
 */
export async function validateLsccTransaction(
  tx: LsccTransaction,
  endorsers: readonly Identity[],
  cfg: LsccValidationConfig,
  qe: QueryExecutor,
): Promise<LsccValidationResult> {
  if (lifecycleV20(cfg.capabilities))
    return { code: C.ILLEGAL_WRITESET, reason: `transaction writes to ${LSCC_NAMESPACE}` };
  const fail = (reason: string): LsccValidationResult => ({
    code: C.ENDORSEMENT_POLICY_FAILURE,
    reason,
  });
  // lscc's own endorsement policy: one signature of any member of the channel.
  const endorsed = satisfied(anyOf(cfg, 'member'), endorsers, cfg);
  if (!endorsed.ok) return fail(`lscc endorsement policy: ${endorsed.reason}`);

  let args: Uint8Array[];
  try {
    args = proposalArgs(tx.payload);
  } catch (err) {
    return fail(`VSCC error: could not read the lscc invocation: ${String(err)}`);
  }
  const fn = Buffer.from(args[0] ?? new Uint8Array()).toString('utf8');
  if (fn !== 'deploy' && fn !== 'upgrade')
    return fail(`VSCC error: committing an invocation of function ${fn} of lscc is invalid`);
  if (args.length < 3 || args.length > 7)
    return fail(
      `Wrong number of arguments for invocation lscc(${fn}): expected at least 3, received ${args.length}`,
    );
  let cds: protos.ChaincodeDeploymentSpec;
  try {
    cds = protos.ChaincodeDeploymentSpec.decode(args[2]!);
  } catch (err) {
    return fail(`GetChaincodeDeploymentSpec error ${String(err)}`);
  }
  const name = cds.chaincodeSpec?.chaincodeId?.name ?? '';
  const version = cds.chaincodeSpec?.chaincodeId?.version ?? '';
  if (!CHAINCODE_NAME_REGEXP.test(name)) return fail(`invalid chaincode name '${name}'`);
  if (!CHAINCODE_VERSION_REGEXP.test(version)) return fail(`invalid chaincode version '${version}'`);

  const ns = tx.rwSet?.nsRwSets.filter((n) => n.namespace === LSCC_NAMESPACE) ?? [];
  const writes = ns.flatMap((n) => n.kvRwSet.writes);
  if (ns.some((n) => n.kvRwSet.metadataWrites.length > 0 || n.collHashedRwSets.length > 0))
    return fail('LSCC can only issue putState upon deploy');
  const collections = writes.filter((w) => w.key === collectionKey(name));
  const others = writes.filter((w) => w.key !== name && w.key !== collectionKey(name));
  if (others.length > 0 || collections.length > 1)
    return fail(
      `LSCC can only issue a single putState upon deploy, found writes to ${others.map((w) => w.key).join(', ')}`,
    );
  if (collections.length > 0 && !privateChannelData(cfg))
    return fail('LSCC can only issue a single putState upon deploy: private channel data is not enabled');
  const own = writes.filter((w) => w.key === name);
  if (own.length !== 1 || own[0]!.isDelete) return fail(`LSCC must write the ChaincodeData of ${name}`);
  let cd: ChaincodeData;
  try {
    cd = decodeChaincodeData(own[0]!.value);
  } catch (err) {
    return fail(`unmarshalling of ChaincodeData failed, error ${String(err)}`);
  }
  if (cd.name !== name || cd.version !== version)
    return fail(`expected cc version ${version} of ${name}, found ${cd.version} of ${cd.name}`);
  if (cd.instantiationPolicy.length === 0) return fail('InstantiationPolicy is missing');

  let existing: ChaincodeData | undefined;
  try {
    existing = await legacyChaincodeData(qe, name);
  } catch (err) {
    return fail(`could not read the ledger's ChaincodeData of ${name}: ${String(err)}`);
  }
  if (fn === 'deploy' && existing !== undefined) return fail(`Chaincode ${name} is already instantiated`);
  if (fn === 'upgrade') {
    if (existing === undefined) return fail(`Upgrading non-existent chaincode ${name}`);
    if (existing.version === version)
      return fail(
        `Existing version of the cc on the ledger (${existing.version}) should be different from the upgraded one`,
      );
  }
  // The instantiation policy binds the creator: the new one on deploy, the one in force on upgrade.
  let creator: Identity;
  try {
    creator = cfg.mspManager.deserializeIdentity(tx.creator);
  } catch (err) {
    return fail(`instantiation policy: creator: ${String(err)}`);
  }
  const ip = fn === 'upgrade' ? existing!.instantiationPolicy : cd.instantiationPolicy;
  const allowed = satisfied(ip, [creator], cfg);
  if (!allowed.ok) return fail(`chaincode instantiation policy violated, error ${allowed.reason}`);
  return { code: C.VALID, chaincode: name };
}
