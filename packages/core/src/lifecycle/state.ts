// _lifecycle's public state as Fabric 2.5 writes it (core/chaincode/lifecycle, Serializer): one
// `namespaces/metadata/<name>` key holding StateMetadata{datatype, fields} and one
// `namespaces/fields/<name>/<Field>` key per field holding a StateData (int64, bytes or string).
import { common, lifecycle } from '@fabric-peer/protos';

export const LIFECYCLE_NAMESPACE = '_lifecycle';
export const NAMESPACES_NAME = 'namespaces';
export const CHAINCODE_DEFINITION_TYPE = 'ChaincodeDefinition';

export const metadataKey = (prefix: string, name: string): string => `${prefix}/metadata/${name}`;
export const fieldKey = (prefix: string, name: string, field: string): string =>
  `${prefix}/fields/${name}/${field}`;

/** A committed chaincode definition (Fabric's lifecycle.ChaincodeDefinition). */
export interface ChaincodeDefinition {
  name: string;
  sequence: number;
  version: string;
  initRequired: boolean;
  endorsementPlugin: string;
  validationPlugin: string;
  /** ApplicationPolicy bytes as committed (the endorsement policy). */
  validationParameter: Uint8Array;
  collections: common.CollectionConfigPackage;
}

/** The four fields of a ChaincodeDefinition, in the order Fabric's StateMetadata lists them. */
export const DEFINITION_FIELDS = ['Sequence', 'EndorsementInfo', 'ValidationInfo', 'Collections'] as const;

/** The state writes of a definition: key -> value (metadata key included), for the write side. */
export function encodeChaincodeDefinition(
  def: ChaincodeDefinition,
  prefix = NAMESPACES_NAME,
): Map<string, Uint8Array> {
  const bytes = (b: Uint8Array): lifecycle.StateData => ({ bytes: b });
  return encodeStateObject(prefix, def.name, CHAINCODE_DEFINITION_TYPE, [
    ['Sequence', { int64: def.sequence }],
    [
      'EndorsementInfo',
      bytes(
        lifecycle.ChaincodeEndorsementInfo.encode({
          version: def.version,
          initRequired: def.initRequired,
          endorsementPlugin: def.endorsementPlugin,
        }),
      ),
    ],
    [
      'ValidationInfo',
      bytes(
        lifecycle.ChaincodeValidationInfo.encode({
          validationPlugin: def.validationPlugin,
          validationParameter: def.validationParameter,
        }),
      ),
    ],
    ['Collections', bytes(common.CollectionConfigPackage.encode(def.collections))],
  ]);
}

/**
 * Fabric's Serializer.Serialize: StateMetadata{datatype, fields} under `<prefix>/metadata/<name>`,
 * each field under `<prefix>/fields/<name>/<field>`, fields in the order of Fabric's struct.
 */
export function encodeStateObject(
  prefix: string,
  name: string,
  datatype: string,
  fields: readonly (readonly [string, lifecycle.StateData])[],
): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  out.set(
    metadataKey(prefix, name),
    lifecycle.StateMetadata.encode({ datatype, fields: fields.map(([f]) => f) }),
  );
  for (const [f, v] of fields) out.set(fieldKey(prefix, name, f), lifecycle.StateData.encode(v));
  return out;
}

/** What an org approves (Fabric's ChaincodeParameters): a definition without its sequence. */
export type ChaincodeParameters = Omit<ChaincodeDefinition, 'name' | 'sequence'>;

/**
 * An org's approval as ApproveChaincodeDefinitionForMyOrg writes it into the org's implicit
 * collection of `_lifecycle`: `namespaces/.../<name>#<sequence>` (ChaincodeParameters) and
 * `chaincode-sources/.../<name>#<sequence>` (ChaincodeLocalPackage{PackageID}, "" when none).
 */
export function encodeApproval(
  name: string,
  sequence: number,
  params: ChaincodeParameters,
  packageId: string,
): Map<string, Uint8Array> {
  const key = `${name}#${sequence}`;
  const bytes = (b: Uint8Array): lifecycle.StateData => ({ bytes: b });
  return new Map([
    ...encodeStateObject(NAMESPACES_NAME, key, 'ChaincodeParameters', [
      [
        'EndorsementInfo',
        bytes(
          lifecycle.ChaincodeEndorsementInfo.encode({
            version: params.version,
            initRequired: params.initRequired,
            endorsementPlugin: params.endorsementPlugin,
          }),
        ),
      ],
      [
        'ValidationInfo',
        bytes(
          lifecycle.ChaincodeValidationInfo.encode({
            validationPlugin: params.validationPlugin,
            validationParameter: params.validationParameter,
          }),
        ),
      ],
      ['Collections', bytes(common.CollectionConfigPackage.encode(params.collections))],
    ]),
    ...encodeStateObject(CHAINCODE_SOURCES_NAME, key, 'ChaincodeLocalPackage', [
      ['PackageID', { string: packageId }],
    ]),
  ]);
}

export const CHAINCODE_SOURCES_NAME = 'chaincode-sources';

export class LifecycleStateError extends Error {
  readonly code = 'LIFECYCLE_STATE_CORRUPT';
}

/** Reads a definition through `get` (state of `_lifecycle`); undefined when `name` is not defined. */
export async function decodeChaincodeDefinition(
  name: string,
  get: (key: string) => Promise<Uint8Array | undefined>,
  prefix = NAMESPACES_NAME,
): Promise<ChaincodeDefinition | undefined> {
  const metaBytes = await get(metadataKey(prefix, name));
  if (!metaBytes || metaBytes.length === 0) return undefined;
  const meta = lifecycle.StateMetadata.decode(metaBytes);
  if (meta.datatype !== CHAINCODE_DEFINITION_TYPE) {
    throw new LifecycleStateError(`${name} is of type ${meta.datatype}, not ${CHAINCODE_DEFINITION_TYPE}`);
  }
  const [seq, ei, vi, coll] = await Promise.all(DEFINITION_FIELDS.map((f) => get(fieldKey(prefix, name, f))));
  const data = (b: Uint8Array | undefined): lifecycle.StateData =>
    lifecycle.StateData.decode(b ?? new Uint8Array());
  const endorsement = lifecycle.ChaincodeEndorsementInfo.decode(data(ei).bytes ?? new Uint8Array());
  const validation = lifecycle.ChaincodeValidationInfo.decode(data(vi).bytes ?? new Uint8Array());
  return {
    name,
    sequence: data(seq).int64 ?? 0,
    version: endorsement.version,
    initRequired: endorsement.initRequired,
    endorsementPlugin: endorsement.endorsementPlugin,
    validationPlugin: validation.validationPlugin,
    validationParameter: validation.validationParameter,
    collections: common.CollectionConfigPackage.decode(data(coll).bytes ?? new Uint8Array()),
  };
}

/** The endorsement policy of a definition (ApplicationPolicy: signature policy or channel policy reference). */
export function endorsementPolicyOf(def: ChaincodeDefinition): common.ApplicationPolicy {
  return common.ApplicationPolicy.decode(def.validationParameter);
}

/** Fabric's implicit collection name for an org: `_implicit_org_<MSPID>`. */
export const IMPLICIT_COLLECTION_PREFIX = '_implicit_org_';
export const implicitCollectionName = (mspId: string): string => `${IMPLICIT_COLLECTION_PREFIX}${mspId}`;
