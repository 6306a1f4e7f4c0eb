// One launch (Fabric's RuntimeLauncher.Launch): ask the launchers in order, then either wait for the
// started program to REGISTER on the listener, or dial the chaincode server and run the handler on
// that stream. The launch fails on `chaincode.startuptimeout`, on an error, or when the program
// exits before registering; whatever was started for a failed launch is stopped.
import { type Logger } from '../logging/index.js';
import { dialChaincode } from './connection.js';
import { messageOf } from './errors.js';
import { type ChaincodeStream, type Handler } from './handler.js';
import {
  type Launcher,
  type LaunchOutcome,
  type LaunchRequest,
  type PeerConnectionInfo,
} from './launcher.js';
import { type ChaincodePackage } from './package.js';
import { type ChaincodeMetrics } from './metrics.js';
import { type LaunchState } from './registry.js';

export interface LaunchDeps {
  launchers: readonly Launcher[];
  devMode: boolean;
  startupTimeoutMs: number;
  logger: Logger;
  getLogger?: ((name: string) => Logger) | undefined;
  /** The installed package of `packageId` (lifecycle or legacy), undefined when there is none. */
  loadPackage(packageId: string): Promise<ChaincodePackage | undefined>;
  peerConnection(packageId: string): Promise<PeerConnectionInfo>;
  handleStream(stream: ChaincodeStream): Handler;
  stopOutcome(outcome: LaunchOutcome): Promise<void>;
  metrics?: ChaincodeMetrics | undefined;
}

/** An error marking a start-up timeout (ChaincodeSupport turns it into LAUNCH_TIMEOUT). */
export class LaunchTimeout extends Error {}

export function startLaunch(state: LaunchState, deps: LaunchDeps): void {
  const { packageId } = state;
  const timer = setTimeout(
    () =>
      state.fail(new LaunchTimeout(`timeout expired while starting chaincode ${packageId} for transaction`)),
    deps.startupTimeoutMs,
  );
  const started = performance.now();
  const seconds = (): number => (performance.now() - started) / 1000;
  void state.done.then(
    () => {
      clearTimeout(timer);
      deps.metrics?.launched(packageId, seconds(), 'ok');
    },
    (err: unknown) => {
      clearTimeout(timer);
      deps.metrics?.launched(packageId, seconds(), err instanceof LaunchTimeout ? 'timeout' : 'failed');
      if (state.outcome) void deps.stopOutcome(state.outcome);
    },
  );
  runLaunchers(state, deps).catch((err: unknown) => {
    deps.logger.error('chaincode launch failed', { chaincode: packageId, error: messageOf(err) });
    state.fail(err instanceof Error ? err : new Error(String(err)));
  });
}

async function runLaunchers(state: LaunchState, deps: LaunchDeps): Promise<void> {
  const { packageId } = state;
  let pkg: Promise<ChaincodePackage | undefined> | undefined;
  const loadPackage = (): Promise<ChaincodePackage | undefined> => (pkg ??= deps.loadPackage(packageId));
  const name = packageId.split(':')[0] ?? packageId;
  const req: LaunchRequest = {
    packageId,
    loadPackage,
    peerConnection: () => deps.peerConnection(packageId),
    logger: deps.getLogger?.(`chaincode.${name}`) ?? deps.logger,
    signal: state.abort.signal,
  };
  let outcome: LaunchOutcome | undefined;
  for (const launcher of deps.launchers) {
    if (deps.devMode && launcher.launchesInDevMode?.(packageId) !== true) continue;
    outcome = await launcher.launch(req);
    if (outcome) {
      deps.logger.info('chaincode launched', { chaincode: packageId, launcher: launcher.name });
      break;
    }
  }
  if (!outcome) {
    const p = await loadPackage();
    throw new Error(
      p
        ? `no launcher for chaincode package type '${p.metadata.type}' (supported: ccaas, node, external builders, in-process)`
        : `chaincode ${packageId} is not installed on this peer`,
    );
  }
  state.outcome = outcome;
  if (state.isSettled) return void deps.stopOutcome(outcome);
  if (outcome.kind === 'process') {
    void outcome.exited.then((code) =>
      state.fail(new Error(`chaincode process exited with ${String(code)} before registering`)),
    );
    return;
  }
  const conn = await dialChaincode(outcome.connection);
  if (state.isSettled) return conn.close();
  const handler = deps.handleStream(conn.stream);
  handler.ready.catch((err: Error) =>
    state.fail(new Error(`connection to ${packageId} failed: ${err.message}`)),
  );
  // A server that never registers in time: the stream is dropped with the launch.
  state.done.catch(() => handler.close());
}

export async function stopOutcome(outcome: LaunchOutcome, logger: Logger): Promise<void> {
  try {
    await outcome.stop?.();
  } catch (err) {
    logger.warn('could not stop chaincode', { error: messageOf(err) });
  }
}
