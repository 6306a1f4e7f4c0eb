// The legacy lifecycle system chaincode `lscc` (Fabric's core/scc/lscc): install of CDS packages,
// deploy / upgrade on channels without the V2_0 application capability, and its queries. Channels
// with V2_0 keep lscc read-only (their chaincodes are _lifecycle's). Answers and messages are Fabric's.
import type { TxSimulator } from '@fabric-peer/ledger';
import { protos } from '@fabric-peer/protos';
import {
  SYSTEM_CHAINCODE_NAMES,
  type SccACL,
  type SystemChaincode,
  type SystemChaincodeContext,
} from '../scc/index.js';
import { decodeChaincodeData, encodeChaincodeData } from './chaincodedata.js';
import {
  type LegacyChannelConfig,
  LSCC_NAMESPACE,
  anyOf,
  collectionKey,
  deployOrUpgrade,
  privateChannelData,
  validateName,
  validateVersion,
} from './deploy.js';
import { LSCC_ERRORS, LsccError } from './errors.js';
import { type LegacyPackage, type LegacyPackageStore, legacyPackage } from './store.js';
import { errorMessage as msg } from '../errors/index.js';
import { lifecycleV20 } from '../lifecycle/index.js';

export interface LsccChannels {
  getChannel(id: string): { config(): LegacyChannelConfig } | undefined;
}

export interface LSCCOptions {
  acl: SccACL;
  channels: LsccChannels;
  store: LegacyPackageStore;
  /** Names of the system chaincodes (cannot be installed over). */
  systemChaincodes?: readonly string[];
  /** Builds an installed package (Fabric's ChaincodeBuilder.Build of name:version). */
  build?: (ccid: string, pkg: LegacyPackage) => Promise<void>;
  /**
   * Runs the new version's Init after a deploy or upgrade wrote its ChaincodeData, on the same
   * simulator (Fabric's endorser calls ExecuteLegacyInit there): its writes join the transaction, and
   * a failing Init fails the deploy. Absent = lscc only records the definition (no chaincode runs).
   */
  runInit?: (ctx: SystemChaincodeContext, cds: protos.ChaincodeDeploymentSpec) => Promise<void>;
}

const utf8 = (b: Uint8Array | undefined): string => Buffer.from(b ?? new Uint8Array()).toString('utf8');
const ok = (payload: Uint8Array = new Uint8Array()): protos.Response =>
  protos.Response.create({ status: 200, payload });
const error = (message: string): protos.Response => protos.Response.create({ status: 500, message });
const argsLen = (n: number): protos.Response =>
  error(new LsccError(LSCC_ERRORS.INVALID_ARGS_LEN, { n }).message);

export class LSCC implements SystemChaincode {
  readonly name = LSCC_NAMESPACE;

  constructor(private readonly o: LSCCOptions) {}

