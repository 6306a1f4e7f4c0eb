// ChannelConfig: Fabric's channelconfig.Bundle, the parsed form of one config sequence. Built once per
// config block and never mutated, so readers (endorser, deliver, ACL, committer) can hold it without locks.
import { type MSP, MSPManager, PolicyManager } from '@fabric-peer/msp';
import { common, orderer, protos, msp as mspProto } from '@fabric-peer/protos';
import { CHANNEL_ERRORS, channelError, errorMessage } from './errors.js';

export interface AnchorPeer {
  host: string;
  port: number;
}

export interface OrgConfig {
  /** The org group's name in the config (often equal to the MSP id, not always). */
  name: string;
  mspId: string;
  msp: MSP;
  /** Application orgs: AnchorPeers value. */
  anchorPeers: AnchorPeer[];
  /** Orderer orgs: Endpoints value (per-org orderer addresses, Fabric 2.x). */
  ordererEndpoints: string[];
  /** The org's TLS roots and intermediates (PEM), for dialling its orderers or peers. */
  tlsRootCertsPem: string[];
}

export interface BatchSize {
  maxMessageCount: number;
  absoluteMaxBytes: number;
  preferredMaxBytes: number;
}

export interface ChannelConfig {
  readonly channelId: string;
  readonly sequence: number;
  /** Number of the block that carried this config. */
  readonly configBlockNumber: number;
  readonly config: common.Config;
  readonly mspManager: MSPManager;
  readonly policies: PolicyManager;
  readonly capabilities: { channel: string[]; orderer: string[]; application: string[] };
  readonly applicationOrgs: OrgConfig[];
  readonly ordererOrgs: OrgConfig[];
  /** The global /Channel/OrdererAddresses value (deprecated in 2.x in favour of org Endpoints). */
  readonly ordererAddresses: string[];
  readonly batchSize?: BatchSize;
  readonly batchTimeoutMs?: number;
  /** etcdraft, solo, BFT ... */
  readonly consensusType?: string;
  readonly consensusMetadata?: Uint8Array;
  /** Application ACLs overrides: resource -> policy reference. */
  readonly acls: Record<string, string>;
  /** Every orderer endpoint, org endpoints first (as the deliver client tries them). */
  allOrdererEndpoints(): string[];
}

function decodeValue<T>(
  group: common.ConfigGroup | undefined,
  key: string,
  codec: { decode(b: Uint8Array): T },
): T | undefined {
  const v = group?.values[key];
  if (!v) return undefined;
  try {
    return codec.decode(v.value);
  } catch (err) {
    throw channelError(CHANNEL_ERRORS.CONFIG_INVALID, { reason: `value ${key}: ${errorMessage(err)}` });
  }
}

function capabilityNames(group: common.ConfigGroup | undefined): string[] {
  const caps = decodeValue(group, 'Capabilities', common.Capabilities);
  return caps ? Object.keys(caps.capabilities).sort() : [];
}

/** Go's time.ParseDuration for the forms configtxgen writes ("2s", "500ms", "1m30s"). */
export function parseGoDuration(s: string): number {
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  const unit: Record<string, number> = {
    ns: 1e-6,
    us: 1e-3,
    µs: 1e-3,
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
  };
  let total = 0;
  let pos = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    total += Number(m[1]) * unit[m[2]!]!;
    pos = re.lastIndex;
  }
  if (s.length === 0 || pos !== s.length) {
    throw channelError(CHANNEL_ERRORS.CONFIG_INVALID, { reason: `bad duration "${s}"` });
  }
  return total;
}

const pem = (der: Uint8Array): string => Buffer.from(der).toString('utf8');

function orgs(group: common.ConfigGroup | undefined, manager: MSPManager): OrgConfig[] {
  const out: OrgConfig[] = [];
  for (const name of Object.keys(group?.groups ?? {}).sort()) {
    const org = group!.groups[name]!;
    const mspValue = decodeValue(org, 'MSP', mspProto.MSPConfig);
    if (!mspValue)
      throw channelError(CHANNEL_ERRORS.CONFIG_INVALID, { reason: `org ${name} has no MSP value` });
    const fabric = mspProto.FabricMSPConfig.decode(mspValue.config);
    const msp = manager.getMSP(fabric.name);
    if (!msp) throw channelError(CHANNEL_ERRORS.CONFIG_INVALID, { reason: `MSP ${fabric.name} not loaded` });
    out.push({
      name,
      mspId: fabric.name,
      msp,
      anchorPeers: (decodeValue(org, 'AnchorPeers', protos.AnchorPeers)?.anchorPeers ?? []).map((a) => ({
        host: a.host,
        port: a.port,
      })),
      ordererEndpoints: decodeValue(org, 'Endpoints', common.OrdererAddresses)?.addresses ?? [],
      tlsRootCertsPem: [...fabric.tlsRootCerts, ...fabric.tlsIntermediateCerts].map(pem),
    });
  }
  return out;
}

