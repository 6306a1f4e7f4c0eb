import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { deriveAddresses, loadPeerConfig, resolvePeerConfig } from '../../src/config/index.js';
import { ConfigError, FabricPeerError } from '../../src/errors/index.js';

const NET = fileURLToPath(new URL('../../../../test/fixtures/fabric-2.5.12', import.meta.url));
const CFG = join(NET, 'config');
const CCAAS_BUILDER = '/opt/fabric/ccaas_builder';

/** The .env file as the shell that started the real peer saw it. */
function fixtureEnv(file: string): Record<string, string> {
  const env: Record<string, string> = { FABRIC_CFG_PATH: CFG };
  for (const line of readFileSync(join(CFG, file), 'utf8').split('\n')) {
    const m = /^([A-Z_0-9]+)=(.*)$/.exec(line.trim());
    if (m === null) continue;
    const value = (m[2] ?? '').replace(/^"(.*)"$/, '$1');
    env[m[1] ?? ''] = value.replaceAll('${NET}', NET).replaceAll('${CCAAS_BUILDER}', CCAAS_BUILDER);
  }
  return env;
}

const tmp = mkdtempSync(join(tmpdir(), 'fabric-peer-config-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function expectConfigError(fn: () => unknown, key: string, message?: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    assert.equal(err.key, key);
    if (message) assert.match(err.message, message);
    return true;
  });
}

describe('loadPeerConfig with the Fabric 2.5.12 fixture', () => {
  it('reproduces what peer0.org1 ran with', () => {
    const { config, configFile, envKeys } = loadPeerConfig({ env: fixtureEnv('peer0.org1.env'), cwd: tmp });
    const peerDir = join(NET, 'crypto/peerOrganizations/org1.example.com/peers/peer0.org1.example.com');
    assert.equal(configFile, join(CFG, 'core.yaml'));
    assert.equal(config.peer.id, 'peer0.org1.example.com');
    assert.equal(config.peer.networkId, 'dev');
    assert.equal(config.peer.listenAddress, '127.0.0.1:28151');
    assert.equal(config.peer.address, '127.0.0.1:28151');
    assert.equal(config.peer.chaincodeListenAddress, '127.0.0.1:28152');
    assert.equal(config.peer.chaincodeAddress, '127.0.0.1:28152');
    assert.deepEqual(config.peer.gossip.bootstrap, ['127.0.0.1:28151']);
    assert.equal(config.peer.gossip.externalEndpoint, '127.0.0.1:28151');
    assert.equal(config.peer.localMspId, 'Org1MSP');
    assert.equal(config.peer.mspConfigPath, join(peerDir, 'msp'));
    assert.equal(config.peer.tls.enabled, true);
    assert.equal(config.peer.tls.cert.file, join(peerDir, 'tls/server.crt'));
    assert.equal(config.peer.tls.key.file, join(peerDir, 'tls/server.key'));
    assert.equal(config.peer.tls.rootcert.file, join(peerDir, 'tls/ca.crt'));
    // Not overridden: the yaml's relative path, taken from the config folder as config.GetPath does.
    assert.deepEqual(config.peer.tls.clientRootCAs.files, [join(CFG, 'tls/ca.crt')]);
    assert.equal(config.peer.fileSystemPath, join(NET, 'data/peer0.org1'));
    assert.equal(config.ledger.snapshots.rootDir, join(NET, 'data/peer0.org1/snapshots'));
    assert.equal(config.operations.listenAddress, '127.0.0.1:28453');
    assert.equal(config.metrics.provider, 'disabled');
    assert.equal(config.chaincode.executetimeout, 30_000);
    assert.deepEqual(config.chaincode.externalBuilders, [{ name: 'ccaas_builder', path: CCAAS_BUILDER }]);
    assert.equal(config.vm.endpoint, '');
    assert.ok(envKeys.includes('peer.tls.enabled'));
  });

  it('keeps core.yaml values and types where nothing overrides them', () => {
    const { config, unknownKeys } = loadPeerConfig({ env: { FABRIC_CFG_PATH: CFG }, cwd: tmp });
    assert.deepEqual(unknownKeys, [], 'the schema knows every key of Fabric 2.5.12 core.yaml');
    assert.equal(config.peer.id, 'jdoe');
    assert.equal(config.peer.localMspId, 'SampleOrg');
    assert.equal(config.peer.mspConfigPath, join(CFG, 'msp'));
    assert.equal(config.peer.keepalive.interval, 7_200_000);
    assert.equal(config.peer.gateway.dialTimeout, 120_000);
    assert.equal(config.peer.gossip.requestWaitTime, 1500);
    assert.equal(config.peer.gossip.maxPropagationBurstLatency, 10);
    assert.equal(config.peer.authentication.timewindow, 15 * 60_000);
    assert.equal(config.peer.maxRecvMsgSize, 104_857_600);
    assert.ok(config.peer.validatorPoolSize >= 1, 'empty validatorPoolSize means the CPU count');
    assert.deepEqual(config.peer.handlers.authFilters, [
      { name: 'DefaultAuth' },
      { name: 'ExpirationCheck' },
    ]);
    assert.deepEqual(config.peer.handlers.endorsers, { escc: { name: 'DefaultEndorsement' } });
    assert.equal(config.chaincode.keepalive, 0);
    assert.equal(config.chaincode.system.cscc, 'enable');
    assert.equal(config.ledger.state.stateDatabase, 'goleveldb');
    assert.equal(config.ledger.pvtdataStore.deprioritizedDataReconcilerInterval, 3_600_000);
    assert.equal(config.operations.listenAddress, '127.0.0.1:9443');
    assert.deepEqual(config.operations.tls.clientRootCAs.files, []);
    assert.equal(config.vm.docker.hostConfig.NetworkMode, 'host');
  });
});

