// ACLProvider: Fabric's aclmgmt (resource provider over the default provider). A channel resource is
// checked against the policy the channel's ACLs value names for it, else Fabric's default; a peer
// resource (join, install, ...) against the local MSP's admins or members, with no channel involved.
import { type MSP, type SignedData } from '@fabric-peer/msp';
import { common, protos } from '@fabric-peer/protos';
import { type ChannelConfig } from '../channel/index.js';
import { ACL_ERRORS, AccessDeniedError, accessDenied } from './errors.js';
import { CHANNEL_RESOURCE_POLICIES, PEER_RESOURCE_POLICIES, absolutePolicyRef } from './resources.js';
import { errorMessage as msg } from '../errors/index.js';

export interface ChannelConfigSource {
  getChannel(id: string): { config(): ChannelConfig } | undefined;
}

export interface ACLProviderOptions {
  channels: ChannelConfigSource;
  /** The peer's own MSP: peer resources are checked against its admins / members. */
  localMSP?: MSP;
}

/** The signed data of a signed proposal: the creator signed the proposal bytes. */
export function signedProposalAsSignedData(sp: protos.SignedProposal): SignedData[] {
  const header = common.Header.decode(protos.Proposal.decode(sp.proposalBytes).header);
  const sh = common.SignatureHeader.decode(header.signatureHeader);
  return [{ data: sp.proposalBytes, identity: sh.creator, signature: sp.signature }];
}

/** Envelope.AsSignedData: the creator signed the payload bytes. */
export function envelopeAsSignedData(env: common.Envelope): SignedData[] {
  const payload = common.Payload.decode(env.payload);
  const sh = common.SignatureHeader.decode(payload.header?.signatureHeader ?? new Uint8Array());
  return [{ data: env.payload, identity: sh.creator, signature: env.signature }];
}

export class ACLProvider {
  constructor(private readonly opts: ACLProviderOptions) {}

  /** The policy a resource is checked against on a channel ("Admins"/"Members" for peer resources). */
  policyFor(resource: string, channelId: string): string | undefined {
    const local = PEER_RESOURCE_POLICIES[resource];
    if (local) return local;
    const override = this.opts.channels.getChannel(channelId)?.config().acls[resource];
    if (override !== undefined && override !== '') return absolutePolicyRef(override);
    return CHANNEL_RESOURCE_POLICIES[resource] || undefined;
  }

  /** Throws AccessDeniedError (403) unless `signed` satisfies the resource's policy. */
  checkACL(resource: string, channelId: string, signed: readonly SignedData[]): void {
    const local = PEER_RESOURCE_POLICIES[resource];
    if (local) return this.checkLocal(resource, local, signed);
    const channel = this.opts.channels.getChannel(channelId);
    if (!channel) throw accessDenied(resource, `channel [${channelId}] not found`, { channel: channelId });
    const policyName = this.policyFor(resource, channelId);
    if (!policyName) {
      throw new AccessDeniedError(ACL_ERRORS.UNMAPPED_RESOURCE, { resource }, { channel: channelId });
    }
    const config = channel.config();
    const policy = config.policies.getPolicy(policyName);
    if (!policy) throw accessDenied(resource, `policy ${policyName} not found`, { channel: channelId });
    const r = policy.evaluateSignedData(signed);
    if (!r.satisfied) {
      throw accessDenied(
        resource,
        `failed evaluating policy on signed data during check policy on channel [${channelId}] with policy [${policyName}]: [${r.error.message}]`,
        { channel: channelId },
      );
    }
  }

  checkACLProposal(resource: string, channelId: string, sp: protos.SignedProposal): void {
    let signed: SignedData[];
    try {
      signed = signedProposalAsSignedData(sp);
    } catch (err) {
      throw accessDenied(resource, `bad signed proposal: ${msg(err)}`, { channel: channelId });
    }
    this.checkACL(resource, channelId, signed);
  }

  checkACLEnvelope(resource: string, channelId: string, env: common.Envelope): void {
    let signed: SignedData[];
    try {
      signed = envelopeAsSignedData(env);
    } catch (err) {
      throw accessDenied(resource, `bad envelope: ${msg(err)}`, { channel: channelId });
    }
    this.checkACL(resource, channelId, signed);
  }

  /** Fabric's CheckPolicyNoChannel: one signer, of the local MSP, in the admin (or member) role. */
  private checkLocal(resource: string, policy: 'Admins' | 'Members', signed: readonly SignedData[]): void {
    const localMSP = this.opts.localMSP;
    if (!localMSP) throw accessDenied(resource, 'no local MSP to check the policy against');
    const sd = signed[0];
    if (signed.length !== 1 || !sd)
      throw accessDenied(resource, `expected exactly one signature, got ${signed.length}`);
    let identity;
    try {
      identity = localMSP.deserializeIdentity(sd.identity);
    } catch (err) {
      throw accessDenied(
        resource,
        `failed deserializing proposal creator during channelless check policy with policy [${policy}]: [${msg(err)}]`,
      );
    }
    const principal = common.MSPPrincipal.create({
      principalClassification: common.MSPPrincipal_Classification.ROLE,
      principal: common.MSPRole.encode({
        mspIdentifier: localMSP.id,
        role: policy === 'Admins' ? common.MSPRole_MSPRoleType.ADMIN : common.MSPRole_MSPRoleType.MEMBER,
      }),
    });
    try {
      identity.satisfiesPrincipal(principal);
    } catch (err) {
      throw accessDenied(
        resource,
        `failed verifying that proposal's creator satisfies local MSP principal during channelless check policy with policy [${policy}]: [${msg(err)}]`,
      );
    }
    try {
      identity.verify(sd.data, sd.signature);
    } catch (err) {
      throw accessDenied(
        resource,
        `failed verifying signature during channelless check policy with policy [${policy}]: [${msg(err)}]`,
      );
    }
  }
}
