// discovery.Discovery/Discover (Fabric discovery/service.go): the request's signature and, with
// mutual TLS, its TLS certificate hash are checked; then each query is answered on its own - config
// (MSPs, orderer endpoints), peer membership, chaincode endorsement descriptors, local peers - and a
// query the requester may not make, or that cannot be answered, gets a discovery.Error in its slot.
import { timingSafeEqual } from 'node:crypto';
import type { sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import { type SignedData } from '@fabric-peer/msp';
import { common, discovery, type msp as mspProto } from '@fabric-peer/protos';
import type { ChannelConfig } from '../channel/index.js';
import { ordererEndpoints } from '../deliverclient/index.js';
import type { ChaincodeDefinition } from '../lifecycle/index.js';
import { type Logger, NOOP_LOGGER } from '../logging/index.js';
import { certHash } from '../server/index.js';
import { chaincodeDescriptor } from './descriptor.js';
import { DISCOVERY_ERRORS, DiscoveryError } from './errors.js';
import { aliveEnvelope, type MembershipChannel, stateInfoEnvelope, type ChannelPeer } from './membership.js';
import type { PeerDirectory } from './peers.js';
import { errorMessage as msg } from '../errors/index.js';

export interface DiscoveryChannel extends MembershipChannel {
  config(): ChannelConfig;
  readonly definitions: { get(name: string): Promise<ChaincodeDefinition | undefined> };
}

export interface DiscoveryServiceOptions {
  channels: { getChannel(id: string): DiscoveryChannel | undefined };
  directory: PeerDirectory;
  /** The local MSP: local peer queries are for its admins only. */
  localMSP: {
    deserializeIdentity(b: Uint8Array): {
      validate(): void;
      verify(m: Uint8Array, s: Uint8Array): void;
      satisfiesPrincipal(p: common.MSPPrincipal): void;
    };
    readonly id: string;
  };
  /** The server requires client certificates: the request must carry the hash of the caller's. */
  mutualTls?: boolean;
  logger?: Logger;
}

const ACCESS_DENIED = 'access denied';
const errorResult = (content: string): discovery.QueryResult => ({ error: { content } });

export class DiscoveryService {
  private readonly logger: Logger;

  constructor(private readonly o: DiscoveryServiceOptions) {
    this.logger = o.logger ?? NOOP_LOGGER;
  }

  /** For `server.addService(discovery.DiscoveryService, ...)`. */
  implementation(): {
    discover: (
      call: ServerUnaryCall<discovery.SignedRequest, discovery.Response>,
      cb: sendUnaryData<discovery.Response>,
    ) => void;
  } {
    return {
      discover: (call, cb) => {
        const raw = call.getAuthContext().sslPeerCertificate?.raw;
        this.discover(call.request, raw).then(
          (r) => cb(null, r),
          (err: unknown) => {
            const code = err instanceof DiscoveryError && err.grpcCode !== undefined ? err.grpcCode : 2;
            cb({ code, details: msg(err) });
          },
        );
      },
    };
  }

  async discover(sr: discovery.SignedRequest, clientCert?: Uint8Array): Promise<discovery.Response> {
    let req: discovery.Request;
    try {
      req = discovery.Request.decode(sr.payload);
    } catch (err) {
      throw new DiscoveryError(DISCOVERY_ERRORS.REQUEST_MALFORMED, { reason: msg(err) });
    }
    const auth = req.authentication;
    if (auth === undefined) {
      throw new DiscoveryError(DISCOVERY_ERRORS.REQUEST_MALFORMED, {
        reason: 'access denied, no authentication info in request',
      });
    }
    const tlsOk = this.tlsBindingOk(auth, clientCert);
    const signed: SignedData[] = [
      { data: sr.payload, identity: auth.clientIdentity, signature: sr.signature },
    ];
    const results: discovery.QueryResult[] = [];
    for (const q of req.queries) {
      try {
        results.push(tlsOk ? await this.answer(q, signed) : errorResult(ACCESS_DENIED));
      } catch (err) {
        this.logger.warn('Discovery query failed', { channel: q.channel, error: msg(err) });
        results.push(errorResult(msg(err)));
      }
    }
    return { results };
  }

  private tlsBindingOk(auth: discovery.AuthInfo, clientCert?: Uint8Array): boolean {
    if (this.o.mutualTls !== true) return true;
    if (clientCert === undefined) return false;
    const want = certHash(clientCert);
    const got = auth.clientTlsCertHash;
    return got.length === want.length && timingSafeEqual(got, want);
  }

  private async answer(q: discovery.Query, signed: SignedData[]): Promise<discovery.QueryResult> {
    if (q.localPeers !== undefined) {
      if (!this.isLocalAdmin(signed[0]!)) return errorResult(ACCESS_DENIED);
      return { members: await this.localPeers() };
    }
    const ch = this.o.channels.getChannel(q.channel);
    if (ch === undefined) return errorResult(ACCESS_DENIED);
    const config = ch.config();
    const readers = config.policies.evaluateSignedData('/Channel/Application/Readers', signed);
    if (!readers.satisfied) {
      this.logger.warn('Discovery request denied', { channel: q.channel, reason: readers.error.message });
      return errorResult(ACCESS_DENIED);
    }
    if (q.configQuery !== undefined) return { configResult: configResult(config) };
    const peers = (await this.o.directory.channelPeers(q.channel)) ?? [];
    if (q.peerQuery !== undefined) {
      const wanted = q.peerQuery.filter?.chaincodes.map((c) => c.name) ?? [];
      const running = peers.filter((p) => wanted.every((n) => p.chaincodes.some((c) => c.name === n)));
      return { members: membership(running, true) };
    }
    if (q.ccQuery !== undefined) {
      const content: discovery.EndorsementDescriptor[] = [];
      for (const interest of q.ccQuery.interests) {
        content.push(await chaincodeDescriptor(ch, interest, peers));
      }
      return { ccQueryRes: { content } };
    }
    return errorResult('unknown or missing request type');
  }

  private isLocalAdmin(sd: SignedData): boolean {
    try {
      const id = this.o.localMSP.deserializeIdentity(sd.identity);
      id.validate();
      id.verify(sd.data, sd.signature);
      id.satisfiesPrincipal({
        principalClassification: common.MSPPrincipal_Classification.ROLE,
        principal: common.MSPRole.encode({
          mspIdentifier: this.o.localMSP.id,
          role: common.MSPRole_MSPRoleType.ADMIN,
        }),
      });
      return true;
    } catch {
      return false;
    }
  }

  private async localPeers(): Promise<discovery.PeerMembershipResult> {
    const l = this.o.directory.local;
    return membership([{ ...l, ledgerHeight: 0, chaincodes: [] }], false);
  }
}

function membership(peers: readonly ChannelPeer[], withState: boolean): discovery.PeerMembershipResult {
  const byOrg: Record<string, discovery.Peers> = {};
  for (const p of peers) {
    (byOrg[p.mspId] ??= { peers: [] }).peers.push({
      membershipInfo: aliveEnvelope(p),
      stateInfo: withState ? stateInfoEnvelope(p) : undefined,
      identity: p.identity,
    });
  }
  return { peersByOrg: byOrg };
}

/** MSPs of the channel as FabricMSPConfig and the orderer endpoints per orderer org. */
export function configResult(config: ChannelConfig): discovery.ConfigResult {
  const msps: Record<string, mspProto.FabricMSPConfig> = {};
  for (const org of [...config.applicationOrgs, ...config.ordererOrgs]) {
    msps[org.mspId] = org.msp.toFabricMSPConfig();
  }
  const orderers: Record<string, discovery.Endpoints> = {};
  const perOrg = config.ordererOrgs.some((o) => o.ordererEndpoints.length > 0);
  for (const org of config.ordererOrgs) {
    const addrs = perOrg ? org.ordererEndpoints : ordererEndpoints(config).map((e) => e.address);
    if (addrs.length === 0) continue;
    orderers[org.mspId] = { endpoint: addrs.map(hostPort) };
  }
  return { msps, orderers };
}

function hostPort(address: string): discovery.Endpoint {
  const i = address.lastIndexOf(':');
  const host = address.slice(0, i).replace(/^\[|\]$/g, '');
  return { host, port: Number(address.slice(i + 1)) || 0 };
}
