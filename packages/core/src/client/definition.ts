// The chaincode definition flags of `peer lifecycle chaincode approveformyorg|checkcommitreadiness|
// commit` as _lifecycle's arguments: policies (--signature-policy / --channel-config-policy, default
// the channel's /Channel/Application/Endorsement) and --collections-config (Fabric's JSON file).
import { signaturePolicyFromString } from '@fabric-peer/msp';
import { protos } from '@fabric-peer/protos';
import { CLIENT_ERRORS, ClientError } from './errors.js';

export interface DefinitionFlags {
  name: string;
  version: string;
  sequence: number;
  endorsementPlugin?: string;
  validationPlugin?: string;
  signaturePolicy?: string;
  channelConfigPolicy?: string;
  initRequired?: boolean;
  /** Contents of the --collections-config file. */
  collectionsConfig?: string;
}

export interface DefinitionArgs {
  name: string;
  version: string;
  sequence: number;
  endorsementPlugin: string;
  validationPlugin: string;
  validationParameter: Uint8Array;
  collections: protos.CollectionConfigPackage | undefined;
  initRequired: boolean;
}

function policy(sig: string | undefined, ref: string | undefined): protos.ApplicationPolicy {
  const bad = (reason: string): never => {
    throw new ClientError(CLIENT_ERRORS.BAD_INPUT, { reason });
  };
  if (sig && ref) bad('cannot specify both "--signature-policy" and "--channel-config-policy"');
  if (sig) {
    try {
      return protos.ApplicationPolicy.create({ signaturePolicy: signaturePolicyFromString(sig) });
    } catch (err) {
      return bad(`invalid signature policy: ${sig}: ${(err as Error).message}`);
    }
  }
  return protos.ApplicationPolicy.create({
    channelConfigPolicyReference: ref || '/Channel/Application/Endorsement',
  });
}

interface CollectionJson {
  name?: string;
  policy?: string;
  requiredPeerCount?: number;
  maxPeerCount?: number;
  blockToLive?: number;
  memberOnlyRead?: boolean;
  memberOnlyWrite?: boolean;
  endorsementPolicy?: { signaturePolicy?: string; channelConfigPolicy?: string };
}

/** Fabric's collections config JSON (an array of static collections) as a CollectionConfigPackage. */
export function parseCollectionsConfig(json: string): protos.CollectionConfigPackage {
  let list: CollectionJson[];
  try {
    list = JSON.parse(json) as CollectionJson[];
  } catch (err) {
    throw new ClientError(CLIENT_ERRORS.BAD_INPUT, {
      reason: `could not parse the collections config: ${(err as Error).message}`,
    });
  }
  if (!Array.isArray(list))
    throw new ClientError(CLIENT_ERRORS.BAD_INPUT, { reason: 'the collections config must be a JSON array' });
  return protos.CollectionConfigPackage.create({
    config: list.map((c) => {
      if (!c.name || !c.policy)
        throw new ClientError(CLIENT_ERRORS.BAD_INPUT, {
          reason: 'every collection needs a "name" and a "policy"',
        });
      let memberPolicy;
      try {
        memberPolicy = signaturePolicyFromString(c.policy);
      } catch (err) {
        throw new ClientError(CLIENT_ERRORS.BAD_INPUT, {
          reason: `invalid policy ${c.policy}: ${(err as Error).message}`,
        });
      }
      const ep = c.endorsementPolicy;
      return protos.CollectionConfig.create({
        staticCollectionConfig: {
          name: c.name,
          memberOrgsPolicy: { signaturePolicy: memberPolicy },
          requiredPeerCount: c.requiredPeerCount ?? 0,
          maximumPeerCount: c.maxPeerCount ?? 0,
          blockToLive: c.blockToLive ?? 0,
          memberOnlyRead: c.memberOnlyRead ?? false,
          memberOnlyWrite: c.memberOnlyWrite ?? false,
          endorsementPolicy:
            ep && (ep.signaturePolicy || ep.channelConfigPolicy)
              ? policy(ep.signaturePolicy, ep.channelConfigPolicy)
              : undefined,
        },
      });
    }),
  });
}

export function definitionArgs(f: DefinitionFlags): DefinitionArgs {
  if (f.name === '')
    throw new ClientError(CLIENT_ERRORS.BAD_INPUT, {
      reason: "The required parameter 'name' is empty. Rerun the command with -n flag",
    });
  if (f.version === '')
    throw new ClientError(CLIENT_ERRORS.BAD_INPUT, {
      reason: "The required parameter 'version' is empty. Rerun the command with -v flag",
    });
  if (!Number.isSafeInteger(f.sequence) || f.sequence === 0) {
    throw new ClientError(CLIENT_ERRORS.BAD_INPUT, {
      reason: "The required parameter 'sequence' is empty. Rerun the command with --sequence flag",
    });
  }
  return {
    name: f.name,
    version: f.version,
    sequence: f.sequence,
    endorsementPlugin: f.endorsementPlugin || 'escc',
    validationPlugin: f.validationPlugin || 'vscc',
    validationParameter: protos.ApplicationPolicy.encode(policy(f.signaturePolicy, f.channelConfigPolicy)),
    collections: f.collectionsConfig === undefined ? undefined : parseCollectionsConfig(f.collectionsConfig),
    initRequired: f.initRequired === true,
  };
}
