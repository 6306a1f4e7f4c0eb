// `peer node start`: the peer of core.yaml + CORE_* (createPeer), or, when no core.yaml is found,
// createPeer's zero-config development network in <cwd>/.fabric-peer (crypto, embedded orderer,
// channel joined). The caller stops it on SIGINT/SIGTERM.
import { join } from 'node:path';
import { findConfigFile, loadPeerConfig, type PartialPeerConfig } from '../config/index.js';
import { ERRORS, FabricPeerError } from '../errors/index.js';
import type { DevNetwork, DevPorts } from '../devnet/index.js';
import { LoggingSystem, type LogWriter } from '../logging/index.js';
import { createPeer, type Peer } from '../peer/index.js';
import type { Env } from './settings.js';

export interface StartNodeOptions {
  env: Env;
  cwd?: string;
  /** Where the peer's log lines go (default stderr). */
  logWriter?: LogWriter;
  /** peer.chaincode.mode=dev (--peer-chaincodedev). */
  chaincodeDev?: boolean;
  /** Dev network folder when no core.yaml is found (default <cwd>/.fabric-peer). */
  devDataDir?: string;
  /** Dev network ports (default test-network's 7051/7052/7050/7053 on first run; 0 = a free port). */
  devPorts?: Partial<DevPorts>;
}

export interface StartedNode {
  peer: Peer;
  /** The dev network (zero-config path). */
  devnet?: DevNetwork;
  /** The dev network summary (how to connect), or a one-line address note. */
  summary: string;
  stop(): Promise<void>;
}

export async function startNode(o: StartNodeOptions): Promise<StartedNode> {
  const cwd = o.cwd ?? process.cwd();
  const logging = LoggingSystem.fromEnv(o.env as NodeJS.ProcessEnv, o.logWriter);
  const overrides: PartialPeerConfig | undefined = o.chaincodeDev
    ? { chaincode: { mode: 'dev' } }
    : undefined;
  const file = configFileOrNone(o.env, cwd);
  if (file !== undefined) {
    const { config } = loadPeerConfig({ env: o.env, cwd, ...(overrides && { overrides }) });
    const peer = await createPeer(config, { logging });
    await peer.start();
    return {
      peer,
      summary: `fabric-peer ${config.peer.id} (${peer.mspId}) serving at ${peer.address}\n`,
      stop: () => peer.stop(),
    };
  }
  // No core.yaml: createPeer's zero-config path (dev network + embedded orderer), with the CORE_*
  // variables that were set laid over it, as the Go peer lets the environment override its config.
  const loaded = loadPeerConfig({ env: o.env, cwd, fileOptional: true, ...(overrides && { overrides }) });
  const fromEnv = pick(loaded.config, [...loaded.envKeys, ...(overrides ? ['chaincode.mode'] : [])]);
  const peer = await createPeer(fromEnv, {
    logging,
    baseDir: cwd,
    devNetwork: {
      dataDir: o.devDataDir ?? join(cwd, '.fabric-peer'),
      ...(o.devPorts !== undefined && { ports: o.devPorts }),
    },
  });
  await peer.start();
  return {
    peer,
    ...(peer.devNetwork !== undefined && { devnet: peer.devNetwork }),
    summary: peer.devNetwork?.summary ?? '',
    stop: () => peer.stop(),
  };
}

/** The values at the given dotted paths, as a partial config. */
function pick(config: object, paths: string[]): PartialPeerConfig {
  const out: Record<string, unknown> = {};
  for (const path of paths) {
    const keys = path.split('.');
    let src: unknown = config;
    for (const k of keys) src = (src as Record<string, unknown> | undefined)?.[k];
    let dst = out;
    keys.slice(0, -1).forEach((k) => (dst = (dst[k] ??= {}) as Record<string, unknown>));
    dst[keys.at(-1)!] = src;
  }
  return out as PartialPeerConfig;
}

/** core.yaml as Fabric finds it, or undefined when there is none (a missing FABRIC_CFG_PATH folder still fails). */
function configFileOrNone(env: Env, cwd: string): string | undefined {
  try {
    return findConfigFile(env, cwd);
  } catch (err) {
    if (FabricPeerError.is(err, ERRORS.CONFIG.FILE_NOT_FOUND)) return undefined;
    throw err;
  }
}