  async invoke(ctx: SystemChaincodeContext): Promise<protos.Response> {
    const args = ctx.args;
    if (args.length < 1) return argsLen(args.length);
    const fn = utf8(args[0]);
    const acl = (resource: string, channel: string, label: string): protos.Response | undefined => {
      try {
        this.o.acl.checkACL(resource, channel, ctx.signedData);
        return undefined;
      } catch (err) {
        return error(`access denied for ${label}: ${msg(err)}`);
      }
    };
    try {
      switch (fn) {
        case 'install': {
          if (args.length < 2) return argsLen(args.length);
          const denied = acl('lscc/Install', '', `[${fn}]`);
          if (denied) return denied;
          await this.install(args[1]!);
          return ok(Buffer.from('OK'));
        }
        case 'deploy':
        case 'upgrade':
          return await this.deploy(ctx, fn);
        case 'getid':
        case 'ChaincodeExists':
        case 'getdepspec':
        case 'GetDeploymentSpec':
        case 'getccdata':
        case 'GetChaincodeData': {
          if (args.length !== 3) return argsLen(args.length);
          const channel = utf8(args[1]);
          const name = utf8(args[2]);
          const resource =
            fn === 'getid' || fn === 'ChaincodeExists'
              ? 'lscc/ChaincodeExists'
              : fn === 'getdepspec' || fn === 'GetDeploymentSpec'
                ? 'lscc/GetDeploymentSpec'
                : 'lscc/GetChaincodeData';
          const denied = acl(resource, channel, `[${fn}][${channel}]`);
          if (denied) return denied;
          const bytes = await this.sim(ctx).getState(LSCC_NAMESPACE, name);
          if (bytes === undefined) return error(new LsccError(LSCC_ERRORS.NOT_FOUND, { name }).message);
          const cd = decodeChaincodeData(bytes);
          if (cd.name !== name) return error(`chaincode name mismatch: ${name}!=${cd.name}`);
          if (fn === 'getccdata' || fn === 'GetChaincodeData') return ok(bytes);
          if (fn === 'getid' || fn === 'ChaincodeExists') return ok(Buffer.from(cd.name));
          const pkg = await this.o.store.get(`${cd.name}:${cd.version}`);
          if (pkg === undefined)
            return error(`invalid deployment spec: could not find chaincode ${cd.name}:${cd.version}`);
          if (!Buffer.from(pkg.data).equals(Buffer.from(cd.data)))
            return error('chaincode fingerprint mismatch: data mismatch');
          return ok(pkg.bytes);
        }
        case 'getchaincodes':
        case 'GetChaincodes': {
          if (args.length !== 1) return argsLen(args.length);
          const denied = acl('lscc/GetInstantiatedChaincodes', ctx.channelId, `[${fn}][${ctx.channelId}]`);
          return (
            denied ?? ok(protos.ChaincodeQueryResponse.encode({ chaincodes: await this.instantiated(ctx) }))
          );
        }
        case 'getinstalledchaincodes':
        case 'GetInstalledChaincodes': {
          if (args.length !== 1) return argsLen(args.length);
          const denied = acl('lscc/GetInstalledChaincodes', '', `[${fn}]`);
          if (denied) return denied;
          const chaincodes = (await this.o.store.list()).map((p) => {
            const id = p.cds.chaincodeSpec?.chaincodeId;
            return {
              name: id?.name ?? '',
              version: id?.version ?? '',
              path: id?.path ?? '',
              input: '',
              escc: '',
              vscc: '',
              id: p.id,
            };
          });
          return ok(protos.ChaincodeQueryResponse.encode({ chaincodes }));
        }
        case 'GetCollectionsConfig':
        case 'getcollectionsconfig': {
          if (args.length !== 2) return argsLen(args.length);
          const name = utf8(args[1]);
          const denied = acl('lscc/GetCollectionsConfig', ctx.channelId, `[${fn}]`);
          if (denied) return denied;
          const b = await this.sim(ctx).getState(LSCC_NAMESPACE, collectionKey(name));
          return b === undefined || b.length === 0
            ? error(`collections config not defined for chaincode ${name}`)
            : ok(b);
        }
        default:
          return error(new LsccError(LSCC_ERRORS.INVALID_FUNCTION, { fn }).message);
      }
    } catch (err) {
      return error(msg(err));
    }
  }

  private sim(ctx: SystemChaincodeContext): TxSimulator {
    if (ctx.simulator === undefined) throw new Error(`no ledger for channel '${ctx.channelId}'`);
    return ctx.simulator;
  }

  private async install(bytes: Uint8Array): Promise<void> {
    let pkg: LegacyPackage;
    try {
      pkg = legacyPackage(bytes);
    } catch (err) {
      throw new Error(msg(err));
    }
    const id = pkg.cds.chaincodeSpec?.chaincodeId;
    if (!id) throw new Error('nil deployment spec from the CC package');
    validateName(id.name);
    validateVersion(id.version);
    if ((this.o.systemChaincodes ?? SYSTEM_CHAINCODE_NAMES).includes(id.name))
      throw new Error(`cannot install: ${id.name} is the name of a system chaincode`);
    try {
      await this.o.store.put(bytes);
    } catch (err) {
      throw new Error(`error installing chaincode code ${id.name}:${id.version}(${msg(err)})`);
    }
    if (this.o.build) {
      try {
        await this.o.build(`${id.name}:${id.version}`, pkg);
      } catch (err) {
        throw new Error(`chaincode installed to peer but could not build chaincode: ${msg(err)}`);
      }
    }
  }

