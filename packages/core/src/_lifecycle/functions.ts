// The backing implementation of _lifecycle's channel functions (Fabric's ExternalFunctions): sequence
// rules, defaults, approvals in the org's implicit collection, commit to the public state. Errors carry
// Fabric's text; the SCC prefixes them as Fabric's does.
import { NAMESPACES_NAME } from '../lifecycle/index.js';
import {
  CHAINCODE_LOCAL_PACKAGE_TYPE,
  CHAINCODE_PARAMETERS_TYPE,
  CHAINCODE_SOURCES_NAME,
  DEFAULT_ENDORSEMENT_POLICY_BYTES,
  DEFAULT_ENDORSEMENT_POLICY_REF,
  FRIENDLY_CHAINCODE_DEFINITION_TYPE,
  type Definition,
  definitionStructure,
  localPackageStructure,
  parametersDiffer,
  parametersStructure,
  privateName,
  readLocalPackageId,
  readParameters,
} from './definition.js';
import { LIFECYCLE_ERRORS, LifecycleError, lifecycleError, withMessage } from './errors.js';
import {
  deserializeAllMetadata,
  deserializeMetadata,
  fieldAsInt64,
  isSerialized,
  type OpaqueState,
  type RangeableState,
  type ReadWritableState,
  type ReadableState,
  serialize,
} from './serializer.js';
import { mspIdOfImplicitCollection } from './states.js';

/** What the lifecycle functions need of a channel's config. */
export interface LifecycleChannelConfig {
  readonly applicationOrgs: readonly { readonly mspId: string }[];
  readonly ordererOrgs?: readonly { readonly mspId: string }[];
  readonly capabilities: { readonly application: readonly string[] };
  readonly policies: { getPolicy(id: string): unknown };
}

export interface ApprovedDefinition extends Definition {
  /** '' = ChaincodeSource Unavailable. */
  packageId: string;
}

const currentSequence = (name: string, pub: ReadableState): Promise<number> =>
  fieldAsInt64(NAMESPACES_NAME, name, 'Sequence', pub).catch((err: unknown) => {
    throw withMessage(err, 'could not get current sequence');
  });

/** Fabric's SetChaincodeDefinitionDefaults: escc, vscc, and the channel's default endorsement policy. */
export function setDefinitionDefaults(channelId: string, cd: Definition, cfg: LifecycleChannelConfig): void {
  if (cd.endorsementInfo.endorsementPlugin === '') cd.endorsementInfo.endorsementPlugin = 'escc';
  if (cd.validationInfo.validationPlugin === '') cd.validationInfo.validationPlugin = 'vscc';
  if (cd.validationInfo.validationParameter.length === 0) {
    if (cfg.policies.getPolicy(DEFAULT_ENDORSEMENT_POLICY_REF) === undefined) {
      throw lifecycleError(
        LIFECYCLE_ERRORS.CHANNEL_CONFIG,
        `could not set defaults for chaincode definition in channel ${channelId}: policy '${DEFAULT_ENDORSEMENT_POLICY_REF}' must be defined for channel '${channelId}' before chaincode operations can be attempted`,
      );
    }
    cd.validationInfo.validationParameter = DEFAULT_ENDORSEMENT_POLICY_BYTES;
  }
}

/** Fabric's ApproveChaincodeDefinitionForOrg: the approval (+ package id) into this org's collection. */
export async function approveForOrg(
  channelId: string,
  name: string,
  cd: Definition,
  packageId: string,
  pub: ReadableState,
  org: ReadWritableState,
  cfg: LifecycleChannelConfig,
): Promise<void> {
  const current = await currentSequence(name, pub);
  const requested = cd.sequence;
  const seqError = (reason: string): LifecycleError =>
    lifecycleError(LIFECYCLE_ERRORS.SEQUENCE_MISMATCH, reason);
  if (current === requested && requested === 0)
    throw seqError('requested sequence is 0, but first definable sequence number is 1');
  if (requested < current)
    throw seqError(`currently defined sequence ${current} is larger than requested sequence ${requested}`);
  if (requested > current + 1)
    throw seqError(
      `requested sequence ${requested} is larger than the next available sequence number ${current + 1}`,
    );
  setDefinitionDefaults(channelId, cd, cfg);
  if (requested === current) {
    const md = await deserializeMetadata(NAMESPACES_NAME, name, pub);
    if (md === undefined)
      throw lifecycleError(
        LIFECYCLE_ERRORS.STATE_CORRUPT,
        `missing metadata for currently committed sequence number (${current})`,
      );
    const committed = await readParameters(NAMESPACES_NAME, name, pub, true);
    const diff = parametersDiffer(committed, cd);
    if (diff !== undefined)
      throw lifecycleError(
        LIFECYCLE_ERRORS.REDEFINITION,
        `attempted to redefine the current committed sequence (${current}) for namespace ${name} with different parameters: ${diff}`,
      );
  }
  const pname = privateName(name, requested);
  if (requested === current + 1) {
    // Re-approving the next sequence with identical content would write nothing new: Fabric refuses it.
    const uncommitted = await deserializeMetadata(NAMESPACES_NAME, pname, org);
    if (uncommitted !== undefined) {
      const params = await readParameters(NAMESPACES_NAME, pname, org, false);
      if (parametersDiffer(params, cd) === undefined) {
        const src = await deserializeMetadata(CHAINCODE_SOURCES_NAME, pname, org);
        if (src !== undefined && (await readLocalPackageId(pname, org)) === packageId) {
          throw lifecycleError(
            LIFECYCLE_ERRORS.REDEFINITION,
            `attempted to redefine uncommitted sequence (${requested}) for namespace ${name} with unchanged content`,
          );
        }
      }
    }
  }
  await serialize(NAMESPACES_NAME, pname, parametersStructure(name, cd), org);
  // The package id is written even when empty: an empty id tells this org's peers not to run it.
  await serialize(CHAINCODE_SOURCES_NAME, pname, localPackageStructure(name, cd, packageId), org);
}

