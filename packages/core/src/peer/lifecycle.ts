// Chaincode lifecycle wiring (as _lifecycle/README.md asks of peer/): `_lifecycle` and `lscc` as
// system chaincodes, one installed-package store shared with ChaincodeSupport, the resolver from a
// chaincode name to its installed package, and the endorser's definition lookup. Chaincode handed to
// createPeer in process keeps working by name, defined or not through an installed package.
import { join } from 'node:path';
import type { TxSimulator } from '@fabric-peer/ledger';
import type { ChannelManager } from '../channel/index.js';
import type { ChaincodeResolver, ChaincodeSupport } from '../chaincode/index.js';
import type { PeerConfig } from '../config/index.js';
import type { EndorsementInfoProvider } from '../endorser/index.js';
import type { Logger } from '../logging/index.js';
import { chaincodeResolver, LifecycleEndorsementInfo, LifecycleSCC } from '../_lifecycle/index.js';
import {
  FileLegacyPackageStore,
  LSCC,
  type LegacyPackageStore,
  type LegacyResolver,
  MemoryLegacyPackageStore,
} from '../lscc/index.js';
import {
  type ChaincodePackageStore,
  FileChaincodeStore,
  MemoryChaincodeStore,
} from '../persistence/index.js';
import type { SccACL, SystemChaincode } from '../scc/index.js';

/** lscc's side of the chaincode runtime: its installed packages and the name -> `name:version` resolver. */
export interface LegacyRuntime {
  store: LegacyPackageStore;
  resolver: LegacyResolver;
  support: ChaincodeSupport;
  inProcess: (name: string) => boolean;
}

/** Fabric's chaincodeInstallPath: peer.fileSystemPath/chaincodes (`<name>.<version>` CDS files). */
export function legacyStore(config: PeerConfig, inMemory: boolean): LegacyPackageStore {
  return inMemory
    ? new MemoryLegacyPackageStore()
    : new FileLegacyPackageStore(join(config.peer.fileSystemPath, 'chaincodes'));
}

export interface LifecycleParts {
  store: ChaincodePackageStore;
  /** For ChaincodeSupport: installed package of a defined chaincode, else an in-process one by name. */
  resolve: ChaincodeResolver;
}

export function lifecycleStore(config: PeerConfig, inMemory: boolean): ChaincodePackageStore {
  return inMemory
    ? new MemoryChaincodeStore()
    : new FileChaincodeStore(join(config.peer.fileSystemPath, 'lifecycle', 'chaincodes'));
}

export function lifecycleParts(
  channels: () => ChannelManager,
  config: PeerConfig,
  store: ChaincodePackageStore,
  inProcess: (name: string) => boolean,
  legacy?: LegacyResolver,
): LifecycleParts {
  const mspId = config.peer.localMspId;
  let installed: ReturnType<typeof chaincodeResolver> | undefined;
  return {
    store,
    resolve: async (channelId, name, simulator) => {
      installed ??= chaincodeResolver({ channels: channels(), mspId, store });
      try {
        const r = await installed(channelId, name);
        if (r !== undefined) return r;
        // Not _lifecycle's: an lscc-defined chaincode runs its installed name:version package.
        const l = await legacy?.packageIdFor(channelId, name, simulator);
        if (l !== undefined) return l;
      } catch (err) {
        // Defined but not installed: fine when the chaincode was handed in, in process.
        if (!inProcess(name)) throw err;
      }
      return inProcess(name) ? { packageId: name } : undefined;
    },
  };
}

export function lifecycleSystemChaincodes(
  channels: ChannelManager,
  config: PeerConfig,
  store: ChaincodePackageStore,
  acl: SccACL,
  inMemory: boolean,
  logger: Logger,
  runtime?: LegacyRuntime,
): SystemChaincode[] {
  const legacy = runtime?.store ?? legacyStore(config, inMemory);
  return [
    new LifecycleSCC({ mspId: config.peer.localMspId, acl, channels, store, logger }),
    new LSCC({
      acl,
      channels,
      store: legacy,
      ...(runtime && {
        // Fabric's ExecuteLegacyInit: the installed name:version package (or code handed in by name).
        runInit: async (ctx, cds) => {
          const id = cds.chaincodeSpec?.chaincodeId;
          const name = id?.name ?? '';
          const version = id?.version ?? '';
          if (ctx.simulator === undefined) throw new Error(`no ledger for channel '${ctx.channelId}'`);
          const installed = (await runtime.resolver.package(`${name}:${version}`)) !== undefined;
          await runtime.support.executeLegacyInit(
            {
              channelId: ctx.channelId,
              txId: ctx.txId,
              signedProposal: ctx.signedProposal,
              proposal: ctx.proposal,
              simulator: ctx.simulator,
              isInit: true,
            },
            name,
            version,
            cds.chaincodeSpec?.input ?? { args: [], decorations: {}, isInit: true },
            !installed && runtime.inProcess(name) ? name : `${name}:${version}`,
          );
        },
      }),
    }),
  ];
}

/** The endorser's definition lookup: _lifecycle's, falling back to the committed definition for in-process chaincode. */
export function endorsementInfo(
  channels: ChannelManager,
  config: PeerConfig,
  store: ChaincodePackageStore,
  inProcess: (name: string) => boolean,
): EndorsementInfoProvider {
  const lifecycle = new LifecycleEndorsementInfo({
    channels,
    mspId: config.peer.localMspId,
    store,
    userRunsCC: config.chaincode.mode === 'dev',
  });
  return {
    async chaincodeEndorsementInfo(channelId: string, name: string, simulator: TxSimulator | undefined) {
      try {
        return await lifecycle.chaincodeEndorsementInfo(channelId, name, simulator);
      } catch (err) {
        if (!inProcess(name)) throw err;
        const def = await channels.channel(channelId).definitions.get(name);
        if (def === undefined) throw err;
        return { version: def.version, endorsementPlugin: def.endorsementPlugin || 'escc' };
      }
    },
  };
}
