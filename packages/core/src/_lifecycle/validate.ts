// Fabric's validateInput for approve and commit: name and version rules, collection configs checked
// against the channel's orgs, and against the collections of the definition already committed (in
// _lifecycle, or in lscc for a chaincode deployed with the legacy lifecycle). The committed definition
// is read through the transaction's simulator, so these reads are in the rw-set as in Fabric's.
import type { QueryExecutor } from '@fabric-peer/ledger';
import { common, msp, protos } from '@fabric-peer/protos';
import { LIFECYCLE_NAMESPACE, NAMESPACES_NAME } from '../lifecycle/index.js';
import { readParameters } from './definition.js';
import { LIFECYCLE_ERRORS, lifecycleError } from './errors.js';
import type { LifecycleChannelConfig } from './functions.js';
import { deserializeMetadata } from './serializer.js';
import { publicQueryState } from './states.js';

export const CHAINCODE_NAME_REGEXP = /^[a-zA-Z0-9]+([-_][a-zA-Z0-9]+)*$/;
export const CHAINCODE_VERSION_REGEXP = /^[A-Za-z0-9_.+-]+$/;
const COLLECTION_NAME_REGEXP = /^[A-Za-z0-9-]+([A-Za-z0-9_-]+)*$/;
const SYSTEM_CHAINCODE_NAMES = new Set(['cscc', 'escc', 'lscc', 'qscc', 'vscc']);
export const LSCC_NAMESPACE = 'lscc';

const invalid = (reason: string): Error => lifecycleError(LIFECYCLE_ERRORS.INVALID_DEFINITION, reason);

export async function validateInput(
  name: string,
  version: string,
  collections: protos.CollectionConfigPackage | undefined,
  cfg: LifecycleChannelConfig,
  qe: QueryExecutor,
): Promise<void> {
  if (!CHAINCODE_NAME_REGEXP.test(name))
    throw invalid(
      `invalid chaincode name '${name}'. Names can only consist of alphanumerics, '_', and '-' and can only begin with alphanumerics`,
    );
  if (SYSTEM_CHAINCODE_NAMES.has(name))
    throw invalid(`chaincode name '${name}' is the name of a system chaincode`);
  if (!CHAINCODE_VERSION_REGEXP.test(version))
    throw invalid(
      `invalid chaincode version '${version}'. Versions can only consist of alphanumerics, '_', '-', '+', and '.'`,
    );
  const configs = staticConfigs(collections);
  validateCollectionConfigs(configs, cfg);
  const committed = await committedCollections(name, qe);
  if (committed !== undefined) validateAgainstCommitted(configs, committed);
}

function staticConfigs(pkg: protos.CollectionConfigPackage | undefined): protos.StaticCollectionConfig[] {
  return (pkg?.config ?? []).map((c) => {
    if (c.staticCollectionConfig === undefined) throw invalid('collection configuration is empty');
    return c.staticCollectionConfig;
  });
}