  private async deploy(ctx: SystemChaincodeContext, fn: 'deploy' | 'upgrade'): Promise<protos.Response> {
    const args = ctx.args;
    if (args.length < 3) return argsLen(args.length);
    const channel = utf8(args[1]);
    if (channel === '') return error(`invalid channel name: ${channel}`);
    const cfg = this.o.channels.getChannel(channel)?.config();
    if (cfg === undefined) return error(`non-existent application config for channel '${channel}'`);
    if (lifecycleV20(cfg.capabilities))
      return error(`Channel '${channel}' has been migrated to the new lifecycle, LSCC is now read-only`);
    const pcd = privateChannelData(cfg);
    if (!pcd && args.length > 6)
      return error(
        'as V1_2 or later capability is not enabled, private channel collections and data are not available',
      );
    if (pcd && args.length > 7) return argsLen(args.length);
    let cds: protos.ChaincodeDeploymentSpec;
    try {
      cds = protos.ChaincodeDeploymentSpec.decode(args[2]!);
    } catch (err) {
      return error(`error unmarshalling ChaincodeDeploymentSpec: ${msg(err)}`);
    }
    const arg = (i: number): Uint8Array | undefined =>
      args.length > i && args[i]!.length > 0 ? args[i] : undefined;
    const cc = cds.chaincodeSpec?.chaincodeId;
    if (this.o.runInit) {
      // The checks Fabric's endorser makes before it runs Init (deploy carries no code: it was installed).
      if ((this.o.systemChaincodes ?? SYSTEM_CHAINCODE_NAMES).includes(cc?.name ?? ''))
        return error(`attempting to deploy a system chaincode ${cc?.name ?? ''}/${channel}`);
      if (cds.codePackage.length !== 0)
        return error('lscc upgrade/deploy should not include a code packages');
    }
    const cd = await deployOrUpgrade(
      {
        function: fn,
        channelId: channel,
        cds,
        policy: arg(3) ?? anyOf(cfg, 'member'),
        escc: arg(4) ? utf8(arg(4)) : 'escc',
        vscc: arg(5) ? utf8(arg(5)) : 'vscc',
        collections: pcd && args.length > 6 ? args[6] : undefined,
        signedData: ctx.signedData,
      },
      this.sim(ctx),
      cfg,
      this.o.store,
    );
    if (this.o.runInit) {
      try {
        await this.o.runInit(ctx, cds);
      } catch (err) {
        return error(msg(err));
      }
    }
    return ok(encodeChaincodeData(cd));
  }

  /** getchaincodes: every ChaincodeData in `lscc` (collection keys skipped), with the local package's path. */
  private async instantiated(ctx: SystemChaincodeContext): Promise<protos.ChaincodeInfo[]> {
    const out: protos.ChaincodeInfo[] = [];
    const it = this.sim(ctx).getStateRangeScanIterator(LSCC_NAMESPACE, '', '');
    try {
      for await (const kv of it) {
        if (kv.key.endsWith('~collection')) continue;
        const cd = decodeChaincodeData(kv.value);
        const pkg = await this.o.store.get(`${cd.name}:${cd.version}`);
        const spec = pkg?.cds.chaincodeSpec;
        out.push({
          name: cd.name,
          version: cd.version,
          path: spec?.chaincodeId?.path ?? '',
          input: spec?.input ? inputString(spec.input) : '',
          escc: cd.escc,
          vscc: cd.vscc,
          id: new Uint8Array(),
        });
      }
    } finally {
      await it.close();
    }
    return out;
  }
}

/** Go's prototext of a ChaincodeInput, as Fabric's getchaincodes shows it (args only). */
function inputString(input: protos.ChaincodeInput): string {
  return input.args.map((a) => `args:${JSON.stringify(Buffer.from(a).toString('latin1'))}`).join(' ');
}
