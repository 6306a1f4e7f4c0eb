// The chaincode runtime of a starting peer: one installed-package store for _lifecycle and
// ChaincodeSupport, in-process chaincode by name, and the chaincode listener on its own port (a free
// one beside the peer's listen host when the peer itself listens on port 0, so tests never collide).
import {
  type ChaincodeSupport,
  ChaincodeListener,
  InProcessLauncher,
  createChaincodeSupport,
  createChaincodeTLS,
} from '../chaincode/index.js';
import type { protos } from '@fabric-peer/protos';
import type { ChannelManager } from '../channel/index.js';
import { deriveAddresses, splitHostPort, type PeerConfig } from '../config/index.js';
import type { LoggingSystem } from '../logging/index.js';
import { LegacyResolver } from '../lscc/index.js';
import type { ChaincodePackageStore } from '../persistence/index.js';
import {
  type LegacyRuntime,
  SYSTEM_CHAINCODES,
  legacyStore,
  lifecycleParts,
  lifecycleStore,
} from './lifecycle.js';
import type { CreatePeerOptions } from './types.js';

export interface ChaincodeRuntime {
  support: ChaincodeSupport;
  listener: ChaincodeListener;
  inProcess: InProcessLauncher;
  store: ChaincodePackageStore;
  /** lscc's installed packages and resolver, and what its deploy needs to run Init. */
  legacy: LegacyRuntime;
}

export async function startChaincodeRuntime(p: {
  config: PeerConfig;
  options: CreatePeerOptions;
  logging: LoggingSystem;
  channels: () => ChannelManager;
  /** The channel ACLs a chaincode-to-chaincode call is checked against (peer/ChaincodeToChaincode). */
  acl?: { checkACLProposal(resource: string, channelId: string, sp: protos.SignedProposal): void };
  /** Closers are pushed here as parts start, for the caller's undo on failure. */
  undo: (() => Promise<void>)[];
}): Promise<ChaincodeRuntime> {
  const { config, options, logging } = p;
  const inProcess = new InProcessLauncher();
  for (const [id, cc] of Object.entries(options.chaincodes ?? {})) inProcess.add(id, cc);
  const store = lifecycleStore(config, options.inMemory === true);
  const legacy = legacyStore(config, options.inMemory === true);
  const resolver = new LegacyResolver({
    channels: { getChannel: (id) => p.channels().getChannel(id) },
    store: legacy,
  });
  const lifecycle = lifecycleParts(p.channels, config, store, (n) => inProcess.has(n), resolver);
  const acl = p.acl;
  const { support } = createChaincodeSupport({
    config,
    inProcess,
    packages: store,
    legacyPackages: async (id) => (await resolver.package(id))?.cds,
    resolve: lifecycle.resolve,
    ...(acl && {
      checkACL: (r: string, c: string, sp: protos.SignedProposal) => acl.checkACLProposal(r, c, sp),
    }),
    isSystemChaincode: (n) => SYSTEM_CHAINCODES.includes(n),
    ...(options.chaincodeDevMode === true && { devMode: true }),
    logger: logging.getLogger('chaincode'),
    getLogger: (n) => logging.getLogger(`chaincode.${n.replace(/[^A-Za-z0-9_.-]/g, '_')}`),
    tls: config.peer.tls.enabled ? await createChaincodeTLS() : undefined,
  });
  p.undo.push(() => support.close());
  const addresses = deriveAddresses(config);
  const listen = splitHostPort(config.peer.listenAddress);
  const address =
    config.peer.chaincodeListenAddress === '' && String(listen?.port) === '0'
      ? `${listen?.host || '0.0.0.0'}:0`
      : addresses.chaincodeListenAddress;
  if (config.peer.chaincodeAddress !== '') support.setPeerAddress(addresses.chaincodeEndpoint);
  const listener = await ChaincodeListener.start({ support, address });
  p.undo.push(() => listener.close());
  return {
    support,
    listener,
    inProcess,
    store,
    legacy: { store: legacy, resolver, support, inProcess: (n) => inProcess.has(n) },
  };
}
