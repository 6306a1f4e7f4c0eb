// `peer node start`: the peer of core.yaml + CORE_* (createPeer), or, when no core.yaml is found,
// the zero-config development network in <cwd>/.fabric-peer (devnet: crypto, embedded orderer,
// channel joined). The caller stops it on SIGINT/SIGTERM.
import { join } from 'node:path';
import { findConfigFile, loadPeerConfig, type PartialPeerConfig } from '../config/index.js';
import { ERRORS, FabricPeerError } from '../errors/index.js';
import { devPeerInputs, startDevNetwork, type DevPorts, type RunningDevNetwork } from '../devnet/index.js';
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
  devnet?: RunningDevNetwork;
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
  const devnet = await startDevNetwork({
    dataDir: o.devDataDir ?? join(cwd, '.fabric-peer'),
    ...(o.devPorts !== undefined && { ports: o.devPorts }),
    logger: logging.getLogger('orderer'),
  });
  try {
    const inputs = devPeerInputs(devnet.network);
    const { config } = loadPeerConfig({
      env: o.env,
      cwd,
      fileOptional: true,
      overrides: { ...inputs.config, ...(overrides ?? {}) } as PartialPeerConfig,
    });
    const peer = await createPeer(config, { ...inputs.options, logging });
    await peer.start();
    if (!peer.channels().includes(devnet.network.channelId))
      await peer.joinChannel(devnet.network.genesisBlock);
    return {
      peer,
      devnet,
      summary: devnet.network.summary,
      stop: async () => {
        await peer.stop();
        await devnet.stop();
      },
    };
  } catch (err) {
    await devnet.stop();
    throw err;
  }
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
