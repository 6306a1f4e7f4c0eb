// The structures _lifecycle serializes, with Fabric's Go type and field names (they are part of the
// state: StateMetadata lists them and approvals are compared by their hashes). Their encoding is
// lifecycle/'s (encodeChaincodeDefinition, encodeApproval); here they become Serializables for the
// write-only-what-changed Serializer.
import { lifecycle, protos } from '@fabric-peer/protos';
import {
  CHAINCODE_SOURCES_NAME,
  type ChaincodeDefinition,
  NAMESPACES_NAME,
  encodeApproval,
  encodeChaincodeDefinition,
  fieldKey,
  metadataKey,
} from '../lifecycle/index.js';
import {
  fieldAsBytes,
  fieldAsInt64,
  fieldAsString,
  type ReadableState,
  type Serializable,
} from './serializer.js';

export const CHAINCODE_PARAMETERS_TYPE = 'ChaincodeParameters';
export const CHAINCODE_LOCAL_PACKAGE_TYPE = 'ChaincodeLocalPackage';
export { CHAINCODE_SOURCES_NAME };
/** QueryNamespaceDefinitions shows ChaincodeDefinition namespaces as "Chaincode". */
export const FRIENDLY_CHAINCODE_DEFINITION_TYPE = 'Chaincode';
export const DEFAULT_ENDORSEMENT_POLICY_REF = '/Channel/Application/Endorsement';
export const DEFAULT_ENDORSEMENT_POLICY_BYTES = protos.ApplicationPolicy.encode({
  channelConfigPolicyReference: DEFAULT_ENDORSEMENT_POLICY_REF,
});

/** Fabric's lifecycle.ChaincodeDefinition (sequence + parameters), proto-shaped. */
export interface Definition {
  sequence: number;
  endorsementInfo: lifecycle.ChaincodeEndorsementInfo;
  validationInfo: lifecycle.ChaincodeValidationInfo;
  collections: protos.CollectionConfigPackage;
}

/** The private key name of an approval: `<name>#<sequence>`. */
export const privateName = (name: string, sequence: number): string => `${name}#${sequence}`;

/** lifecycle/'s flat definition of `name` (the encoders' input). */
function flat(name: string, d: Definition): ChaincodeDefinition {
  return {
    name,
    sequence: d.sequence,
    version: d.endorsementInfo.version,
    initRequired: d.endorsementInfo.initRequired,
    endorsementPlugin: d.endorsementInfo.endorsementPlugin,
    validationPlugin: d.validationInfo.validationPlugin,
    validationParameter: d.validationInfo.validationParameter,
    // common.CollectionConfigPackage is the deprecated twin of protos'; same fields, same wire format.
    collections: d.collections,
  };
}

/** The structure lifecycle/'s encoder wrote for `<ns>/.../<key>`: type and field order from its metadata. */
function fromEncoded(encoded: ReadonlyMap<string, Uint8Array>, ns: string, key: string): Serializable {
  const md = lifecycle.StateMetadata.decode(encoded.get(metadataKey(ns, key))!);
  return {
    typeName: md.datatype,
    fields: md.fields.map((f) => [f, encoded.get(fieldKey(ns, key, f))!] as const),
  };
}

/** ChaincodeDefinition{Sequence, EndorsementInfo, ValidationInfo, Collections}: the public definition. */
export const definitionStructure = (name: string, d: Definition): Serializable =>
  fromEncoded(encodeChaincodeDefinition(flat(name, d)), NAMESPACES_NAME, name);

/** ChaincodeParameters{EndorsementInfo, ValidationInfo, Collections}: what an org approves, under name#sequence. */
export const parametersStructure = (name: string, d: Definition): Serializable =>
  fromEncoded(
    encodeApproval(name, d.sequence, flat(name, d), ''),
    NAMESPACES_NAME,
    privateName(name, d.sequence),
  );

/** ChaincodeLocalPackage{PackageID}: which installed package this org runs for an approval. */
export const localPackageStructure = (name: string, d: Definition, packageId: string): Serializable =>
  fromEncoded(
    encodeApproval(name, d.sequence, flat(name, d), packageId),
    CHAINCODE_SOURCES_NAME,
    privateName(name, d.sequence),
  );

/** Reads the parameters (and, for a definition, the sequence) of `name` from `state`. */
export async function readParameters(
  ns: string,
  name: string,
  state: ReadableState,
  withSequence: boolean,
): Promise<Definition> {
  // Fabric's Deserialize reads the fields in declaration order; the reads land in the rw-set.
  const sequence = withSequence ? await fieldAsInt64(ns, name, 'Sequence', state) : 0;
  const ei = await fieldAsBytes(ns, name, 'EndorsementInfo', state);
  const vi = await fieldAsBytes(ns, name, 'ValidationInfo', state);
  const cc = await fieldAsBytes(ns, name, 'Collections', state);
  return {
    sequence,
    endorsementInfo: lifecycle.ChaincodeEndorsementInfo.decode(ei),
    validationInfo: lifecycle.ChaincodeValidationInfo.decode(vi),
    collections: protos.CollectionConfigPackage.decode(cc),
  };
}

export const readLocalPackageId = (name: string, state: ReadableState): Promise<string> =>
  fieldAsString(CHAINCODE_SOURCES_NAME, name, 'PackageID', state);

/** Fabric's ChaincodeParameters.Equal: the first difference, in Fabric's words, or undefined. */
export function parametersDiffer(a: Definition, b: Definition): string | undefined {
  const ea = a.endorsementInfo;
  const eb = b.endorsementInfo;
  const va = a.validationInfo;
  const vb = b.validationInfo;
  const hex = (x: Uint8Array): string => Buffer.from(x).toString('hex');
  if (ea.version !== eb.version)
    return `expected Version '${ea.version}' does not match passed Version '${eb.version}'`;
  if (ea.endorsementPlugin !== eb.endorsementPlugin)
    return `expected EndorsementPlugin '${ea.endorsementPlugin}' does not match passed EndorsementPlugin '${eb.endorsementPlugin}'`;
  if (ea.initRequired !== eb.initRequired)
    return `expected InitRequired '${ea.initRequired}' does not match passed InitRequired '${eb.initRequired}'`;
  if (va.validationPlugin !== vb.validationPlugin)
    return `expected ValidationPlugin '${va.validationPlugin}' does not match passed ValidationPlugin '${vb.validationPlugin}'`;
  if (hex(va.validationParameter) !== hex(vb.validationParameter))
    return `expected ValidationParameter '${hex(va.validationParameter)}' does not match passed ValidationParameter '${hex(vb.validationParameter)}'`;
  const ca = protos.CollectionConfigPackage.encode(a.collections);
  const cb = protos.CollectionConfigPackage.encode(b.collections);
  if (hex(ca) !== hex(cb)) return 'Collections do not match';
  return undefined;
}

/** Fabric's String() of a definition, for log lines. */
export const describeDefinition = (d: Definition): string =>
  `sequence: ${d.sequence}, endorsement info: (version: '${d.endorsementInfo.version}', plugin: '${d.endorsementInfo.endorsementPlugin}', init required: ${d.endorsementInfo.initRequired}), validation info: (plugin: '${d.validationInfo.validationPlugin}', policy: '${Buffer.from(d.validationInfo.validationParameter).toString('hex')}')`;
