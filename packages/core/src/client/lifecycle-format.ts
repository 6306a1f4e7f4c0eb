// What `peer lifecycle chaincode query*|checkcommitreadiness` print: the text lines and the
// `--output json` shapes (Go's json.MarshalIndent of the generated structs: snake_case names,
// omitempty, bytes in base64, oneofs as {"Type":{"LocalPackage":...}}, map keys sorted).
import { type common, lifecycle, protos } from '@fabric-peer/protos';
import { formatResponse, goJsonIndent } from './format.js';

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');
const sorted = <V>(m: Record<string, V>): Record<string, V> =>
  Object.fromEntries(
    Object.keys(m)
      .sort()
      .map((k) => [k, m[k]!]),
  );

// Go's encoding/json on protoc-gen-go structs: fields by their json tag with omitempty; a oneof is an
// interface field named after the Go field ("Payload", "Type") holding its wrapper, whose one field has no
// json tag (so its Go name, and no omitempty).
function signaturePolicyJson(p: common.SignaturePolicy): Record<string, unknown> {
  if (p.signedBy !== undefined) return { Type: { SignedBy: p.signedBy } };
  if (p.nOutOf !== undefined) {
    const o: Record<string, unknown> = {};
    if (p.nOutOf.n) o.n = p.nOutOf.n;
    if (p.nOutOf.rules.length > 0) o.rules = p.nOutOf.rules.map(signaturePolicyJson);
    return { Type: { NOutOf: o } };
  }
  return {};
}

function envelopeJson(e: common.SignaturePolicyEnvelope): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  if (e.version) o.version = e.version;
  if (e.rule !== undefined) o.rule = signaturePolicyJson(e.rule);
  if (e.identities.length > 0) {
    o.identities = e.identities.map((i) => {
      const id: Record<string, unknown> = {};
      if (i.principalClassification) id.principal_classification = i.principalClassification;
      if (i.principal.length > 0) id.principal = b64(i.principal);
      return id;
    });
  }
  return o;
}

function applicationPolicyJson(p: protos.ApplicationPolicy): Record<string, unknown> {
  if (p.signaturePolicy !== undefined) return { Type: { SignaturePolicy: envelopeJson(p.signaturePolicy) } };
  if (p.channelConfigPolicyReference !== undefined) {
    return { Type: { ChannelConfigPolicyReference: p.channelConfigPolicyReference } };
  }
  return {};
}

function collectionsJson(c: protos.CollectionConfigPackage | undefined): unknown {
  if (c === undefined) return undefined;
  if (c.config.length === 0) return {};
  return {
    config: c.config.map((cc) => {
      const s = cc.staticCollectionConfig;
      if (s === undefined) return {};
      const o: Record<string, unknown> = {};
      if (s.name) o.name = s.name;
      if (s.memberOrgsPolicy !== undefined) {
        const sp = s.memberOrgsPolicy.signaturePolicy;
        o.member_orgs_policy = sp === undefined ? {} : { Payload: { SignaturePolicy: envelopeJson(sp) } };
      }
      if (s.requiredPeerCount) o.required_peer_count = s.requiredPeerCount;
      if (s.maximumPeerCount) o.maximum_peer_count = s.maximumPeerCount;
      if (s.blockToLive) o.block_to_live = s.blockToLive;
      if (s.memberOnlyRead) o.member_only_read = true;
      if (s.memberOnlyWrite) o.member_only_write = true;
      if (s.endorsementPolicy !== undefined)
        o.endorsement_policy = applicationPolicyJson(s.endorsementPolicy);
      return { Payload: { StaticCollectionConfig: o } };
    }),
  };
}

interface DefinitionLike {
  sequence: number;
  version: string;
  endorsementPlugin: string;
  validationPlugin: string;
  validationParameter: Uint8Array;
  collections: protos.CollectionConfigPackage | undefined;
  initRequired: boolean;
}

function definitionJson(d: DefinitionLike, name?: string): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  if (name !== undefined && name !== '') o.name = name;
  if (d.sequence) o.sequence = d.sequence;
  if (d.version) o.version = d.version;
  if (d.endorsementPlugin) o.endorsement_plugin = d.endorsementPlugin;
  if (d.validationPlugin) o.validation_plugin = d.validationPlugin;
  if (d.validationParameter.length > 0) o.validation_parameter = b64(d.validationParameter);
  const c = collectionsJson(d.collections);
  if (c !== undefined) o.collections = c;
  if (d.initRequired) o.init_required = true;
  return o;
}

