// The `_lifecycle` system chaincode (Fabric's core/chaincode/lifecycle/scc.go): two args, the function
// name and its protobuf-encoded lb.<Function>Args; checks the channel's V2_0 capability and the ACL
// `_lifecycle/<Function>`, dispatches, and answers the encoded lb.<Function>Result. Errors are answered
// as Fabric does: 404 with the bare message for an undefined namespace, otherwise 500 "failed to
// invoke backing implementation of '<Function>': <reason>".
import { lifecycle, protos } from '@fabric-peer/protos';
import { LIFECYCLE_NAMESPACE } from '../lifecycle/index.js';
import { type Logger, NOOP_LOGGER } from '../logging/index.js';
import type { ChaincodePackageStore, ParsedInstallPackage } from '../persistence/index.js';
import type { SccACL, SystemChaincode, SystemChaincodeContext } from '../scc/index.js';
import { type Invocation, channelFunctions } from './channelfns.js';
import { LIFECYCLE_ERRORS, LifecycleError } from './errors.js';
import type { LifecycleChannelConfig } from './functions.js';
import {
  getInstalledChaincodePackage,
  installChaincode,
  queryInstalledChaincode,
  queryInstalledChaincodes,
} from './install.js';
import { type LifecycleChannels, chaincodeResolver, lifecycleV20 } from './resolver.js';
import { errorMessage as message } from '../errors/index.js';

export interface LifecycleSCCOptions {
  /** This peer's org (peer.localMspId): approvals go to its implicit collection. */
  mspId: string;
  acl: SccACL;
  channels: LifecycleChannels;
  store: ChaincodePackageStore;
  /** Builds an installed package (external builders, node packages); failures undo the install. */
  build?: (packageId: string, pkg: ParsedInstallPackage) => Promise<void>;
  logger?: Logger;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Codec = { decode(b: Uint8Array): any; encode(m: any): Uint8Array };
type Handler = (inv: Invocation, input: never) => Promise<unknown>;

const utf8 = (b: Uint8Array | undefined): string => Buffer.from(b ?? new Uint8Array()).toString('utf8');
const reply = (status: number, message: string, payload: Uint8Array = new Uint8Array()): protos.Response =>
  protos.Response.create({ status, message, payload });

export class LifecycleSCC implements SystemChaincode {
  readonly name = LIFECYCLE_NAMESPACE;
  private readonly logger: Logger;
  private readonly resolver: ReturnType<typeof chaincodeResolver>;
  private readonly functions: Record<string, { args: Codec; result: Codec; run: Handler }>;

  constructor(private readonly o: LifecycleSCCOptions) {
    this.logger = o.logger ?? NOOP_LOGGER;
    this.resolver = chaincodeResolver({ channels: o.channels, mspId: o.mspId, store: o.store });
    const deps = {
      store: o.store,
      channels: o.channels,
      mspId: o.mspId,
      built: new Set<string>(),
      ...(o.build && { build: o.build }),
    };
    const L = lifecycle;
    const chan = channelFunctions(o.mspId, this.logger);
    this.functions = {
      InstallChaincode: {
        args: L.InstallChaincodeArgs,
        result: L.InstallChaincodeResult,
        run: (_i, a) => installChaincode(deps, a),
      },
      QueryInstalledChaincode: {
        args: L.QueryInstalledChaincodeArgs,
        result: L.QueryInstalledChaincodeResult,
        run: (_i, a) => queryInstalledChaincode(deps, a),
      },
      GetInstalledChaincodePackage: {
        args: L.GetInstalledChaincodePackageArgs,
        result: L.GetInstalledChaincodePackageResult,
        run: (_i, a) => getInstalledChaincodePackage(deps, a),
      },
      QueryInstalledChaincodes: {
        args: L.QueryInstalledChaincodesArgs,
        result: L.QueryInstalledChaincodesResult,
        run: () => queryInstalledChaincodes(deps),
      },
      ApproveChaincodeDefinitionForMyOrg: {
        args: L.ApproveChaincodeDefinitionForMyOrgArgs,
        result: L.ApproveChaincodeDefinitionForMyOrgResult,
        run: chan.approve,
      },
      QueryApprovedChaincodeDefinition: {
        args: L.QueryApprovedChaincodeDefinitionArgs,
        result: L.QueryApprovedChaincodeDefinitionResult,
        run: chan.queryApproved,
      },
      CheckCommitReadiness: {
        args: L.CheckCommitReadinessArgs,
        result: L.CheckCommitReadinessResult,
        run: chan.checkCommitReadiness,
      },
      CommitChaincodeDefinition: {
        args: L.CommitChaincodeDefinitionArgs,
        result: L.CommitChaincodeDefinitionResult,
        run: chan.commit,
      },
      QueryChaincodeDefinition: {
        args: L.QueryChaincodeDefinitionArgs,
        result: L.QueryChaincodeDefinitionResult,
        run: chan.queryDefinition,
      },
      QueryChaincodeDefinitions: {
        args: L.QueryChaincodeDefinitionsArgs,
        result: L.QueryChaincodeDefinitionsResult,
        run: chan.queryDefinitions,
      },
    };
  }

  async invoke(ctx: SystemChaincodeContext): Promise<protos.Response> {
    const args = ctx.args;
    if (args.length === 0) return reply(500, 'lifecycle scc must be invoked with arguments');
    if (args.length !== 2)
      return reply(500, `lifecycle scc operations require exactly two arguments but received ${args.length}`);
    let config: LifecycleChannelConfig | undefined;
    if (ctx.channelId !== '') {
      const ch = this.o.channels.getChannel(ctx.channelId);
      if (ch === undefined) return reply(500, `could not get channelconfig for channel '${ctx.channelId}'`);
      config = ch.config();
      if (!lifecycleV20(config))
        return reply(
          500,
          `cannot use new lifecycle for channel '${ctx.channelId}' as it does not have the required capabilities enabled`,
        );
    }
    const fname = utf8(args[0]);
    try {
      this.o.acl.checkACL(`${LIFECYCLE_NAMESPACE}/${fname}`, ctx.channelId, ctx.signedData);
    } catch (err) {
      return reply(500, `Failed to authorize invocation due to failed ACL check: ${message(err)}`);
    }
    const fn = this.functions[fname];
    const backing = (reason: string) =>
      reply(500, `failed to invoke backing implementation of '${fname}': ${reason}`);
    if (fn === undefined) return backing(`receiver *lifecycle.Invocation.${fname} does not exist`);
    let input: unknown;
    try {
      input = fn.args.decode(args[1]!);
    } catch (err) {
      return backing(`could not decode input arg for *lifecycle.Invocation.${fname}: ${message(err)}`);
    }
    try {
      const inv: Invocation = { channelId: ctx.channelId, config, simulator: ctx.simulator, txId: ctx.txId };
      const result = await fn.run(inv, input as never);
      return reply(200, '', fn.result.encode(result));
    } catch (err) {
      if (err instanceof LifecycleError && err.code === LIFECYCLE_ERRORS.NAMESPACE_NOT_DEFINED.code)
        return reply(404, err.message);
      this.logger.debug(`_lifecycle ${fname} failed: ${message(err)}`);
      return backing(message(err));
    }
  }

  /** For ChaincodeSupport: the installed package that runs `name` on `channelId` for this org. */
  resolveChaincodePackage(channelId: string, name: string): Promise<{ packageId: string } | undefined> {
    return this.resolver(channelId, name);
  }
}