describe('defaults', () => {
  it("are Fabric 2.5.12's sampleconfig core.yaml, key for key", () => {
    const fromFile = loadPeerConfig({ env: { FABRIC_CFG_PATH: CFG }, cwd: tmp }).config;
    const defaults = resolvePeerConfig({}, { baseDir: CFG });
    // The fixture's only edit to sampleconfig is vm.endpoint; its PKCS11 block is all empty values.
    assert.equal(defaults.vm.endpoint, 'unix:///var/run/docker.sock');
    assert.deepEqual(defaults.peer.BCCSP.PKCS11, {});
    assert.ok(Object.values(fromFile.peer.BCCSP.PKCS11).every((v) => v === null));
    fromFile.vm.endpoint = defaults.vm.endpoint;
    fromFile.peer.BCCSP.PKCS11 = {};
    assert.deepEqual(defaults, fromFile);
  });
});

describe('CORE_* environment overrides', () => {
  const load = (env: Record<string, string>): ReturnType<typeof loadPeerConfig>['config'] =>
    loadPeerConfig({ env: { FABRIC_CFG_PATH: CFG, ...env }, cwd: tmp }).config;

  it('converts to each key type', () => {
    const config = load({
      CORE_PEER_ADDRESSAUTODETECT: 'true',
      CORE_PEER_TLS_ENABLED: 'TRUE',
      CORE_PEER_TLS_CLIENTAUTHREQUIRED: '1',
      CORE_PEER_GOSSIP_USELEADERELECTION: 'true',
      CORE_PEER_GOSSIP_ORGLEADER: 'false',
      CORE_PEER_LIMITS_CONCURRENCY_ENDORSERSERVICE: '100',
      CORE_PEER_DISCOVERY_AUTHCACHEPURGERETENTIONRATIO: '0.5',
      CORE_PEER_GATEWAY_ENDORSEMENTTIMEOUT: '1m30s',
      CORE_PEER_KEEPALIVE_CLIENT_TIMEOUT: '300ms',
      CORE_PEER_MAXRECVMSGSIZE: '10 MB',
      CORE_PEER_TLS_CLIENTROOTCAS_FILES: '/a/ca.crt /b/ca.crt,rel/ca.crt',
      CORE_PEER_GOSSIP_BOOTSTRAP: '127.0.0.1:7051 127.0.0.1:8051',
      CORE_LEDGER_STATE_STATEDATABASE: 'couchdb',
      CORE_CHAINCODE_KEEPALIVE: '30',
      CORE_CHAINCODE_SYSTEM_LSCC: 'disable',
      CORE_VM_DOCKER_HOSTCONFIG_NETWORKMODE: 'bridge',
      CORE_VM_DOCKER_HOSTCONFIG_MEMORY: '1024',
      CORE_PEER_DELIVERYCLIENT_ADDRESSOVERRIDES: '[{from: o1:7050, to: o2:7050, caCertsFile: /ca.pem}]',
      CORE_PEER_LOCALMSPID: '',
    });
    assert.equal(config.peer.addressAutoDetect, true);
    assert.equal(config.peer.tls.enabled, true);
    assert.equal(config.peer.tls.clientAuthRequired, true);
    assert.equal(config.peer.gossip.useLeaderElection, true);
    assert.equal(config.peer.limits.concurrency.endorserService, 100);
    assert.equal(config.peer.discovery.authCachePurgeRetentionRatio, 0.5);
    assert.equal(config.peer.gateway.endorsementTimeout, 90_000);
    assert.equal(config.peer.keepalive.client.timeout, 300);
    assert.equal(config.peer.maxRecvMsgSize, 10 * 1024 * 1024);
    assert.deepEqual(config.peer.tls.clientRootCAs.files, [
      '/a/ca.crt',
      '/b/ca.crt',
      join(CFG, 'rel/ca.crt'),
    ]);
    assert.deepEqual(config.peer.gossip.bootstrap, ['127.0.0.1:7051', '127.0.0.1:8051']);
    assert.equal(config.ledger.state.stateDatabase, 'CouchDB');
    assert.equal(config.chaincode.keepalive, 30_000);
    assert.equal(config.chaincode.system.lscc, 'disable');
    assert.equal(config.vm.docker.hostConfig.NetworkMode, 'bridge');
    assert.equal(config.vm.docker.hostConfig.Memory, 1024);
    assert.deepEqual(config.peer.deliveryclient.addressOverrides, [
      { from: 'o1:7050', to: 'o2:7050', caCertsFile: '/ca.pem' },
    ]);
    assert.equal(config.peer.localMspId, 'SampleOrg', 'an empty variable is ignored, as viper does');
  });

  it('names the key and the variable on a bad value', () => {
    expectConfigError(
      () => load({ CORE_PEER_LISTENADDRESS: 'abc' }),
      'peer.listenAddress',
      /^peer\.listenAddress: expected host:port, got "abc" \(from CORE_PEER_LISTENADDRESS\)$/,
    );
    expectConfigError(() => load({ CORE_PEER_TLS_ENABLED: 'yes' }), 'peer.tls.enabled', /expected a boolean/);
    expectConfigError(
      () => load({ CORE_CHAINCODE_EXECUTETIMEOUT: '30 seconds' }),
      'chaincode.executetimeout',
    );
    expectConfigError(() => load({ CORE_PEER_VALIDATORPOOLSIZE: '-1' }), 'peer.validatorPoolSize');
    expectConfigError(
      () => load({ CORE_METRICS_PROVIDER: 'datadog' }),
      'metrics.provider',
      /prometheus, statsd/,
    );
    expectConfigError(
      () => load({ CORE_CHAINCODE_EXTERNALBUILDERS: '[{name: x}]' }),
      'chaincode.externalBuilders',
    );
  });

  it('reads external builders given as YAML text, honouring environmentWhitelist', () => {
    const env = { CORE_CHAINCODE_EXTERNALBUILDERS: '[{name: b, path: /b, environmentWhitelist: [GOPROXY]}]' };
    assert.deepEqual(load(env).chaincode.externalBuilders, [
      { name: 'b', path: '/b', propagateEnvironment: ['GOPROXY'] },
    ]);
  });
});

