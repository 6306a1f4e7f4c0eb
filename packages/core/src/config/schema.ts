// Every core.yaml key the peer understands, its default (Fabric 2.5's sampleconfig, or Fabric's code
// where the yaml is silent) and its shape. Defaults, environment names, path resolution and
// validation are all derived from this one tree.
import {
  type Leaf,
  address,
  bool,
  duration,
  int,
  list,
  mapOf,
  objectList,
  oneOf,
  path,
  paths,
  ratio,
  record,
  seconds,
  size,
  str,
} from './leaf.js';
import type { AddressOverride, ExternalBuilder, HandlerConfig, PeerConfig } from './types.js';

// Tuple-wrapped so unions (`'net' | 'dev'`, boolean) stay one leaf instead of distributing.
type SchemaNode<V> = [V] extends [readonly unknown[]]
  ? Leaf<V>
  : [V] extends [object]
    ? string extends keyof V
      ? Leaf<V>
      : Schema<V>
    : Leaf<V>;

/** The schema mirrors PeerConfig key for key, so the compiler checks it is complete. */
export type Schema<T> = { [K in keyof T]-?: SchemaNode<T[K]> };

const handler = (value: unknown): HandlerConfig | undefined => {
  if (typeof value !== 'object' || value === null) return undefined;
  const { name, library } = value as Record<string, unknown>;
  if (typeof name !== 'string' || name === '') return undefined;
  return typeof library === 'string' && library !== '' ? { name, library } : { name };
};

// Fabric still honours the 1.4-era `environmentWhitelist` as propagateEnvironment.
const externalBuilder = (item: Record<string, unknown>): ExternalBuilder => {
  const { name, path: builderPath, propagateEnvironment, environmentWhitelist } = item;
  const builder: ExternalBuilder = { name: String(name), path: String(builderPath) };
  const env =
    Array.isArray(propagateEnvironment) && propagateEnvironment.length > 0
      ? propagateEnvironment
      : environmentWhitelist;
  if (Array.isArray(env)) builder.propagateEnvironment = env.map(String);
  return builder;
};

const DOCKER_NS = '$(DOCKER_NS)';
const TWO_DIGIT_VERSION = '$(TWO_DIGIT_VERSION)';

