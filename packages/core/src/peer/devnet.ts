// The zero-config path: when neither the config nor the options name an MSP, createPeer asks devnet/
// for a one-org development network (crypto, genesis block, embedded orderer options) and runs the
// peer inside it. The orderer starts first and stops last with the peer; the peer joins the dev
// channel on its first start.
import { join } from 'node:path';
import type { PartialPeerConfig } from '../config/index.js';
import { type DevNetwork, type DevNetworkOptions, devPeerInputs, ensureDevNetwork } from '../devnet/index.js';
import type { Logger } from '../logging/index.js';
import type { CreatePeerOptions } from './types.js';

export interface DevSetup {
  network: DevNetwork;
  config: PartialPeerConfig;
  options: CreatePeerOptions;
}

type Tree = Record<string, unknown>;
const isTree = (v: unknown): v is Tree => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `over` merged onto `base`, objects deeply (the caller's keys win over the dev network's). */
export function mergeConfig(base: Tree, over: Tree): Tree {
  const out: Tree = { ...base };
  for (const [k, v] of Object.entries(over))
    out[k] = isTree(v) && isTree(out[k]) ? mergeConfig(out[k], v) : v;
  return out;
}

/** True when neither the typed config nor the options say where the local MSP comes from. */
export function wantsDevNetwork(config: PartialPeerConfig, options: CreatePeerOptions): boolean {
  if (options.devNetwork === false || options.msp !== undefined) return false;
  if (options.devNetwork !== undefined) return true;
  return (config as { peer?: { mspConfigPath?: unknown } }).peer?.mspConfigPath === undefined;
}

export async function devSetup(
  config: PartialPeerConfig,
  options: CreatePeerOptions,
  logger: Logger,
): Promise<DevSetup> {
  const given: DevNetworkOptions = typeof options.devNetwork === 'object' ? options.devNetwork : {};
  const inMemory = options.inMemory === true || given.inMemory === true;
  const dataDir =
    given.dataDir ??
    (config as { peer?: { fileSystemPath?: string } }).peer?.fileSystemPath ??
    join(options.baseDir ?? process.cwd(), '.fabric-peer');
  const network = await ensureDevNetwork({ ...given, inMemory, ...(inMemory ? {} : { dataDir }), logger });
  const inputs = devPeerInputs(network);
  // In memory everything takes free ports, the operations server included.
  const base: Tree = inMemory
    ? mergeConfig(inputs.config as Tree, { operations: { listenAddress: '127.0.0.1:0' } })
    : (inputs.config as Tree);
  return {
    network,
    config: mergeConfig(base, config as Tree) as PartialPeerConfig,
    options: { ...options, ...inputs.options, devNetwork: false },
  };
}
