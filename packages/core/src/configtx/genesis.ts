// configtxgen's encoder: a channel profile -> the Config tree -> the genesis block. Group, value and
// policy names, mod policies and versions are configtxgen's, so a real Fabric peer or orderer takes
// the block (checked against the fixture's mychannel-genesis.block in the tests).
import { common, etcdraft, msp as mspProto, orderer, protos } from '@fabric-peer/protos';
import { loadVerifyingMSPConfig, signaturePolicyFromString } from '@fabric-peer/msp';
import { blockDataHash } from '@fabric-peer/ledger';
import { CONFIGTX_ERRORS, ConfigtxError } from './errors.js';
import { computeTxId, makeChannelHeader, makeSignatureHeader, newNonce } from './envelope.js';
import {
  type ChannelProfile,
  DEFAULT_RAFT_OPTIONS,
  type OrdererProfile,
  type OrgProfile,
  type PolicySet,
  defaultApplicationPolicies,
  defaultMetaPolicies,
  defaultOrdererPolicies,
  defaultOrgPolicies,
} from './profile.js';

const ADMINS = 'Admins';
const utf8 = (s: string | Uint8Array): Uint8Array => (typeof s === 'string' ? Buffer.from(s) : s);

function value(bytes: Uint8Array): common.ConfigValue {
  return common.ConfigValue.create({ version: 0, value: bytes, modPolicy: ADMINS });
}

const IMPLICIT_RULES: Record<string, common.ImplicitMetaPolicy_Rule> = {
  ANY: common.ImplicitMetaPolicy_Rule.ANY,
  ALL: common.ImplicitMetaPolicy_Rule.ALL,
  MAJORITY: common.ImplicitMetaPolicy_Rule.MAJORITY,
};

/** configtxgen's policy encoding: Signature rules through the policy language, ImplicitMeta "RULE Sub". */
export function encodePolicy(name: string, spec: { type: string; rule: string }): common.Policy {
  if (spec.type === 'Signature') {
    let envelope: common.SignaturePolicyEnvelope;
    try {
      envelope = signaturePolicyFromString(spec.rule);
    } catch (err) {
      throw ConfigtxError.of(CONFIGTX_ERRORS.PROFILE_INVALID, {
        reason: `policy ${name}: ${(err as Error).message}`,
      });
    }
    return common.Policy.create({
      type: common.Policy_PolicyType.SIGNATURE,
      value: common.SignaturePolicyEnvelope.encode(envelope),
    });
  }
  if (spec.type === 'ImplicitMeta') {
    const [rule, sub, extra] = spec.rule.trim().split(/\s+/);
    const r = rule === undefined ? undefined : IMPLICIT_RULES[rule.toUpperCase()];
    if (r === undefined || !sub || extra !== undefined) {
      throw ConfigtxError.of(CONFIGTX_ERRORS.PROFILE_INVALID, {
        reason: `policy ${name}: ImplicitMeta rule must be "ANY|ALL|MAJORITY SubPolicy", got "${spec.rule}"`,
      });
    }
    return common.Policy.create({
      type: common.Policy_PolicyType.IMPLICIT_META,
      value: common.ImplicitMetaPolicy.encode({ subPolicy: sub, rule: r }),
    });
  }
  throw ConfigtxError.of(CONFIGTX_ERRORS.PROFILE_INVALID, {
    reason: `policy ${name}: unknown type ${spec.type}`,
  });
}

function policies(set: PolicySet): Record<string, common.ConfigPolicy> {
  const out: Record<string, common.ConfigPolicy> = {};
  for (const [name, spec] of Object.entries(set)) {
    out[name] = common.ConfigPolicy.create({
      version: 0,
      policy: encodePolicy(name, spec),
      modPolicy: ADMINS,
    });
  }
  return out;
}

function capabilities(names: readonly string[]): common.ConfigValue {
  const caps: Record<string, common.Capability> = {};
  for (const n of names) caps[n] = {};
  return value(common.Capabilities.encode({ capabilities: caps }));
}

