// The chaincode runtime of a starting peer: one installed-package store for _lifecycle and
// ChaincodeSupport, in-process chaincode by name, and the chaincode listener on its own port (a free
// one beside the peer's listen host when the peer itself listens on port 0, so tests never collide).
import {
  type ChaincodeSupport,
  type TransactionParams,
  ChaincodeListener,
  InProcessLauncher,
  createChaincodeSupport,
  createChaincodeTLS,
} from '../chaincode/index.js';
import type { protos } from '@fabric-peer/protos';
import type { ChannelManager } from '../channel/index.js';
import { type EndorsementInfoProvider, checkInvocation } from '../endorser/index.js';
import { deriveAddresses, splitHostPort, type PeerConfig } from '../config/index.js';
import { errorMessage } from '../errors/index.js';
import type { LoggingSystem } from '../logging/index.js';
import { LegacyResolver } from '../lscc/index.js';
import { isSystemChaincode } from '../scc/index.js';
import type { ChaincodePackageStore } from '../persistence/index.js';
import {
  type LegacyRuntime,
  legacyStore,
  endorsementInfo,
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
  let info: EndorsementInfoProvider | undefined;
  const { support } = createChaincodeSupport({
    config,
    inProcess,
    packages: store,
    legacyPackages: async (id) => (await resolver.package(id))?.cds,
    resolve: lifecycle.resolve,
    ...(acl && {
      checkACL: (r: string, c: string, sp: protos.SignedProposal) => acl.checkACLProposal(r, c, sp),
    }),
    isSystemChaincode,
    checkInvocation: async (ctx, name) => {
      info ??= endorsementInfo(p.channels(), config, store, (n) => inProcess.has(n));
      await calleeInvocation(info, ctx, name, (n) => inProcess.has(n));
    },
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

/**
 * Fabric's CheckInvocation of a chaincode called by another: its endorsement info through the
 * transaction's simulator (the `_lifecycle` Sequence, or lscc's ChaincodeData, join the caller's read
 * set as on a Go peer), and, for a definition that requires Init, the initialized marker of its
 * version. In-process chaincode handed to createPeer without a definition is let through by name.
 */
async function calleeInvocation(
  provider: EndorsementInfoProvider,
  ctx: TransactionParams,
  name: string,
  inProcess: (name: string) => boolean,
): Promise<void> {
  const sim = ctx.simulator as Parameters<EndorsementInfoProvider['chaincodeEndorsementInfo']>[2];
  let info;
  try {
    info = await provider.chaincodeEndorsementInfo(ctx.channelId, name, sim);
  } catch (err) {
    if (inProcess(name)) return;
    throw new Error(
      `[channel ${ctx.channelId}] failed to get chaincode container info for ${name}: ${errorMessage(err)}`,
    );
  }
  // The callee runs as a plain invocation: refused while its definition awaits an Init.
  await checkInvocation(name, info, false, sim);
}
