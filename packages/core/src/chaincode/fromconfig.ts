// ChaincodeSupport from core.yaml settings: timeouts, dev mode, query limit, MSP id, the package
// store and the launchers in Fabric's order (external builders first, then the built-in ones).
// In-process chaincode comes before all of them, so code handed to the peer wins over a package.
import { join } from 'node:path';
import { type PeerConfig } from '../config/index.js';
import { type Logger } from '../logging/index.js';
import { type Launcher } from './launcher.js';
import { CcaasLauncher } from './launchers/ccaas.js';
import { ExternalBuilderLauncher } from './launchers/external.js';
import { InProcessLauncher } from './launchers/inprocess.js';
import { NodeLauncher } from './launchers/node.js';
import { FilePackageStore, type PackageStore } from './package.js';
import { ChaincodeSupport, type ChaincodeSupportOptions } from './support.js';

export interface ChaincodeSupportConfigOptions extends Omit<
  ChaincodeSupportOptions,
  'launchers' | 'executeTimeoutMs' | 'startupTimeoutMs' | 'totalQueryLimit'
> {
  config: PeerConfig;
  /** `--peer-chaincodedev`: forces dev mode whatever chaincode.mode says. */
  devMode?: boolean;
  /** Where in-process chaincode is added; one is made when not given. */
  inProcess?: InProcessLauncher;
  /** npm cache for node packages (default npm's own). */
  npmCache?: string;
  /** Install node package dependencies strictly from the npm cache (npm --offline). */
  npmOffline?: boolean;
}

/** Where installed packages live: Fabric's peer.fileSystemPath/lifecycle/chaincodes. */
export const installedPackagesDir = (config: PeerConfig): string =>
  join(config.peer.fileSystemPath, 'lifecycle', 'chaincodes');

export function defaultLaunchers(
  config: PeerConfig,
  opts: {
    inProcess: InProcessLauncher;
    npmCache?: string | undefined;
    npmOffline?: boolean | undefined;
    logger?: Logger | undefined;
  },
): Launcher[] {
  const fsPath = config.peer.fileSystemPath;
  return [
    opts.inProcess,
    new ExternalBuilderLauncher({
      builders: config.chaincode.externalBuilders,
      buildsDir: join(fsPath, 'externalbuilder', 'builds'),
      scratchDir: join(fsPath, 'externalbuilder', 'tmp'),
      buildTimeoutMs: config.chaincode.installTimeout,
      logger: opts.logger,
    }),
    new CcaasLauncher({ builderConfig: process.env.CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG }),
    new NodeLauncher({
      buildsDir: join(fsPath, 'chaincodes', 'node'),
      installTimeoutMs: config.chaincode.installTimeout,
      logLevel: config.chaincode.logging.level,
      ...(opts.npmCache !== undefined ? { npmCache: opts.npmCache } : {}),
      ...(opts.npmOffline !== undefined ? { offline: opts.npmOffline } : {}),
    }),
  ];
}

export function createChaincodeSupport(opts: ChaincodeSupportConfigOptions): {
  support: ChaincodeSupport;
  inProcess: InProcessLauncher;
} {
  const { config } = opts;
  const inProcess = opts.inProcess ?? new InProcessLauncher();
  const packages: PackageStore = opts.packages ?? new FilePackageStore(installedPackagesDir(config));
  const support = new ChaincodeSupport({
    ...opts,
    executeTimeoutMs: config.chaincode.executetimeout,
    startupTimeoutMs: config.chaincode.startuptimeout,
    devMode: opts.devMode === true || config.chaincode.mode === 'dev',
    totalQueryLimit: config.ledger.state.totalQueryLimit,
    mspId: opts.mspId ?? config.peer.localMspId,
    packages,
    launchers: defaultLaunchers(config, {
      inProcess,
      npmCache: opts.npmCache,
      npmOffline: opts.npmOffline,
      logger: opts.logger,
    }),
  });
  return { support, inProcess };
}