function group(init: Partial<common.ConfigGroup>): common.ConfigGroup {
  return common.ConfigGroup.create({ version: 0, modPolicy: ADMINS, ...init });
}

async function mspValue(org: OrgProfile): Promise<common.ConfigValue> {
  const config = 'dir' in org.msp ? await loadVerifyingMSPConfig(org.msp.dir, org.mspId) : org.msp.config;
  const bytes = mspProto.MSPConfig.encode({ type: 0, config: mspProto.FabricMSPConfig.encode(config) });
  return value(bytes);
}

async function orgGroup(org: OrgProfile, kind: 'peer' | 'orderer'): Promise<common.ConfigGroup> {
  const values: Record<string, common.ConfigValue> = { MSP: await mspValue(org) };
  if (org.anchorPeers && org.anchorPeers.length > 0) {
    values.AnchorPeers = value(protos.AnchorPeers.encode({ anchorPeers: org.anchorPeers }));
  }
  if (org.ordererEndpoints && org.ordererEndpoints.length > 0) {
    values.Endpoints = value(common.OrdererAddresses.encode({ addresses: org.ordererEndpoints }));
  }
  return group({ values, policies: policies(org.policies ?? defaultOrgPolicies(org.mspId, kind)) });
}

/** Go duration text for a millisecond count ("2ms", "1s"); strings pass as written. */
export function goDuration(d: string | number): string {
  if (typeof d === 'string') return d;
  return d % 1000 === 0 ? `${d / 1000}s` : `${d}ms`;
}

async function ordererGroup(p: OrdererProfile): Promise<common.ConfigGroup> {
  let metadata: Uint8Array = new Uint8Array();
  if (p.ordererType === 'etcdraft') {
    if (!p.consenters || p.consenters.length === 0) {
      throw ConfigtxError.of(CONFIGTX_ERRORS.PROFILE_INVALID, {
        reason: 'etcdraft needs at least one consenter',
      });
    }
    metadata = etcdraft.ConfigMetadata.encode({
      consenters: p.consenters.map((c) => ({
        host: c.host,
        port: c.port,
        clientTlsCert: utf8(c.clientTlsCert),
        serverTlsCert: utf8(c.serverTlsCert),
      })),
      options: { ...DEFAULT_RAFT_OPTIONS },
    });
  }
  const groups: Record<string, common.ConfigGroup> = {};
  for (const org of p.organizations) groups[org.name] = await orgGroup(org, 'orderer');
  return group({
    groups,
    values: {
      ConsensusType: value(orderer.ConsensusType.encode({ type: p.ordererType, metadata, state: 0 })),
      BatchSize: value(orderer.BatchSize.encode(p.batchSize)),
      BatchTimeout: value(orderer.BatchTimeout.encode({ timeout: goDuration(p.batchTimeout) })),
      ChannelRestrictions: value(orderer.ChannelRestrictions.encode({ maxCount: 0 })),
      Capabilities: capabilities(p.capabilities ?? ['V2_0']),
    },
    policies: policies(p.policies ?? defaultOrdererPolicies()),
  });
}

async function applicationGroup(p: NonNullable<ChannelProfile['application']>): Promise<common.ConfigGroup> {
  const groups: Record<string, common.ConfigGroup> = {};
  for (const org of p.organizations) groups[org.name] = await orgGroup(org, 'peer');
  const values: Record<string, common.ConfigValue> = {
    Capabilities: capabilities(p.capabilities ?? ['V2_0']),
  };
  if (p.acls) {
    const acls: Record<string, protos.APIResource> = {};
    for (const [res, ref] of Object.entries(p.acls)) acls[res] = { policyRef: ref };
    values.ACLs = value(protos.ACLs.encode({ acls }));
  }
  return group({ groups, values, policies: policies(p.policies ?? defaultApplicationPolicies()) });
}

