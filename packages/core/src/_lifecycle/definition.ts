// The structures _lifecycle serializes, with Fabric's Go type and field names (they are part of the
// state: StateMetadata lists them and approvals are compared by their hashes).
import { lifecycle, protos } from '@fabric-peer/protos';
import { CHAINCODE_DEFINITION_TYPE, DEFINITION_FIELDS } from '../lifecycle/index.js';
import {
  fieldAsBytes,
  fieldAsInt64,
  fieldAsString,
  type ReadableState,
  type Serializable,
} from './serializer.js';

export const CHAINCODE_PARAMETERS_TYPE = 'ChaincodeParameters';
export const CHAINCODE_LOCAL_PACKAGE_TYPE = 'ChaincodeLocalPackage';
export const CHAINCODE_SOURCES_NAME = 'chaincode-sources';
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

const bytes = (b: Uint8Array): lifecycle.StateData => ({ bytes: b });
const parameterFields = (d: Definition): [string, lifecycle.StateData][] => [
  ['EndorsementInfo', bytes(lifecycle.ChaincodeEndorsementInfo.encode(d.endorsementInfo))],
  ['ValidationInfo', bytes(lifecycle.ChaincodeValidationInfo.encode(d.validationInfo))],
  ['Collections', bytes(protos.CollectionConfigPackage.encode(d.collections))],
];

/** ChaincodeDefinition{Sequence, EndorsementInfo, ValidationInfo, Collections}: the public definition. */
export function definitionStructure(d: Definition): Serializable {
  const fields = [
    ['Sequence', { int64: d.sequence }] as [string, lifecycle.StateData],
    ...parameterFields(d),
  ];
  // lifecycle/ owns the field order; keep ours in step with it.
  if (fields.some(([f], i) => f !== DEFINITION_FIELDS[i])) throw new Error('definition fields out of step');
  return { typeName: CHAINCODE_DEFINITION_TYPE, fields };
}

/** ChaincodeParameters{EndorsementInfo, ValidationInfo, Collections}: what an org approves. */
export const parametersStructure = (d: Definition): Serializable => ({
  typeName: CHAINCODE_PARAMETERS_TYPE,
  fields: parameterFields(d),
});

/** ChaincodeLocalPackage{PackageID}: which installed package this org runs for an approval. */
export const localPackageStructure = (packageId: string): Serializable => ({
  typeName: CHAINCODE_LOCAL_PACKAGE_TYPE,
  fields: [['PackageID', { string: packageId }]],
});

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