/** Parses a channel config; throws CHANNEL_CONFIG_INVALID when any part cannot be used. */
export function channelConfigFromConfig(
  channelId: string,
  config: common.Config,
  configBlockNumber: number,
): ChannelConfig {
  const root = config.channelGroup;
  if (!root) throw channelError(CHANNEL_ERRORS.CONFIG_INVALID, { reason: 'config has no channel group' });
  const app = root.groups['Application'];
  const ord = root.groups['Orderer'];
  let mspManager: MSPManager;
  let policies: PolicyManager;
  try {
    mspManager = MSPManager.fromChannelGroup(root);
    policies = PolicyManager.fromChannelGroup(root, mspManager);
  } catch (err) {
    throw channelError(CHANNEL_ERRORS.CONFIG_INVALID, { reason: errorMessage(err) }, { cause: err });
  }
  const bs = decodeValue(ord, 'BatchSize', orderer.BatchSize);
  const bt = decodeValue(ord, 'BatchTimeout', orderer.BatchTimeout);
  const ct = decodeValue(ord, 'ConsensusType', orderer.ConsensusType);
  const aclValue = decodeValue(app, 'ACLs', protos.ACLs);
  const acls: Record<string, string> = {};
  for (const [resource, r] of Object.entries(aclValue?.acls ?? {})) acls[resource] = r.policyRef;
  const applicationOrgs = orgs(app, mspManager);
  const ordererOrgs = orgs(ord, mspManager);
  const ordererAddresses = decodeValue(root, 'OrdererAddresses', common.OrdererAddresses)?.addresses ?? [];
  return Object.freeze({
    channelId,
    sequence: config.sequence,
    configBlockNumber,
    config,
    mspManager,
    policies,
    capabilities: {
      channel: capabilityNames(root),
      orderer: capabilityNames(ord),
      application: capabilityNames(app),
    },
    applicationOrgs,
    ordererOrgs,
    ordererAddresses,
    ...(bs && {
      batchSize: {
        maxMessageCount: bs.maxMessageCount,
        absoluteMaxBytes: bs.absoluteMaxBytes,
        preferredMaxBytes: bs.preferredMaxBytes,
      },
    }),
    ...(bt && { batchTimeoutMs: parseGoDuration(bt.timeout) }),
    ...(ct && { consensusType: ct.type, consensusMetadata: ct.metadata }),
    acls,
    allOrdererEndpoints(): string[] {
      return [...new Set([...ordererOrgs.flatMap((o) => o.ordererEndpoints), ...ordererAddresses])];
    },
  });
}

/** The CONFIG transaction of a config block, decoded down to its ConfigEnvelope. */
export function configEnvelopeFromBlock(block: common.Block): {
  channelId: string;
  envelope: common.ConfigEnvelope;
} {
  const fail = (reason: string): never => {
    throw channelError(CHANNEL_ERRORS.CONFIG_BLOCK_MALFORMED, { reason });
  };
  const data = block.data?.data ?? [];
  if (data.length !== 1) fail(`a config block holds exactly one transaction, found ${data.length}`);
  try {
    const env = common.Envelope.decode(data[0]!);
    const payload = common.Payload.decode(env.payload);
    if (!payload.header) return fail('payload has no header');
    const ch = common.ChannelHeader.decode(payload.header.channelHeader);
    if (ch.type !== common.HeaderType.CONFIG) fail(`transaction type is ${ch.type}, not CONFIG (1)`);
    const envelope = common.ConfigEnvelope.decode(payload.data);
    if (!envelope.config?.channelGroup) fail('config envelope has no config');
    return { channelId: ch.channelId, envelope };
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === CHANNEL_ERRORS.CONFIG_BLOCK_MALFORMED.code)
      throw err;
    return fail(errorMessage(err));
  }
}

/** The bundle of a config block (genesis or later). */
export function channelConfigFromBlock(block: common.Block): ChannelConfig {
  const { channelId, envelope } = configEnvelopeFromBlock(block);
  return channelConfigFromConfig(channelId, envelope.config!, block.header?.number ?? 0);
}

/** Capabilities a Fabric 2.5 peer supports (channel and application levels, what cscc checks on join). */
export const SUPPORTED_CAPABILITIES = {
  channel: ['V1_1', 'V1_3', 'V1_4_2', 'V1_4_3', 'V2_0'],
  application: ['V1_1', 'V1_2', 'V1_3', 'V1_4_2', 'V2_0', 'V2_5'],
} as const;

/** Fabric's ValidateCapabilities: the capability this peer lacks, as Fabric's message says it. */
export function unsupportedCapability(config: ChannelConfig): string | undefined {
  for (const level of ['channel', 'application'] as const) {
    const supported: readonly string[] = SUPPORTED_CAPABILITIES[level];
    const missing = config.capabilities[level].find((c) => !supported.includes(c));
    if (missing !== undefined) {
      const name = level === 'channel' ? 'Channel' : 'Application';
      return `${name} capability ${missing} is required but not supported`;
    }
  }
  return undefined;
}