describe('config files', () => {
  it('matches yaml keys case-insensitively and resolves relative paths against the file', () => {
    const dir = join(tmp, 'ci');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'core.yaml'),
      [
        'PEER:',
        '  ListenAddress: 127.0.0.1:1234',
        '  mspconfigpath: crypto/msp',
        '  bccsp: { default: PKCS11 }',
        '  fileSystemPath: ./data',
        '  someFutureKey: 1',
        'ledger:',
        '  snapshots: { rootDir: /abs/snapshots }',
      ].join('\n'),
    );
    const { config, unknownKeys } = loadPeerConfig({ env: {}, cwd: dir });
    assert.equal(config.peer.listenAddress, '127.0.0.1:1234');
    assert.equal(config.peer.mspConfigPath, join(dir, 'crypto/msp'));
    assert.equal(config.peer.BCCSP.Default, 'PKCS11');
    assert.equal(config.peer.fileSystemPath, join(dir, 'data'));
    assert.equal(config.ledger.snapshots.rootDir, '/abs/snapshots');
    assert.deepEqual(unknownKeys, ['peer.someFutureKey']);
  });

  it('reports bad yaml values with the key and the file', () => {
    const dir = join(tmp, 'bad');
    mkdirSync(dir);
    writeFileSync(join(dir, 'core.yaml'), 'operations:\n  listenAddress: 9443\n');
    expectConfigError(
      () => loadPeerConfig({ env: { FABRIC_CFG_PATH: dir } }),
      'operations.listenAddress',
      /in .*core\.yaml/,
    );
  });

  it('follows Fabric search rules', () => {
    const missing = join(tmp, 'nope');
    assert.throws(
      () => loadPeerConfig({ env: { FABRIC_CFG_PATH: missing } }),
      (err: unknown) => FabricPeerError.is(err) && err.code === 'CONFIG_CFG_PATH_MISSING',
    );
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    assert.throws(
      () => loadPeerConfig({ env: { FABRIC_CFG_PATH: empty } }),
      (err: unknown) => FabricPeerError.is(err) && err.code === 'CONFIG_FILE_NOT_FOUND',
    );
  });
});

