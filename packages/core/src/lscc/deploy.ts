// lscc deploy / upgrade (Fabric's executeDeployOrUpgrade): the ChaincodeData of an installed legacy
// package written under key <name> of namespace `lscc`, after the instantiation policy (any admin of
// the channel's orgs, for unsigned CDS packages) accepted the proposal's creator.
import type { TxSimulator } from '@fabric-peer/ledger';
import { type SignedData, SignaturePolicy, type IdentityDeserializer, signedByAnyOf } from '@fabric-peer/msp';
import { common, protos } from '@fabric-peer/protos';
import { type ChaincodeData, decodeChaincodeData, encodeChaincodeData } from './chaincodedata.js';
import { LSCC_ERRORS, LsccError } from './errors.js';
import type { LegacyPackageStore } from './store.js';

export const LSCC_NAMESPACE = 'lscc';
export const CHAINCODE_NAME_REGEXP = /^[a-zA-Z0-9]+([-_][a-zA-Z0-9]+)*$/;
export const CHAINCODE_VERSION_REGEXP = /^[A-Za-z0-9_.+-]+$/;
/** privdata.BuildCollectionKVSKey: where a chaincode's collection config lives in `lscc`. */
export const collectionKey = (name: string): string => `${name}~collection`;

export interface LegacyChannelConfig {
  readonly applicationOrgs: readonly { readonly mspId: string }[];
  readonly capabilities: { readonly application: readonly string[] };
  readonly mspManager: IdentityDeserializer;
}

export interface DeployRequest {
  function: 'deploy' | 'upgrade';
  channelId: string;
  cds: protos.ChaincodeDeploymentSpec;
  policy: Uint8Array;
  escc: string;
  vscc: string;
  collections: Uint8Array | undefined;
  signedData: readonly SignedData[];
}

export const validateName = (name: string): void => {
  if (!CHAINCODE_NAME_REGEXP.test(name)) throw new LsccError(LSCC_ERRORS.INVALID_NAME, { name });
};
export const validateVersion = (version: string): void => {
  if (!CHAINCODE_VERSION_REGEXP.test(version)) throw new LsccError(LSCC_ERRORS.INVALID_VERSION, { version });
};

const failed = (reason: string): LsccError => new LsccError(LSCC_ERRORS.FAILED, { reason });

/** V1_2 and later allow private data collections (and their upgrade). */
export const privateChannelData = (cfg: LegacyChannelConfig): boolean =>
  cfg.capabilities.application.some((c) => ['V1_2', 'V1_3', 'V1_4_2', 'V1_4_3', 'V2_0', 'V2_5'].includes(c));

/** policydsl.SignedByAnyMember / SignedByAnyAdmin of the channel's application orgs, marshalled. */
export const anyOf = (cfg: LegacyChannelConfig, role: 'member' | 'admin'): Uint8Array =>
  common.SignaturePolicyEnvelope.encode(
    signedByAnyOf(
      cfg.applicationOrgs.map((o) => o.mspId),
      role,
    ),
  );

function checkInstantiationPolicy(
  policy: Uint8Array,
  cfg: LegacyChannelConfig,
  sd: readonly SignedData[],
): void {
  const p = new SignaturePolicy(common.SignaturePolicyEnvelope.decode(policy), cfg.mspManager);
  const r = p.evaluateSignedData(sd);
  if (!r.satisfied) throw new LsccError(LSCC_ERRORS.POLICY_VIOLATION, { reason: r.error.message });
}

export async function deployOrUpgrade(
  req: DeployRequest,
  sim: TxSimulator,
  cfg: LegacyChannelConfig,
  store: LegacyPackageStore,
): Promise<ChaincodeData> {
  const id = req.cds.chaincodeSpec?.chaincodeId;
  const name = id?.name ?? '';
  const version = id?.version ?? '';
  validateName(name);
  validateVersion(version);
  const pkg = await store.get(`${name}:${version}`);
  if (pkg === undefined) throw failed(`cannot get package for chaincode (${name}:${version})`);
  const existing = await sim.getState(LSCC_NAMESPACE, name);
  const instantiationPolicy = anyOf(cfg, 'admin');
  if (req.function === 'deploy') {
    if (existing !== undefined) throw new LsccError(LSCC_ERRORS.EXISTS, { name });
  } else {
    if (existing === undefined) throw new LsccError(LSCC_ERRORS.NOT_FOUND, { name });
    const old = decodeChaincodeData(existing);
    if (old.name !== name) throw failed(`chaincode name mismatch: ${name}!=${old.name}`);
    if (old.version === version) throw new LsccError(LSCC_ERRORS.IDENTICAL_VERSION, { name });
    if (old.instantiationPolicy.length === 0) throw failed('instantiation policy missing');
    checkInstantiationPolicy(old.instantiationPolicy, cfg, req.signedData);
  }
  checkInstantiationPolicy(instantiationPolicy, cfg, req.signedData);
  const cd: ChaincodeData = {
    name,
    version,
    escc: req.escc,
    vscc: req.vscc,
    policy: req.policy,
    data: pkg.data,
    id: pkg.id,
    instantiationPolicy,
  };
  await sim.setState(LSCC_NAMESPACE, name, encodeChaincodeData(cd));
  if (req.function === 'upgrade' && !privateChannelData(cfg) && req.collections !== undefined)
    throw failed('as V1_2 capability is not enabled, collection upgrades are not allowed');
  if (req.collections !== undefined && req.collections.length > 0) {
    let pkgColls: protos.CollectionConfigPackage;
    try {
      pkgColls = protos.CollectionConfigPackage.decode(req.collections);
    } catch {
      throw failed(`invalid collection configuration supplied for chaincode ${name}:${version}`);
    }
    for (const c of pkgColls.config) {
      const sc = c.staticCollectionConfig;
      const reason = !sc
        ? 'collection configuration is empty'
        : !sc.memberOrgsPolicy
          ? 'collection member policy is not set'
          : !sc.memberOrgsPolicy.signaturePolicy
            ? 'collection member org policy is empty'
            : undefined;
      if (reason) throw failed(`collection member policy check failed: ${reason}`);
    }
    await sim.setState(LSCC_NAMESPACE, collectionKey(name), req.collections);
  }
  return cd;
}
