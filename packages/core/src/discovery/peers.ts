// PeerDirectory: who can endorse on a channel. The local peer always (it is joined to the channel);
// other peers when the composer tells of them (`remotePeers`), which is how a multi-org network is
// served before gossip exists. The gateway plans endorsements from it and discovery reports it.
import type { common } from '@fabric-peer/protos';
import type { Layout, PolicyLayouts } from './layouts.js';
import {
  type ChaincodeInfo,
  type ChannelPeer,
  type MembershipChannel,
  definedChaincodes,
} from './membership.js';
import { LIFECYCLE_CHAINCODE_INFO } from './syscc.js';

/** Another peer this one may ask for endorsements (and report in discovery). */
export interface RemotePeer {
  endpoint: string;
  mspId: string;
  /** SerializedIdentity of its signing certificate. */
  identity: Uint8Array;
  /** TLS roots to dial it with; omitted = plaintext. */
  tlsRootCerts?: string[];
  /** Channels it is on; omitted = every channel. */
  channels?: string[];
  /** Chaincodes it runs; omitted = the same as the local peer. `_lifecycle` is implied (every peer runs it). */
  chaincodes?: { name: string; version: string }[];
}

export interface PeerDirectoryOptions {
  local: { endpoint: string; mspId: string; identity: Uint8Array };
  channels: { getChannel(id: string): MembershipChannel | undefined };
  remotePeers?: () => readonly RemotePeer[];
}

/** What satisfies a principal: an identity deserialized by the channel's MSPs. */
export interface PrincipalChecker {
  deserializeIdentity(serialized: Uint8Array): {
    satisfiesPrincipal(principal: common.MSPPrincipal): void;
  };
}

export class PeerDirectory {
  private readonly ccCache = new Map<string, { height: number; list: Promise<ChannelPeer['chaincodes']> }>();

  constructor(private readonly o: PeerDirectoryOptions) {}

  get local(): PeerDirectoryOptions['local'] {
    return this.o.local;
  }

  remote(channelId?: string): RemotePeer[] {
    const all = this.o.remotePeers?.() ?? [];
    return channelId === undefined
      ? [...all]
      : all.filter((p) => p.channels === undefined || p.channels.includes(channelId));
  }

  /** The channel's peers, the local one first; undefined when this peer is not on the channel. */
  async channelPeers(channelId: string): Promise<ChannelPeer[] | undefined> {
    const ch = this.o.channels.getChannel(channelId);
    if (ch === undefined) return undefined;
    const chaincodes = await this.chaincodesOf(ch);
    const local: ChannelPeer = { ...this.o.local, ledgerHeight: ch.height, chaincodes };
    return [
      local,
      ...this.remote(channelId).map((r) => ({
        endpoint: r.endpoint,
        mspId: r.mspId,
        identity: r.identity,
        ledgerHeight: ch.height,
        chaincodes: r.chaincodes === undefined ? chaincodes : withLifecycle(r.chaincodes),
      })),
    ];
  }

  private chaincodesOf(ch: MembershipChannel): Promise<ChannelPeer['chaincodes']> {
    // Definitions change only with blocks, so the list is re-read only when the height moved.
    const hit = this.ccCache.get(ch.id);
    if (hit !== undefined && hit.height === ch.height) return hit.list;
    const list = definedChaincodes(ch);
    this.ccCache.set(ch.id, { height: ch.height, list });
    list.catch(() => this.ccCache.delete(ch.id));
    return list;
  }
}

const withLifecycle = (list: readonly ChaincodeInfo[]): ChaincodeInfo[] =>
  list.some((c) => c.name === LIFECYCLE_CHAINCODE_INFO.name)
    ? [...list]
    : [...list, { ...LIFECYCLE_CHAINCODE_INFO }];

/** For each principal of the layouts, the peers (running `chaincode`) whose identity satisfies it. */
export function peersByPrincipal(
  layouts: PolicyLayouts,
  peers: readonly ChannelPeer[],
  msps: PrincipalChecker,
  chaincode?: string,
): ChannelPeer[][] {
  const running = peers.filter(
    (p) => chaincode === undefined || p.chaincodes.some((c) => c.name === chaincode),
  );
  return layouts.principals.map((principal) =>
    running.filter((p) => {
      try {
        msps.deserializeIdentity(p.identity).satisfiesPrincipal(principal);
        return true;
      } catch {
        return false;
      }
    }),
  );
}

/** Layouts the known peers can satisfy (enough distinct peers per principal). */
export function satisfiableLayouts(layouts: readonly Layout[], groups: readonly ChannelPeer[][]): Layout[] {
  return layouts.filter((l) => [...l].every(([g, n]) => (groups[g]?.length ?? 0) >= n));
}