describe('resolvePeerConfig', () => {
  it('merges a typed partial deeply over Fabric defaults', () => {
    const config = resolvePeerConfig(
      {
        peer: {
          listenAddress: '127.0.0.1:0',
          tls: { enabled: true, cert: { file: 'server.crt' }, key: { file: '/k' } },
        },
        chaincode: { executetimeout: 5000, startuptimeout: '1m' as unknown as number },
      },
      { baseDir: '/etc/peer' },
    );
    assert.equal(config.peer.listenAddress, '127.0.0.1:0');
    assert.equal(config.peer.address, '0.0.0.0:7051');
    assert.equal(config.peer.tls.clientAuthRequired, false);
    assert.equal(config.peer.tls.cert.file, resolve('/etc/peer', 'server.crt'));
    assert.equal(config.peer.tls.key.file, '/k');
    assert.equal(config.chaincode.executetimeout, 5000);
    assert.equal(config.chaincode.startuptimeout, 60_000);
    assert.equal(config.chaincode.installTimeout, 300_000);
    assert.equal(config.operations.listenAddress, '127.0.0.1:9443');
    assert.equal(config.ledger.snapshots.rootDir, '/var/hyperledger/production/snapshots');
    assert.equal(
      resolvePeerConfig({ peer: { fileSystemPath: '/data/peer0' } }).ledger.snapshots.rootDir,
      '/data/peer0/snapshots',
      'an unset snapshots root follows fileSystemPath, as in Fabric',
    );
    // The result is a fresh object each time.
    config.peer.gossip.bootstrap.push('x:1');
    assert.deepEqual(resolvePeerConfig().peer.gossip.bootstrap, ['127.0.0.1:7051']);
  });

  it('rejects wrong values and unknown keys with a ConfigError naming the key', () => {
    expectConfigError(
      () => resolvePeerConfig({ peer: { listenAddress: 'abc' } }),
      'peer.listenAddress',
      /^peer\.listenAddress: expected host:port, got "abc"$/,
    );
    expectConfigError(
      () => resolvePeerConfig({ peer: { gateway: { dialTimeout: -5 } } }),
      'peer.gateway.dialTimeout',
    );
    expectConfigError(
      () => resolvePeerConfig({ peer: { listenAdress: '1:1' } as never }),
      'peer.listenAdress',
      /^peer\.listenAdress: expected a known key \(did you mean peer\.listenAddress\?\), got an unknown key$/,
    );
    expectConfigError(
      () => resolvePeerConfig({ peer: { tls: { enabled: true, cert: { file: '' } } } }),
      'peer.tls.cert.file',
    );
    expectConfigError(
      () => resolvePeerConfig({ peer: { tls: { clientCert: { file: '/c' } } } }),
      'peer.tls.clientKey.file',
    );
    expectConfigError(
      () => resolvePeerConfig({ operations: { tls: { enabled: true } } }),
      'operations.tls.cert.file',
    );
  });
});

