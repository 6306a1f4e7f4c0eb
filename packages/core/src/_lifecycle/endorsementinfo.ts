// What the endorser needs of a user chaincode before running it (Fabric's ChaincodeEndorsementInfoSource):
// version, endorsement plugin, init-required, and the package this org runs. The current sequence is
// read THROUGH THE PROPOSAL'S SIMULATOR, as Fabric does: that read (`_lifecycle`
// namespaces/fields/<name>/Sequence) is in every endorsed rw-set of a Go peer, so ours must carry it too
// or endorsements from both kinds of peers would not match. Everything else is read beside the
// transaction (a query executor), leaving no trace in the rw-set.
import type { TxSimulator } from '@fabric-peer/ledger';
import { NAMESPACES_NAME } from '../lifecycle/index.js';
import { type ChaincodePackageStore } from '../persistence/index.js';
import { LIFECYCLE_ERRORS, lifecycleError } from './errors.js';
import { InstalledIndex, type LifecycleChannels, cachedOrgView, lifecycleV20 } from './resolver.js';
import { fieldAsInt64 } from './serializer.js';
import { publicState } from './states.js';
import { legacyChaincodeData } from '../lscc/index.js';

export interface ChaincodeEndorsementInfo {
  version: string;
  endorsementPlugin: string;
  /** The definition requires Init to be called first (enforced by chaincode/). */
  enforceInit: boolean;
  /** The package id (or name:version for lscc chaincode) the chaincode runs as. */
  chaincodeId: string;
}

export interface EndorsementInfoOptions {
  channels: LifecycleChannels;
  mspId: string;
  store: ChaincodePackageStore;
  /** chaincode.mode dev: a definition without an installed package runs as name:version. */
  userRunsCC?: boolean;
}

export class LifecycleEndorsementInfo {
  private readonly index: InstalledIndex;

  constructor(private readonly o: EndorsementInfoOptions) {
    this.index = new InstalledIndex(o.store);
  }

  /** The endorser's EndorsementInfoProvider. Throws (Fabric's messages) when it cannot be endorsed. */
  async chaincodeEndorsementInfo(
    channelId: string,
    name: string,
    simulator: TxSimulator | undefined,
  ): Promise<ChaincodeEndorsementInfo> {
    const ch = this.o.channels.getChannel(channelId);
    if (ch === undefined)
      throw lifecycleError(
        LIFECYCLE_ERRORS.CHANNEL_CONFIG,
        `could not get channel config for channel '${channelId}'`,
      );
    if (simulator === undefined)
      throw lifecycleError(
        LIFECYCLE_ERRORS.CHANNEL_CONFIG,
        `no transaction simulator for channel '${channelId}'`,
      );
    if (!lifecycleV20(ch.config())) return legacyInfo(name, simulator);
    const current = await fieldAsInt64(NAMESPACES_NAME, name, 'Sequence', publicState(simulator)).catch(
      (err: unknown) => {
        throw lifecycleError(
          LIFECYCLE_ERRORS.STATE_CORRUPT,
          `could not get current sequence for chaincode '${name}' on channel '${channelId}': ${String((err as Error).message)}`,
        );
      },
    );
    // Committed sequences begin at 1: 0 means no _lifecycle definition, so lscc may know it.
    if (current === 0) return legacyInfo(name, simulator);
    const view = await cachedOrgView(ch, this.o.mspId, name);
    if (view === undefined || view.definition.sequence !== current)
      throw lifecycleError(
        LIFECYCLE_ERRORS.STATE_CORRUPT,
        `chaincode cache at sequence ${view?.definition.sequence ?? 0} but current sequence is ${current}, chaincode definition for '${name}' changed during invoke`,
      );
    const ei = view.definition.endorsementInfo;
    if (!view.approved)
      throw lifecycleError(
        LIFECYCLE_ERRORS.NOT_APPROVED_BY_ORG,
        `chaincode definition for '${name}' at sequence ${current} on channel '${channelId}' has not yet been approved by this org`,
      );
    const packageId = view.packageHash === undefined ? undefined : await this.index.find(view.packageHash);
    if (packageId === undefined && !this.o.userRunsCC)
      throw lifecycleError(
        LIFECYCLE_ERRORS.NOT_INSTALLED,
        `chaincode definition for '${name}' exists, but chaincode is not installed`,
      );
    return {
      version: ei.version,
      endorsementPlugin: ei.endorsementPlugin,
      enforceInit: ei.initRequired,
      chaincodeId: packageId ?? `${name}:${ei.version}`,
    };
  }
}

/** Fabric's lscc ChaincodeEndorsementInfo: the ChaincodeData under <name> in `lscc` (read through the simulator). */
async function legacyInfo(name: string, sim: TxSimulator): Promise<ChaincodeEndorsementInfo> {
  const cd = await legacyChaincodeData(sim, name);
  if (cd === undefined) throw lifecycleError(LIFECYCLE_ERRORS.NOT_INSTALLED, `chaincode ${name} not found`);
  return {
    version: cd.version,
    endorsementPlugin: cd.escc,
    enforceInit: false,
    chaincodeId: `${cd.name}:${cd.version}`,
  };
}
