// The sections of core.yaml after `peer:`; see types.ts for the conventions.
import type { Duration } from './types.js';

export interface VmConfig {
  /** Docker endpoint; empty disables Docker-built chaincode. */
  endpoint: string;
  docker: {
    tls: { enabled: boolean; ca: { file: string }; cert: { file: string }; key: { file: string } };
    attachStdout: boolean;
    /** Docker's HostConfig, passed through as written. */
    hostConfig: Record<string, unknown>;
  };
}

export interface ExternalBuilder {
  name: string;
  path: string;
  propagateEnvironment?: string[];
}

export interface ChaincodeConfig {
  id: { path: string; name: string };
  builder: string;
  pull: boolean;
  golang: { runtime: string; dynamicLink: boolean };
  java: { runtime: string };
  node: { runtime: string };
  externalBuilders: ExternalBuilder[];
  installTimeout: Duration;
  startuptimeout: Duration;
  executetimeout: Duration;
  mode: 'net' | 'dev';
  /** Written in seconds in core.yaml (`keepalive: 0` = off); milliseconds here. */
  keepalive: Duration;
  system: Record<string, 'enable' | 'disable'>;
  logging: { level: string; shim: string; format: string };
}

export interface CouchDbConfig {
  couchDBAddress: string;
  username: string;
  password: string;
  maxRetries: number;
  maxRetriesOnStartup: number;
  requestTimeout: Duration;
  internalQueryLimit: number;
  maxBatchUpdateSize: number;
  createGlobalChangesDB: boolean;
  /** Megabytes, as Fabric writes it. */
  cacheSize: number;
}

export interface LedgerConfig {
  /** Present in core.yaml but empty in every Fabric 2.x release. */
  blockchain: Record<string, unknown>;
  state: {
    stateDatabase: 'goleveldb' | 'CouchDB';
    totalQueryLimit: number;
    couchDBConfig: CouchDbConfig;
  };
  history: { enableHistoryDatabase: boolean };
  pvtdataStore: {
    collElgProcMaxDbBatchSize: number;
    /** Milliseconds (a plain number in core.yaml). */
    collElgProcDbBatchesInterval: number;
    deprioritizedDataReconcilerInterval: Duration;
    purgeInterval: number;
    purgedKeyAuditLogging: boolean;
  };
  snapshots: { rootDir: string };
}

export interface OperationsConfig {
  listenAddress: string;
  tls: {
    enabled: boolean;
    cert: { file: string };
    key: { file: string };
    clientAuthRequired: boolean;
    clientRootCAs: { files: string[] };
  };
}

export interface MetricsConfig {
  provider: 'prometheus' | 'statsd' | 'disabled';
  statsd: { network: 'udp' | 'tcp'; address: string; writeInterval: Duration; prefix: string };
}
