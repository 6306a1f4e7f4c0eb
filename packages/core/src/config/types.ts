// The peer's configuration as core.yaml spells it. Property names mirror the yaml keys (Fabric's own
// spellings, `startuptimeout` and `BCCSP` included), so a key path in Fabric's docs is a property path
// here. Durations are milliseconds, sizes are bytes, paths are absolute once loaded from a file.
import type {
  ChaincodeConfig,
  LedgerConfig,
  MetricsConfig,
  OperationsConfig,
  VmConfig,
} from './types-sections.js';

export type * from './types-sections.js';

/** Milliseconds, parsed from Go durations such as "30s", "15m", "300ms". */
export type Duration = number;

export interface PeerConfig {
  peer: PeerSection;
  vm: VmConfig;
  chaincode: ChaincodeConfig;
  ledger: LedgerConfig;
  operations: OperationsConfig;
  metrics: MetricsConfig;
}

export interface PeerSection {
  id: string;
  networkId: string;
  /** host:port the gRPC server binds. */
  listenAddress: string;
  /** host:port for chaincode connections; empty means Fabric's derived default (peer host, port 7052). */
  chaincodeListenAddress: string;
  /** host:port chaincode dials; empty means chaincodeListenAddress. */
  chaincodeAddress: string;
  /** host:port other peers of the org (and the CLI) use to reach this peer. */
  address: string;
  addressAutoDetect: boolean;
  gateway: {
    enabled: boolean;
    endorsementTimeout: Duration;
    broadcastTimeout: Duration;
    dialTimeout: Duration;
  };
  keepalive: {
    interval: Duration;
    timeout: Duration;
    minInterval: Duration;
    client: { interval: Duration; timeout: Duration };
    deliveryClient: { interval: Duration; timeout: Duration };
  };
  gossip: GossipConfig;
  tls: PeerTlsConfig;
  authentication: { timewindow: Duration };
  fileSystemPath: string;
  BCCSP: BccspConfig;
  mspConfigPath: string;
  localMspId: string;
  client: { connTimeout: Duration };
  deliveryclient: {
    blockGossipEnabled: boolean;
    reconnectTotalTimeThreshold: Duration;
    connTimeout: Duration;
    reConnectBackoffThreshold: Duration;
    addressOverrides: AddressOverride[];
  };
  localMspType: 'bccsp' | 'idemix';
  profile: { enabled: boolean; listenAddress: string };
  handlers: HandlersConfig;
  /** Parallel validation workers; Fabric uses the CPU count when the yaml leaves it empty. */
  validatorPoolSize: number;
  discovery: {
    enabled: boolean;
    authCacheEnabled: boolean;
    authCacheMaxSize: number;
    authCachePurgeRetentionRatio: number;
    orgMembersAllowedAccess: boolean;
  };
  limits: {
    concurrency: { endorserService: number; deliverService: number; gatewayService: number };
  };
  /** Bytes. */
  maxRecvMsgSize: number;
  /** Bytes. */
  maxSendMsgSize: number;
}

export interface PeerTlsConfig {
  enabled: boolean;
  clientAuthRequired: boolean;
  cert: { file: string };
  key: { file: string };
  rootcert: { file: string };
  clientRootCAs: { files: string[] };
  clientKey: { file: string };
  clientCert: { file: string };
}

export interface AddressOverride {
  from: string;
  to: string;
  caCertsFile: string;
}

export interface BccspConfig {
  Default: 'SW' | 'PKCS11';
  SW: { Hash: string; Security: number; FileKeyStore: { KeyStore: string } };
  /** Only meaningful for HSM builds; kept as written. */
  PKCS11: Record<string, unknown>;
}

export interface HandlerConfig {
  name: string;
  library?: string;
}

export interface HandlersConfig {
  authFilters: HandlerConfig[];
  decorators: HandlerConfig[];
  endorsers: Record<string, HandlerConfig>;
  validators: Record<string, HandlerConfig>;
}

export interface GossipConfig {
  /** Fabric reads this as a list (space separated in the environment). */
  bootstrap: string[];
  useLeaderElection: boolean;
  orgLeader: boolean;
  membershipTrackerInterval: Duration;
  endpoint: string;
  maxBlockCountToStore: number;
  maxPropagationBurstLatency: Duration;
  maxPropagationBurstSize: number;
  propagateIterations: number;
  propagatePeerNum: number;
  pullInterval: Duration;
  pullPeerNum: number;
  requestStateInfoInterval: Duration;
  publishStateInfoInterval: Duration;
  /** 0 means Fabric's derived default. */
  stateInfoRetentionInterval: Duration;
  publishCertPeriod: Duration;
  skipBlockVerification: boolean;
  dialTimeout: Duration;
  connTimeout: Duration;
  recvBuffSize: number;
  sendBuffSize: number;
  digestWaitTime: Duration;
  requestWaitTime: Duration;
  responseWaitTime: Duration;
  aliveTimeInterval: Duration;
  aliveExpirationTimeout: Duration;
  reconnectInterval: Duration;
  maxConnectionAttempts: number;
  msgExpirationFactor: number;
  externalEndpoint: string;
  election: {
    startupGracePeriod: Duration;
    membershipSampleInterval: Duration;
    leaderAliveThreshold: Duration;
    leaderElectionDuration: Duration;
  };
  pvtData: {
    pullRetryThreshold: Duration;
    transientstoreMaxBlockRetention: number;
    pushAckTimeout: Duration;
    btlPullMargin: number;
    reconcileBatchSize: number;
    reconcileSleepInterval: Duration;
    reconciliationEnabled: boolean;
    skipPullingInvalidTransactionsDuringCommit: boolean;
    implicitCollectionDisseminationPolicy: { requiredPeerCount: number; maxPeerCount: number };
  };
  state: {
    enabled: boolean;
    checkInterval: Duration;
    responseTimeout: Duration;
    batchSize: number;
    blockBufferSize: number;
    maxRetries: number;
  };
}

type DeepPartialValue<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? string extends keyof T
      ? T
      : DeepPartial<T>
    : T;

/** What `resolvePeerConfig` accepts: any subset of PeerConfig, at any depth. */
export type DeepPartial<T> = { [K in keyof T]?: DeepPartialValue<T[K]> };

export type PartialPeerConfig = DeepPartial<PeerConfig>;
