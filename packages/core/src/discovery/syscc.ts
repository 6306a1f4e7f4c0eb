// System chaincodes as Fabric's gateway and discovery see them. Every peer runs them (the gateway's
// registry.hasChaincode answers true for any of them), and `_lifecycle` is a chaincode discovery can plan
// for: Fabric's lifecycle cache reports it at sequence 1 with the channel's LifecycleEndorsement policy
// (`/Channel/Application/LifecycleEndorsement` when the channel has one, else a majority of the
// application orgs' members), and every peer advertises it in its chaincode list.
import { common } from '@fabric-peer/protos';
import type { ChannelConfig } from '../channel/index.js';
import type { ChaincodeDefinition } from '../lifecycle/index.js';
import { LIFECYCLE_NAMESPACE, lifecycleV20 } from '../lifecycle/index.js';

/** What peers advertise for `_lifecycle` (Fabric reports a definition's sequence as its version). */
export const LIFECYCLE_CHAINCODE_INFO = { name: LIFECYCLE_NAMESPACE, version: '1' } as const;

const LIFECYCLE_ENDORSEMENT = '/Channel/Application/LifecycleEndorsement';

/** Fabric's LifecycleEndorsementPolicyAsBytes: the ApplicationPolicy `_lifecycle` is endorsed under. */
export function lifecycleEndorsementPolicy(config: ChannelConfig): Uint8Array {
  if (config.config.channelGroup?.groups.Application?.policies.LifecycleEndorsement !== undefined) {
    return common.ApplicationPolicy.encode({ channelConfigPolicyReference: LIFECYCLE_ENDORSEMENT });
  }
  // A channel made before 2.0 (or without the policy): a majority of the application orgs' members.
  const mspIds = config.applicationOrgs.map((o) => o.mspId);
  const identities = mspIds.map((mspIdentifier) => ({
    principalClassification: common.MSPPrincipal_Classification.ROLE,
    principal: common.MSPRole.encode({ mspIdentifier, role: common.MSPRole_MSPRoleType.MEMBER }),
  }));
  return common.ApplicationPolicy.encode({
    signaturePolicy: {
      version: 0,
      rule: {
        nOutOf: {
          n: Math.floor(mspIds.length / 2) + 1,
          rules: mspIds.map((_, signedBy) => ({ signedBy })),
        },
      },
      identities,
    },
  });
}

/** The definition discovery and the gateway plan `_lifecycle` with; undefined without V2_0. */
export function lifecycleDefinition(config: ChannelConfig): ChaincodeDefinition | undefined {
  if (!lifecycleV20(config.capabilities)) return undefined;
  return {
    name: LIFECYCLE_NAMESPACE,
    sequence: 1,
    version: LIFECYCLE_CHAINCODE_INFO.version,
    initRequired: false,
    endorsementPlugin: '',
    validationPlugin: '',
    validationParameter: lifecycleEndorsementPolicy(config),
    collections: { config: [] },
  };
}
