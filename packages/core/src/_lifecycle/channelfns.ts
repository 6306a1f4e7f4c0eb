// _lifecycle's channel functions (Fabric's Invocation methods): args -> Definition, the states of the
// invocation (public `_lifecycle`, this org's implicit collection, every org's collection by hash),
// then the backing functions. Everything goes through the proposal's simulator.
import type { TxSimulator } from '@fabric-peer/ledger';
import { type lifecycle, protos } from '@fabric-peer/protos';
import type { Logger } from '../logging/index.js';
import { type Definition, describeDefinition } from './definition.js';
import { LIFECYCLE_ERRORS, lifecycleError, withMessage } from './errors.js';
import {
  type LifecycleChannelConfig,
  approveForOrg,
  checkCommitReadiness,
  commitDefinition,
  queryApproved,
  queryDefinition,
  queryNamespaceDefinitions,
  queryOrgApprovals,
} from './functions.js';
import { opaqueOrgState, orgState, publicState } from './states.js';
import { validateInput } from './validate.js';

/** What a function of the SCC gets: the decoded args plus the invocation's context. */
export interface Invocation {
  channelId: string;
  config: LifecycleChannelConfig | undefined;
  simulator: TxSimulator | undefined;
  txId: string;
}

interface DefinitionArgs {
  sequence: number;
  version: string;
  endorsementPlugin: string;
  validationPlugin: string;
  validationParameter: Uint8Array;
  initRequired: boolean;
  collections?: protos.CollectionConfigPackage | undefined;
}

const definitionOf = (a: DefinitionArgs): Definition => ({
  sequence: a.sequence,
  endorsementInfo: {
    version: a.version,
    endorsementPlugin: a.endorsementPlugin,
    initRequired: a.initRequired,
  },
  validationInfo: { validationPlugin: a.validationPlugin, validationParameter: a.validationParameter },
  collections: a.collections ?? protos.CollectionConfigPackage.create(),
});

const toRecord = (m: Map<string, boolean>): Record<string, boolean> => Object.fromEntries(m);

function need(inv: Invocation): { sim: TxSimulator; cfg: LifecycleChannelConfig } {
  if (inv.config === undefined)
    throw lifecycleError(
      LIFECYCLE_ERRORS.CHANNEL_CONFIG,
      `could not get channelconfig for channel '${inv.channelId}'`,
    );
  if (inv.simulator === undefined)
    throw lifecycleError(
      LIFECYCLE_ERRORS.CHANNEL_CONFIG,
      `no transaction simulator for channel '${inv.channelId}'`,
    );
  return { sim: inv.simulator, cfg: inv.config };
}

const orgStates = (sim: TxSimulator, cfg: LifecycleChannelConfig) =>
  cfg.applicationOrgs.map((o) => opaqueOrgState(sim, o.mspId));

const prefixed = async <T>(p: Promise<T>, prefix: string): Promise<T> => {
  try {
    return await p;
  } catch (err) {
    throw withMessage(err, prefix);
  }
};