/** The channel's Config (sequence 0), as configtxgen's NewChannelGroup builds it. */
export async function buildConfig(profile: ChannelProfile): Promise<common.Config> {
  const groups: Record<string, common.ConfigGroup> = {};
  if (profile.orderer) groups.Orderer = await ordererGroup(profile.orderer);
  if (profile.application) groups.Application = await applicationGroup(profile.application);
  const values: Record<string, common.ConfigValue> = {
    HashingAlgorithm: value(common.HashingAlgorithm.encode({ name: 'SHA256' })),
    BlockDataHashingStructure: value(common.BlockDataHashingStructure.encode({ width: 0xffffffff })),
    Capabilities: capabilities(profile.capabilities ?? ['V2_0']),
  };
  const addresses = profile.orderer?.addresses ?? [];
  if (addresses.length > 0) values.OrdererAddresses = value(common.OrdererAddresses.encode({ addresses }));
  if (profile.consortium) values.Consortium = value(common.Consortium.encode({ name: profile.consortium }));
  const channelGroup = group({
    groups,
    values,
    policies: policies(profile.policies ?? defaultMetaPolicies()),
  });
  return common.Config.create({ sequence: 0, channelGroup });
}

/** A block 0 holding `config`, as configtxgen -outputBlock writes it (unsigned CONFIG envelope). */
export function genesisBlockFromConfig(
  channelId: string,
  config: common.Config,
  now = new Date(),
): common.Block {
  const nonce = newNonce();
  const payload = common.Payload.encode({
    header: {
      channelHeader: common.ChannelHeader.encode(
        makeChannelHeader(common.HeaderType.CONFIG, channelId, {
          version: 1,
          txId: computeTxId(nonce, new Uint8Array()),
          timestamp: now,
        }),
      ),
      signatureHeader: common.SignatureHeader.encode(makeSignatureHeader(new Uint8Array(), nonce)),
    },
    data: common.ConfigEnvelope.encode({ config }),
  });
  const env = common.Envelope.encode({ payload, signature: new Uint8Array() });
  const data = [env];
  const lastConfig = common.OrdererBlockMetadata.encode({ lastConfig: { index: 0 } });
  return common.Block.create({
    header: { number: 0, previousHash: new Uint8Array(), dataHash: blockDataHash(data) },
    data: { data },
    metadata: {
      metadata: [
        common.Metadata.encode({ value: lastConfig }),
        new Uint8Array(),
        new Uint8Array(),
        new Uint8Array(),
        new Uint8Array(),
      ],
    },
  });
}

/** configtxgen -profile X -channelID id -outputBlock: the genesis block of a channel. */
export async function createGenesisBlock(channelId: string, profile: ChannelProfile): Promise<common.Block> {
  if (!profile.orderer) {
    throw ConfigtxError.of(CONFIGTX_ERRORS.PROFILE_INVALID, {
      reason: 'a genesis block needs an Orderer section',
    });
  }
  return genesisBlockFromConfig(channelId, await buildConfig(profile));
}

/** The Config inside a config block (block 0 or any CONFIG block). */
export function configFromBlock(block: common.Block): { config: common.Config; channelId: string } {
  const envBytes = block.data?.data[0];
  if (!envBytes || (block.data?.data.length ?? 0) !== 1) {
    throw ConfigtxError.of(CONFIGTX_ERRORS.BLOCK_INVALID, {
      reason: 'a config block holds exactly one envelope',
    });
  }
  try {
    const env = common.Envelope.decode(envBytes);
    const payload = common.Payload.decode(env.payload);
    const ch = common.ChannelHeader.decode(payload.header?.channelHeader ?? new Uint8Array());
    if (ch.type !== common.HeaderType.CONFIG) throw new Error(`header type ${ch.type} is not CONFIG`);
    const ce = common.ConfigEnvelope.decode(payload.data);
    if (!ce.config?.channelGroup) throw new Error('config envelope has no channel group');
    return { config: ce.config, channelId: ch.channelId };
  } catch (err) {
    if (err instanceof ConfigtxError) throw err;
    throw ConfigtxError.of(CONFIGTX_ERRORS.BLOCK_INVALID, { reason: (err as Error).message }, { cause: err });
  }
}
