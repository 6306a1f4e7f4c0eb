// What a launcher is (Fabric's container.Runtime, split by how chaincode is reached). Two models:
//  - 'server': the chaincode is a gRPC server (chaincode-as-a-service, in-process, an external
//    builder whose release wrote chaincode/server/connection.json); the peer dials Chaincode/Connect;
//  - 'process': the peer starts a program that dials the peer's chaincode listener and REGISTERs.
// ChaincodeSupport asks its launchers in order; the first that claims the package launches it.
import { type Logger } from '../logging/index.js';
import { type ChaincodePackage } from './package.js';

/** How to reach a chaincode server (connection.json of a ccaas package, parsed). */
export interface ChaincodeServerInfo {
  /** host:port, or unix:/path for a local socket. */
  address: string;
  dialTimeoutMs: number;
  tls?:
    | {
        /** PEM of the CA that issued the chaincode server's certificate. */
        rootCertPem: string;
        /** Client certificate and key (PEM) when the server requires client auth. */
        clientCertPem?: string | undefined;
        clientKeyPem?: string | undefined;
      }
    | undefined;
}

/** What a launched program needs to dial back and register. */
export interface PeerConnectionInfo {
  /** host:port of the peer's chaincode listener. */
  peerAddress: string;
  /** Set when the listener runs TLS: its root, and the client pair issued to this chaincode. */
  tls?: { rootCertPem: string; clientCertPem: string; clientKeyPem: string } | undefined;
  mspId: string;
}

export interface LaunchRequest {
  /** The id the chaincode must register with. */
  packageId: string;
  /** Loads the installed package (undefined when it is not installed); cached by the caller. */
  loadPackage(): Promise<ChaincodePackage | undefined>;
  /** The listener's address and a fresh TLS client pair; only 'process' launches ask for it. */
  peerConnection(): Promise<PeerConnectionInfo>;
  /** `chaincode.<name>`: where the chaincode's own output goes. */
  logger: Logger;
  /** Aborted when the launch is abandoned (start-up timeout, close). */
  signal: AbortSignal;
}

export interface ServerLaunch {
  kind: 'server';
  connection: ChaincodeServerInfo;
  /** Stops what the launcher started for this server, if anything. */
  stop?(): Promise<void>;
}

export interface ProcessLaunch {
  kind: 'process';
  /** Resolves with the exit code (or signal name) when the program ends. */
  exited: Promise<number | string | null>;
  stop(): Promise<void>;
}

export type LaunchOutcome = ServerLaunch | ProcessLaunch;

export interface Launcher {
  /** For logs: "ccaas", "node", "in-process", "external". */
  readonly name: string;
  /**
   * Development mode leaves starting chaincode to the user, except chaincode the peer was handed as
   * code (in-process), which nobody else could start: a launcher that runs `packageId` even then
   * says so here. Absent = never in development mode.
   */
  launchesInDevMode?(packageId: string): boolean;
  /** Launches the chaincode, or resolves undefined when this launcher does not claim it. */
  launch(req: LaunchRequest): Promise<LaunchOutcome | undefined>;
  /** Releases whatever the launcher keeps across launches. */
  close?(): Promise<void>;
}

/** Go's time.ParseDuration for the forms connection.json uses ("10s", "500ms", "1m30s"). */
export function parseDurationMs(s: string | number | undefined, fallbackMs: number): number {
  if (typeof s === 'number') return s;
  if (s === undefined || s === '') return fallbackMs;
  const unit: Record<string, number> = {
    ns: 1e-6,
    us: 1e-3,
    µs: 1e-3,
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
  };
  let total = 0;
  let rest = s.trim();
  while (rest.length > 0) {
    const m = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/.exec(rest);
    if (!m) return fallbackMs;
    total += Number(m[1]) * unit[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return total;
}