function validateCollectionConfigs(
  configs: protos.StaticCollectionConfig[],
  cfg: LifecycleChannelConfig,
): void {
  const names = new Set<string>();
  const mspIds = new Set([...cfg.applicationOrgs, ...(cfg.ordererOrgs ?? [])].map((o) => o.mspId));
  for (const c of configs) {
    if (!COLLECTION_NAME_REGEXP.test(c.name))
      throw invalid(
        `invalid collection name '${c.name}'. Names can only consist of alphanumerics, '_', and '-' and cannot begin with '_'`,
      );
    if (names.has(c.name))
      throw invalid(`collection-name: ${c.name} -- found duplicate in collection configuration`);
    names.add(c.name);
    if (c.maximumPeerCount < c.requiredPeerCount)
      throw invalid(
        `collection-name: ${c.name} -- maximum peer count (${c.maximumPeerCount}) cannot be less than the required peer count (${c.requiredPeerCount})`,
      );
    if (c.requiredPeerCount < 0)
      throw invalid(
        `collection-name: ${c.name} -- requiredPeerCount (${c.requiredPeerCount}) cannot be less than zero`,
      );
    const sp = c.memberOrgsPolicy?.signaturePolicy;
    if (c.memberOrgsPolicy === undefined)
      throw invalid(`collection member policy is not set for collection '${c.name}'`);
    if (sp === undefined) throw invalid(`collection member org policy is empty for collection '${c.name}'`);
    orConcatenation(sp.rule, c.name);
    for (const p of sp.identities) {
      const C = common.MSPPrincipal_Classification;
      let mspId: string;
      if (p.principalClassification === C.ROLE) mspId = common.MSPRole.decode(p.principal).mspIdentifier;
      else if (p.principalClassification === C.ORGANIZATION_UNIT)
        mspId = common.OrganizationUnit.decode(p.principal).mspIdentifier;
      else if (p.principalClassification === C.IDENTITY) {
        let id: string | undefined;
        try {
          id = msp.SerializedIdentity.decode(p.principal).mspid;
        } catch {
          id = undefined;
        }
        if (id === undefined || !mspIds.has(id))
          throw invalid(`collection-name: ${c.name} -- contains an identity that is not part of the channel`);
        continue;
      } else
        throw invalid(
          `collection-name: ${c.name} -- principal type ${p.principalClassification} is not supported`,
        );
      if (!mspIds.has(mspId))
        throw invalid(
          `collection-name: ${c.name} -- collection member '${mspId}' is not part of the channel`,
        );
    }
  }
}

/** A member orgs policy must be an OR of identities (NOutOf with N = 1 all the way down). */
function orConcatenation(rule: common.SignaturePolicy | undefined, coll: string): void {
  const n = rule?.nOutOf;
  if (n === undefined) return;
  if (n.n !== 1)
    throw invalid(
      `collection-name: ${coll} -- error in member org policy: signature policy is not an OR concatenation, NOutOf ${n.n}`,
    );
  for (const r of n.rules) orConcatenation(r, coll);
}

/**
 * The explicit collections of the committed definition (Fabric's DeployedCCInfoProvider.ChaincodeInfo):
 * `_lifecycle` first; a name `_lifecycle` does not define is looked up in lscc. undefined = not deployed.
 */
async function committedCollections(
  name: string,
  qe: QueryExecutor,
): Promise<protos.CollectionConfigPackage | undefined> {
  if (name === LIFECYCLE_NAMESPACE) return undefined;
  const pub = publicQueryState(qe);
  if ((await deserializeMetadata(NAMESPACES_NAME, name, pub)) !== undefined)
    return (await readParameters(NAMESPACES_NAME, name, pub, true)).collections;
  const legacy = await qe.getState(LSCC_NAMESPACE, name);
  if (legacy === undefined) return undefined;
  const colls = await qe.getState(LSCC_NAMESPACE, `${name}~collection`);
  return colls === undefined
    ? protos.CollectionConfigPackage.create()
    : protos.CollectionConfigPackage.decode(colls);
}

function validateAgainstCommitted(
  proposed: protos.StaticCollectionConfig[],
  committed: protos.CollectionConfigPackage,
): void {
  if (committed.config.length === 0) return;
  if (proposed.length === 0)
    throw invalid('the proposed collection config does not contain previously defined collections');
  const byName = new Map(proposed.map((c) => [c.name, c]));
  for (const cc of committed.config) {
    const old = cc.staticCollectionConfig;
    if (old === undefined) throw invalid('unknown collection configuration type');
    const now = byName.get(old.name);
    if (now === undefined)
      throw invalid(`existing collection [${old.name}] missing in the proposed collection configuration`);
    if (now.blockToLive !== old.blockToLive)
      throw invalid(
        `the BlockToLive in an existing collection [${old.name}] modified. Existing value [${old.blockToLive}]`,
      );
  }
}
