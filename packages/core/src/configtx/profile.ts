// The inputs of a channel, shaped like a configtxgen profile (configtx.yaml) but as an object: orgs
// carry their MSP as a folder or as in-memory material, policies are written in the policy language.
import type { msp } from '@fabric-peer/protos';

/** configtx.yaml's `Type: Signature|ImplicitMeta` + `Rule`. */
export interface PolicySpec {
  type: 'Signature' | 'ImplicitMeta';
  rule: string;
}
export type PolicySet = Record<string, PolicySpec>;

export interface AnchorPeer {
  host: string;
  port: number;
}

export interface OrgProfile {
  /** The group name (configtx.yaml `Name`). */
  name: string;
  /** configtx.yaml `ID`. */
  mspId: string;
  /** `MSPDir` (read as configtxgen does) or the verifying FabricMSPConfig itself. */
  msp: { dir: string } | { config: msp.FabricMSPConfig };
  /** Default: test-network's rules for the org's kind (see defaultOrgPolicies). */
  policies?: PolicySet;
  anchorPeers?: AnchorPeer[];
  /** Per-org orderer endpoints (`OrdererEndpoints`), written as the org's `Endpoints` value. */
  ordererEndpoints?: string[];
}

export interface RaftConsenter {
  host: string;
  port: number;
  /** PEM of the consenter's TLS certificates. */
  clientTlsCert: string | Uint8Array;
  serverTlsCert: string | Uint8Array;
}

export interface BatchSizeProfile {
  maxMessageCount: number;
  /** Bytes. */
  absoluteMaxBytes: number;
  /** Bytes. */
  preferredMaxBytes: number;
}

export interface OrdererProfile {
  /**
   * `etcdraft` (what Fabric 2.5's channel participation API takes; one consenter = this node) or
   * `solo` (understood by this orderer only; Fabric 2.5 refuses it without a system channel).
   */
  ordererType: 'etcdraft' | 'solo';
  consenters?: RaftConsenter[];
  /** Go duration as written in configtx.yaml ("2s", "5ms") or milliseconds. */
  batchTimeout: string | number;
  batchSize: BatchSizeProfile;
  organizations: OrgProfile[];
  policies?: PolicySet;
  capabilities?: string[];
  /** Deprecated global OrdererAddresses (Channel group); empty = not written, as configtxgen. */
  addresses?: string[];
}

export interface ApplicationProfile {
  organizations: OrgProfile[];
  policies?: PolicySet;
  capabilities?: string[];
  /** resource -> policy reference ("/Channel/Application/Writers"); omitted = no ACLs value. */
  acls?: Record<string, string>;
}

export interface ChannelProfile {
  policies?: PolicySet;
  capabilities?: string[];
  /** Required for genesis blocks; a `channel create` profile may leave it out (configtxgen's). */
  orderer?: OrdererProfile;
  application?: ApplicationProfile;
  /** Consortium value (only for `channel create` against a system channel). */
  consortium?: string;
}

const sig = (rule: string): PolicySpec => ({ type: 'Signature', rule });
const meta = (rule: string): PolicySpec => ({ type: 'ImplicitMeta', rule });

/** Readers/Writers/Admins ImplicitMeta: test-network's Channel, Application and Orderer defaults. */
export function defaultMetaPolicies(): PolicySet {
  return { Readers: meta('ANY Readers'), Writers: meta('ANY Writers'), Admins: meta('MAJORITY Admins') };
}

export function defaultApplicationPolicies(): PolicySet {
  return {
    ...defaultMetaPolicies(),
    LifecycleEndorsement: meta('MAJORITY Endorsement'),
    Endorsement: meta('MAJORITY Endorsement'),
  };
}

export function defaultOrdererPolicies(): PolicySet {
  return { ...defaultMetaPolicies(), BlockValidation: meta('ANY Writers') };
}

/** test-network's org policies: peer orgs get Endorsement too; orderer orgs are member/admin. */
export function defaultOrgPolicies(mspId: string, kind: 'peer' | 'orderer'): PolicySet {
  if (kind === 'orderer') {
    return {
      Readers: sig(`OR('${mspId}.member')`),
      Writers: sig(`OR('${mspId}.member')`),
      Admins: sig(`OR('${mspId}.admin')`),
    };
  }
  return {
    Readers: sig(`OR('${mspId}.admin', '${mspId}.peer', '${mspId}.client')`),
    Writers: sig(`OR('${mspId}.admin', '${mspId}.client')`),
    Admins: sig(`OR('${mspId}.admin')`),
    Endorsement: sig(`OR('${mspId}.peer')`),
  };
}

/** Raft options configtxgen writes by default (sampleconfig's EtcdRaft.Options). */
export const DEFAULT_RAFT_OPTIONS = {
  tickInterval: '500ms',
  electionTick: 10,
  heartbeatTick: 1,
  maxInflightBlocks: 5,
  snapshotIntervalSize: 16 * 1024 * 1024,
} as const;