export function channelFunctions(mspId: string, logger: Logger) {
  return {
    approve: async (
      inv: Invocation,
      a: lifecycle.ApproveChaincodeDefinitionForMyOrgArgs,
    ): Promise<object> => {
      const { sim, cfg } = need(inv);
      await prefixed(
        validateInput(a.name, a.version, a.collections, cfg, sim),
        'error validating chaincode definition',
      );
      const cd = definitionOf(a);
      // An Unavailable source (or none) approves without a package: this org will not run the chaincode.
      const packageId = a.source?.localPackage?.packageId ?? '';
      await approveForOrg(inv.channelId, a.name, cd, packageId, publicState(sim), orgState(sim, mspId), cfg);
      logger.info(
        `Successfully endorsed chaincode approval with name '${a.name}', package ID '${packageId}', on channel '${inv.channelId}' with definition {${describeDefinition(cd)}}`,
      );
      return {};
    },

    queryApproved: async (
      inv: Invocation,
      a: lifecycle.QueryApprovedChaincodeDefinitionArgs,
    ): Promise<lifecycle.QueryApprovedChaincodeDefinitionResult> => {
      const { sim } = need(inv);
      const ap = await queryApproved(
        inv.channelId,
        a.name,
        a.sequence,
        publicState(sim),
        orgState(sim, mspId),
      );
      return {
        sequence: ap.sequence,
        version: ap.endorsementInfo.version,
        endorsementPlugin: ap.endorsementInfo.endorsementPlugin,
        validationPlugin: ap.validationInfo.validationPlugin,
        validationParameter: ap.validationInfo.validationParameter,
        initRequired: ap.endorsementInfo.initRequired,
        collections: ap.collections,
        source: ap.packageId === '' ? { unavailable: {} } : { localPackage: { packageId: ap.packageId } },
      };
    },

    checkCommitReadiness: async (
      inv: Invocation,
      a: lifecycle.CheckCommitReadinessArgs,
    ): Promise<Partial<lifecycle.CheckCommitReadinessResult>> => {
      const { sim, cfg } = need(inv);
      const cd = definitionOf(a);
      const approvals = await checkCommitReadiness(
        inv.channelId,
        a.name,
        cd,
        publicState(sim),
        orgStates(sim, cfg),
        cfg,
      );
      return { approvals: toRecord(approvals) };
    },

    commit: async (inv: Invocation, a: lifecycle.CommitChaincodeDefinitionArgs): Promise<object> => {
      const { sim, cfg } = need(inv);
      await prefixed(
        validateInput(a.name, a.version, a.collections, cfg, sim),
        'error validating chaincode definition',
      );
      if (!cfg.applicationOrgs.some((o) => o.mspId === mspId))
        throw lifecycleError(
          LIFECYCLE_ERRORS.CHANNEL_CONFIG,
          "impossibly, this peer's org is processing requests for a channel it is not a member of",
        );
      const cd = definitionOf(a);
      const approvals = await commitDefinition(
        inv.channelId,
        a.name,
        cd,
        publicState(sim),
        orgStates(sim, cfg),
        cfg,
      );
      // The rest of the orgs' approvals are the committing policy's business (LifecycleEndorsement at
      // validation, whose endorsers each refuse here unless their own org approved).
      if (approvals.get(mspId) !== true)
        throw lifecycleError(
          LIFECYCLE_ERRORS.NOT_AGREED,
          `chaincode definition not agreed to by this org (${mspId})`,
        );
      logger.info(
        `Successfully endorsed commit for chaincode name '${a.name}' on channel '${inv.channelId}' with definition {${describeDefinition(cd)}}`,
      );
      return {};
    },

    queryDefinition: async (
      inv: Invocation,
      a: lifecycle.QueryChaincodeDefinitionArgs,
    ): Promise<lifecycle.QueryChaincodeDefinitionResult> => {
      const { sim, cfg } = need(inv);
      const d = await queryDefinition(a.name, publicState(sim));
      const approvals = await queryOrgApprovals(a.name, d, orgStates(sim, cfg));
      return { ...resultOf(d), approvals: toRecord(approvals) };
    },

    queryDefinitions: async (inv: Invocation): Promise<lifecycle.QueryChaincodeDefinitionsResult> => {
      const { sim } = need(inv);
      const pub = publicState(sim);
      const out: lifecycle.QueryChaincodeDefinitionsResult_ChaincodeDefinition[] = [];
      // Fabric walks a Go map (random order); sorted here so answers are stable.
      const names = [...(await queryNamespaceDefinitions(pub))].sort(([a], [b]) =>
        a < b ? -1 : a > b ? 1 : 0,
      );
      for (const [name, type] of names) {
        if (type !== 'Chaincode') continue;
        out.push({ name, ...resultOf(await queryDefinition(name, pub)) });
      }
      return { chaincodeDefinitions: out };
    },
  };
}

const resultOf = (d: Definition) => ({
  sequence: d.sequence,
  version: d.endorsementInfo.version,
  endorsementPlugin: d.endorsementInfo.endorsementPlugin,
  validationPlugin: d.validationInfo.validationPlugin,
  validationParameter: d.validationInfo.validationParameter,
  initRequired: d.endorsementInfo.initRequired,
  collections: d.collections,
});
