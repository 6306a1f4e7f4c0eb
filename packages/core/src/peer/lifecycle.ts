// Chaincode lifecycle wiring (as _lifecycle/README.md asks of peer/): `_lifecycle` and `lscc` as
// system chaincodes, one installed-package store shared with ChaincodeSupport, the resolver from a
// chaincode name to its installed package, and the endorser's definition lookup. Chaincode handed to
// createPeer in process keeps working by name, defined or not through an installed package.
import { join } from 'node:path';
import type { TxSimulator } from '@fabric-peer/ledger';
import type { ChannelManager } from '../channel/index.js';
import type { ChaincodeResolver } from '../chaincode/index.js';
import type { PeerConfig } from '../config/index.js';
import type { EndorsementInfoProvider } from '../endorser/index.js';
import type { Logger } from '../logging/index.js';
import { chaincodeResolver, LifecycleEndorsementInfo, LifecycleSCC } from '../_lifecycle/index.js';
import { FileLegacyPackageStore, LSCC, MemoryLegacyPackageStore } from '../lscc/index.js';
import {
  type ChaincodePackageStore,
  FileChaincodeStore,
  MemoryChaincodeStore,
} from '../persistence/index.js';
import type { SccACL, SystemChaincode } from '../scc/index.js';

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
): LifecycleParts {
  const mspId = config.peer.localMspId;
  let installed: ReturnType<typeof chaincodeResolver> | undefined;
  return {
    store,
    resolve: async (channelId, name) => {
      installed ??= chaincodeResolver({ channels: channels(), mspId, store });
      try {
        const r = await installed(channelId, name);
        if (r !== undefined) return r;
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
): SystemChaincode[] {
  const legacy = inMemory
    ? new MemoryLegacyPackageStore()
    : new FileLegacyPackageStore(join(config.peer.fileSystemPath, 'chaincodes'));
  return [
    new LifecycleSCC({ mspId: config.peer.localMspId, acl, channels, store, logger }),
    new LSCC({ acl, channels, store: legacy, systemChaincodes: ['cscc', 'qscc', 'lscc', '_lifecycle'] }),
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