describe('pass-through mappings', () => {
  it('a typed partial adds to them, a file replaces them', () => {
    const config = resolvePeerConfig({
      chaincode: { system: { cscc: 'disable' } },
      vm: { docker: { hostConfig: { NetworkMode: 'bridge' } } },
    });
    assert.deepEqual(config.chaincode.system, {
      _lifecycle: 'enable',
      cscc: 'disable',
      lscc: 'enable',
      qscc: 'enable',
    });
    assert.equal(config.vm.docker.hostConfig.NetworkMode, 'bridge');
    assert.equal(config.vm.docker.hostConfig.Memory, 2147483648);
    expectConfigError(
      () => resolvePeerConfig({ chaincode: { system: { cscc: 'off' as 'disable' } } }),
      'chaincode.system',
    );

    const dir = join(tmp, 'system');
    mkdirSync(dir);
    writeFileSync(join(dir, 'core.yaml'), 'chaincode:\n  system:\n    qscc: enable\n');
    assert.deepEqual(loadPeerConfig({ env: { FABRIC_CFG_PATH: dir } }).config.chaincode.system, {
      qscc: 'enable',
    });
  });
});

describe('deriveAddresses', () => {
  const ip = (): string => '10.1.2.3';
  it('follows Fabric: wildcard peer host -> local IP, chaincode port 7052', () => {
    assert.deepEqual(deriveAddresses(resolvePeerConfig(), ip), {
      peerAddress: '10.1.2.3:7051',
      chaincodeListenAddress: '10.1.2.3:7052',
      chaincodeEndpoint: '10.1.2.3:7052',
    });
  });

  it('keeps explicit addresses and maps a wildcard chaincode listener to the peer host', () => {
    const fixture = loadPeerConfig({ env: fixtureEnv('peer0.org1.env'), cwd: tmp }).config;
    assert.deepEqual(deriveAddresses(fixture, ip), {
      peerAddress: '127.0.0.1:28151',
      chaincodeListenAddress: '127.0.0.1:28152',
      chaincodeEndpoint: '127.0.0.1:28152',
    });
    const wildcard = resolvePeerConfig({
      peer: { address: 'peer0.org1.example.com:7051', chaincodeListenAddress: '0.0.0.0:9999' },
    });
    assert.equal(deriveAddresses(wildcard, ip).chaincodeEndpoint, 'peer0.org1.example.com:9999');
    const auto = resolvePeerConfig({ peer: { address: 'peer0:7051', addressAutoDetect: true } });
    assert.equal(deriveAddresses(auto, ip).peerAddress, '10.1.2.3:7051');
    expectConfigError(
      () => deriveAddresses(resolvePeerConfig({ peer: { chaincodeAddress: '0.0.0.0:7052' } }), ip),
      'peer.chaincodeAddress',
    );
  });
});

describe('loadPeerConfig without a file', () => {
  it('fails like the Go peer, or carries on with defaults when the file is optional', () => {
    const dir = join(tmp, 'nofile');
    mkdirSync(dir);
    assert.throws(
      () => loadPeerConfig({ env: {}, cwd: dir }),
      (err: unknown) => FabricPeerError.is(err) && err.code === 'CONFIG_FILE_NOT_FOUND',
    );
    const loaded = loadPeerConfig({
      env: { CORE_PEER_ID: 'dev-peer' },
      cwd: dir,
      fileOptional: true,
      overrides: { peer: { listenAddress: '127.0.0.1:0' } },
    });
    assert.equal(loaded.configFile, undefined);
    assert.equal(loaded.config.peer.id, 'dev-peer');
    assert.equal(loaded.config.peer.listenAddress, '127.0.0.1:0');
    assert.equal(loaded.config.peer.mspConfigPath, join(dir, 'msp'));
  });

  it('reports a file that is not YAML', () => {
    const dir = join(tmp, 'notyaml');
    mkdirSync(dir);
    writeFileSync(join(dir, 'core.yaml'), 'peer: [unclosed\n');
    assert.throws(
      () => loadPeerConfig({ env: { FABRIC_CFG_PATH: dir } }),
      (err: unknown) => FabricPeerError.is(err) && err.code === 'CONFIG_PARSE_FAILED',
    );
  });
});