export const PEER_CONFIG_SCHEMA: Schema<PeerConfig> = {
  peer: {
    id: str('jdoe'),
    networkId: str('dev'),
    listenAddress: address('0.0.0.0:7051'),
    chaincodeListenAddress: address('', true),
    chaincodeAddress: address('', true),
    address: address('0.0.0.0:7051'),
    addressAutoDetect: bool(false),
    gateway: {
      enabled: bool(true),
      endorsementTimeout: duration('30s'),
      broadcastTimeout: duration('30s'),
      dialTimeout: duration('2m'),
    },
    keepalive: {
      interval: duration('7200s'),
      timeout: duration('20s'),
      minInterval: duration('60s'),
      client: { interval: duration('60s'), timeout: duration('20s') },
      deliveryClient: { interval: duration('60s'), timeout: duration('20s') },
    },
    gossip: {
      bootstrap: list(['127.0.0.1:7051']),
      useLeaderElection: bool(false),
      orgLeader: bool(true),
      membershipTrackerInterval: duration('5s'),
      endpoint: address('', true),
      maxBlockCountToStore: int(10),
      maxPropagationBurstLatency: duration('10ms'),
      maxPropagationBurstSize: int(10),
      propagateIterations: int(1),
      propagatePeerNum: int(3),
      pullInterval: duration('4s'),
      pullPeerNum: int(3),
      requestStateInfoInterval: duration('4s'),
      publishStateInfoInterval: duration('4s'),
      stateInfoRetentionInterval: duration('0'),
      publishCertPeriod: duration('10s'),
      skipBlockVerification: bool(false),
      dialTimeout: duration('3s'),
      connTimeout: duration('2s'),
      recvBuffSize: int(20),
      sendBuffSize: int(200),
      digestWaitTime: duration('1s'),
      requestWaitTime: duration('1500ms'),
      responseWaitTime: duration('2s'),
      aliveTimeInterval: duration('5s'),
      aliveExpirationTimeout: duration('25s'),
      reconnectInterval: duration('25s'),
      maxConnectionAttempts: int(120),
      msgExpirationFactor: int(20),
      externalEndpoint: address('', true),
      election: {
        startupGracePeriod: duration('15s'),
        membershipSampleInterval: duration('1s'),
        leaderAliveThreshold: duration('10s'),
        leaderElectionDuration: duration('5s'),
      },
      pvtData: {
        pullRetryThreshold: duration('60s'),
        transientstoreMaxBlockRetention: int(1000),
        pushAckTimeout: duration('3s'),
        btlPullMargin: int(10),
        reconcileBatchSize: int(10),
        reconcileSleepInterval: duration('1m'),
        reconciliationEnabled: bool(true),
        skipPullingInvalidTransactionsDuringCommit: bool(false),
        implicitCollectionDisseminationPolicy: { requiredPeerCount: int(0), maxPeerCount: int(1) },
      },
      state: {
        enabled: bool(false),
        checkInterval: duration('10s'),
        responseTimeout: duration('3s'),
        batchSize: int(10),
        blockBufferSize: int(20),
        maxRetries: int(3),
      },
    },
    tls: {
      enabled: bool(false),
      clientAuthRequired: bool(false),
      cert: { file: path('tls/server.crt') },
      key: { file: path('tls/server.key') },
      rootcert: { file: path('tls/ca.crt') },
      clientRootCAs: { files: paths(['tls/ca.crt']) },
      clientKey: { file: path() },
      clientCert: { file: path() },
    },
    authentication: { timewindow: duration('15m') },
    fileSystemPath: path('/var/hyperledger/production'),
    BCCSP: {
      Default: oneOf('SW', ['SW', 'PKCS11']),
      SW: { Hash: str('SHA2'), Security: int(256), FileKeyStore: { KeyStore: path() } },
      PKCS11: record({}),
    },
    mspConfigPath: path('msp'),
    localMspId: str('SampleOrg'),
    client: { connTimeout: duration('3s') },
    deliveryclient: {
      blockGossipEnabled: bool(true),
      reconnectTotalTimeThreshold: duration('3600s'),
      connTimeout: duration('3s'),
      reConnectBackoffThreshold: duration('3600s'),
      addressOverrides: objectList<AddressOverride>([], ['from', 'to']),
    },
    localMspType: oneOf('bccsp', ['bccsp', 'idemix']),
    profile: { enabled: bool(false), listenAddress: address('0.0.0.0:6060') },
    handlers: {
      authFilters: objectList<HandlerConfig>(
        [{ name: 'DefaultAuth' }, { name: 'ExpirationCheck' }],
        ['name'],
      ),
      decorators: objectList<HandlerConfig>([{ name: 'DefaultDecorator' }], ['name']),
      endorsers: mapOf(
        { escc: { name: 'DefaultEndorsement' } },
        'a mapping of name: {name, library}',
        handler,
      ),
      validators: mapOf(
        { vscc: { name: 'DefaultValidation' } },
        'a mapping of name: {name, library}',
        handler,
      ),
    },
    validatorPoolSize: int(0),
    discovery: {
      enabled: bool(true),
      authCacheEnabled: bool(true),
      authCacheMaxSize: int(1000),
      authCachePurgeRetentionRatio: ratio(0.75),
      orgMembersAllowedAccess: bool(false),
    },
    limits: {
      concurrency: { endorserService: int(2500), deliverService: int(2500), gatewayService: int(500) },
    },
    maxRecvMsgSize: size(104857600),
    maxSendMsgSize: size(104857600),
  },
  vm: {
    endpoint: str('unix:///var/run/docker.sock'),
    docker: {
      tls: {
        enabled: bool(false),
        ca: { file: path('docker/ca.crt') },
        cert: { file: path('docker/tls.crt') },
        key: { file: path('docker/tls.key') },
      },
      attachStdout: bool(false),
      hostConfig: record({
        NetworkMode: 'host',
        Dns: null,
        LogConfig: { Type: 'json-file', Config: { 'max-size': '50m', 'max-file': '5' } },
        Memory: 2147483648,
      }),
    },
  },
  chaincode: {
    id: { path: str(), name: str() },
    builder: str(`${DOCKER_NS}/fabric-ccenv:${TWO_DIGIT_VERSION}`),
    pull: bool(false),
    golang: { runtime: str(`${DOCKER_NS}/fabric-baseos:${TWO_DIGIT_VERSION}`), dynamicLink: bool(false) },
    java: { runtime: str(`${DOCKER_NS}/fabric-javaenv:${TWO_DIGIT_VERSION}`) },
    node: { runtime: str(`${DOCKER_NS}/fabric-nodeenv:${TWO_DIGIT_VERSION}`) },
    externalBuilders: objectList<ExternalBuilder>(
      [
        {
          name: 'ccaas_builder',
          path: '/opt/hyperledger/ccaas_builder',
          propagateEnvironment: ['CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG'],
        },
      ],
      ['name', 'path'],
      externalBuilder,
    ),
    installTimeout: duration('300s'),
    startuptimeout: duration('300s'),
    executetimeout: duration('30s'),
    mode: oneOf('net', ['net', 'dev']),
    keepalive: seconds(0),
    system: mapOf(
      { _lifecycle: 'enable', cscc: 'enable', lscc: 'enable', qscc: 'enable' },
      'a mapping of chaincode name: enable | disable',
      (v) => (v === 'enable' || v === 'disable' ? v : undefined),
    ),
    logging: {
      level: str('info'),
      shim: str('warning'),
      format: str(
        '%{color}%{time:2006-01-02 15:04:05.000 MST} [%{module}] %{shortfunc} -> %{level:.4s} %{id:03x}%{color:reset} %{message}',
      ),
    },
  },
  ledger: {
    blockchain: record({}),
    state: {
      stateDatabase: oneOf('goleveldb', ['goleveldb', 'CouchDB']),
      totalQueryLimit: int(100000),
      couchDBConfig: {
        couchDBAddress: address('127.0.0.1:5984'),
        username: str(),
        password: str(),
        maxRetries: int(3),
        maxRetriesOnStartup: int(10),
        requestTimeout: duration('35s'),
        internalQueryLimit: int(1000),
        maxBatchUpdateSize: int(1000),
        createGlobalChangesDB: bool(false),
        cacheSize: int(64),
      },
    },
    history: { enableHistoryDatabase: bool(true) },
    pvtdataStore: {
      collElgProcMaxDbBatchSize: int(5000),
      collElgProcDbBatchesInterval: int(1000),
      deprioritizedDataReconcilerInterval: duration('60m'),
      purgeInterval: int(100),
      purgedKeyAuditLogging: bool(true),
    },
    // Fabric reads this one with GetString (not GetPath) and, when empty, uses fileSystemPath/snapshots.
    snapshots: { rootDir: str('') },
  },
  operations: {
    listenAddress: address('127.0.0.1:9443'),
    tls: {
      enabled: bool(false),
      cert: { file: path() },
      key: { file: path() },
      clientAuthRequired: bool(false),
      clientRootCAs: { files: paths([]) },
    },
  },
  metrics: {
    provider: oneOf('disabled', ['prometheus', 'statsd', 'disabled']),
    statsd: {
      network: oneOf('udp', ['udp', 'tcp']),
      address: address('127.0.0.1:8125'),
      writeInterval: duration('10s'),
      prefix: str(),
    },
  },
};