export function installedJson(r: lifecycle.QueryInstalledChaincodesResult): string {
  const o: Record<string, unknown> = {};
  if (r.installedChaincodes.length > 0) {
    o.installed_chaincodes = r.installedChaincodes.map((c) => {
      const e: Record<string, unknown> = {};
      if (c.packageId) e.package_id = c.packageId;
      if (c.label) e.label = c.label;
      const refs = Object.keys(c.references);
      if (refs.length > 0) {
        e.references = Object.fromEntries(
          refs
            .sort()
            .map((ch) => [
              ch,
              { chaincodes: c.references[ch]!.chaincodes.map((x) => ({ name: x.name, version: x.version })) },
            ]),
        );
      }
      return e;
    });
  }
  return goJsonIndent(o);
}

export function installedText(r: lifecycle.QueryInstalledChaincodesResult): string {
  const lines = ['Installed chaincodes on peer:'];
  for (const c of r.installedChaincodes) {
    let line = `Package ID: ${c.packageId}, Label: ${c.label}`;
    const refs = Object.keys(c.references).sort();
    if (refs.length > 0) {
      line += '\n\tReferences:';
      for (const ch of refs) {
        line += `\n\t\tChannel: ${ch}`;
        for (const x of c.references[ch]!.chaincodes)
          line += `\n\t\t\tName: ${x.name}, Version: ${x.version}`;
      }
    }
    lines.push(line);
  }
  return lines.join('\n');
}

export function approvedJson(r: lifecycle.QueryApprovedChaincodeDefinitionResult): string {
  const o = definitionJson(r);
  if (r.source !== undefined) {
    o.source =
      r.source.localPackage !== undefined
        ? {
            Type: {
              LocalPackage: r.source.localPackage.packageId
                ? { package_id: r.source.localPackage.packageId }
                : {},
            },
          }
        : { Type: { Unavailable: {} } };
  }
  return goJsonIndent(o);
}

export function approvedText(
  name: string,
  channelId: string,
  r: lifecycle.QueryApprovedChaincodeDefinitionResult,
): string {
  const pkg = r.source?.localPackage?.packageId ?? '';
  return `Approved chaincode definition for chaincode '${name}' on channel '${channelId}':\nsequence: ${r.sequence}, version: ${r.version}, init-required: ${r.initRequired}, package-id: ${pkg}, endorsement plugin: ${r.endorsementPlugin}, validation plugin: ${r.validationPlugin}`;
}

export function readinessJson(r: lifecycle.CheckCommitReadinessResult): string {
  return goJsonIndent(Object.keys(r.approvals).length > 0 ? { approvals: sorted(r.approvals) } : {});
}

export function readinessText(
  name: string,
  version: string,
  sequence: number,
  channelId: string,
  r: lifecycle.CheckCommitReadinessResult,
): string {
  const lines = [
    `Chaincode definition for chaincode '${name}', version '${version}', sequence '${sequence}' on channel '${channelId}' approval status by org:`,
  ];
  for (const [org, ok] of Object.entries(sorted(r.approvals))) lines.push(`${org}: ${ok}`);
  return lines.join('\n');
}

export function committedJson(r: lifecycle.QueryChaincodeDefinitionResult): string {
  const o = definitionJson(r);
  if (Object.keys(r.approvals).length > 0) o.approvals = sorted(r.approvals);
  return goJsonIndent(o);
}

export function committedText(
  name: string,
  channelId: string,
  r: lifecycle.QueryChaincodeDefinitionResult,
): string {
  const approvals = Object.entries(sorted(r.approvals))
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
  return `Committed chaincode definition for chaincode '${name}' on channel '${channelId}':\nVersion: ${r.version}, Sequence: ${r.sequence}, Endorsement Plugin: ${r.endorsementPlugin}, Validation Plugin: ${r.validationPlugin}, Approvals: [${approvals}]`;
}

export function allCommittedJson(r: lifecycle.QueryChaincodeDefinitionsResult): string {
  return goJsonIndent(
    r.chaincodeDefinitions.length > 0
      ? { chaincode_definitions: r.chaincodeDefinitions.map((d) => definitionJson(d, d.name)) }
      : {},
  );
}

export function allCommittedText(channelId: string, r: lifecycle.QueryChaincodeDefinitionsResult): string {
  return [
    `Committed chaincode definitions on channel '${channelId}':`,
    ...r.chaincodeDefinitions.map(
      (d) =>
        `Name: ${d.name}, Version: ${d.version}, Sequence: ${d.sequence}, Endorsement Plugin: ${d.endorsementPlugin}, Validation Plugin: ${d.validationPlugin}`,
    ),
  ].join('\n');
}

/** `Installed remotely: response:{status:200 payload:"..."}` (protobuf-go text) as Go logs the install response. */
export function installedRemotely(r: lifecycle.InstallChaincodeResult): string {
  const payload = lifecycle.InstallChaincodeResult.encode(r);
  return `Installed remotely: response:{${formatResponse(protos.Response.create({ status: 200, payload }))}}`;
}