/** Fabric's QueryApprovedChaincodeDefinition (sequence 0 = the newest of current and next). */
export async function queryApproved(
  channelId: string,
  name: string,
  sequence: number,
  pub: ReadableState,
  org: ReadableState,
): Promise<ApprovedDefinition> {
  let requested = sequence;
  if (requested === 0) {
    const current = await currentSequence(name, pub);
    requested = current;
    if ((await deserializeMetadata(NAMESPACES_NAME, privateName(name, current + 1), org)) !== undefined)
      requested = current + 1;
  }
  const pname = privateName(name, requested);
  const notFound = (): LifecycleError =>
    lifecycleError(
      LIFECYCLE_ERRORS.APPROVAL_NOT_FOUND,
      `could not fetch approved chaincode definition (name: '${name}', sequence: '${sequence}') on channel '${channelId}'`,
    );
  const md = await deserializeMetadata(NAMESPACES_NAME, pname, org);
  if (md === undefined) throw notFound();
  if (md.datatype !== CHAINCODE_PARAMETERS_TYPE)
    throw lifecycleError(LIFECYCLE_ERRORS.STATE_CORRUPT, `not a chaincode parameters type: ${md.datatype}`);
  const params = await readParameters(NAMESPACES_NAME, pname, org, false);
  const src = await deserializeMetadata(CHAINCODE_SOURCES_NAME, pname, org);
  if (src === undefined) throw notFound();
  if (src.datatype !== CHAINCODE_LOCAL_PACKAGE_TYPE)
    throw lifecycleError(
      LIFECYCLE_ERRORS.STATE_CORRUPT,
      `not a chaincode local package type: ${src.datatype}`,
    );
  return { ...params, sequence: requested, packageId: await readLocalPackageId(pname, org) };
}

/** Fabric's QueryOrgApprovals: per org (by implicit collection), does it hold this exact approval? */
export async function queryOrgApprovals(
  name: string,
  cd: Definition,
  orgStates: readonly OpaqueState[],
): Promise<Map<string, boolean>> {
  const out = new Map<string, boolean>();
  const pname = privateName(name, cd.sequence);
  for (const state of orgStates) {
    const match = await isSerialized(NAMESPACES_NAME, pname, parametersStructure(name, cd), state);
    out.set(mspIdOfImplicitCollection(state.collectionName) ?? state.collectionName, match);
  }
  return out;
}

/** Fabric's CheckCommitReadiness: next sequence only, defaults applied, approvals by hash. */
export async function checkCommitReadiness(
  channelId: string,
  name: string,
  cd: Definition,
  pub: ReadableState,
  orgStates: readonly OpaqueState[],
  cfg: LifecycleChannelConfig,
): Promise<Map<string, boolean>> {
  const current = await currentSequence(name, pub);
  if (cd.sequence !== current + 1)
    throw lifecycleError(
      LIFECYCLE_ERRORS.SEQUENCE_MISMATCH,
      `requested sequence is ${cd.sequence}, but new definition must be sequence ${current + 1}`,
    );
  setDefinitionDefaults(channelId, cd, cfg);
  return queryOrgApprovals(name, cd, orgStates);
}

/** Fabric's CommitChaincodeDefinition: readiness, then the definition into the public state. */
export async function commitDefinition(
  channelId: string,
  name: string,
  cd: Definition,
  pub: ReadWritableState,
  orgStates: readonly OpaqueState[],
  cfg: LifecycleChannelConfig,
): Promise<Map<string, boolean>> {
  const approvals = await checkCommitReadiness(channelId, name, cd, pub, orgStates, cfg);
  await serialize(NAMESPACES_NAME, name, definitionStructure(name, cd), pub);
  return approvals;
}

/** Fabric's QueryChaincodeDefinition: the committed definition, or 404 "namespace x is not defined". */
export async function queryDefinition(name: string, pub: ReadableState): Promise<Definition> {
  const md = await deserializeMetadata(NAMESPACES_NAME, name, pub);
  if (md === undefined) throw new LifecycleError(LIFECYCLE_ERRORS.NAMESPACE_NOT_DEFINED, { name });
  return readParameters(NAMESPACES_NAME, name, pub, true);
}

/** Fabric's QueryNamespaceDefinitions: name -> "Chaincode" (or the raw datatype). */
export async function queryNamespaceDefinitions(pub: RangeableState): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const [name, md] of await deserializeAllMetadata(NAMESPACES_NAME, pub)) {
    out.set(name, md.datatype === 'ChaincodeDefinition' ? FRIENDLY_CHAINCODE_DEFINITION_TYPE : md.datatype);
  }
  return out;
}
