// The legacy lifecycle end to end, as on a Fabric 1.4-style channel (no V2_0 application capability):
// a real peer (createPeer) and the embedded orderer, driven the way `peer chaincode install |
// instantiate | invoke | query | upgrade` drive them (the client library the CLI runs on). The
// chaincode is a Node package of the real fabric-shim: installed as a ChaincodeDeploymentSpec, its
// Init run by the deploy, then invoked and queried (ordered, validated, committed), then upgraded to a
// new version whose Init runs and which answers from then on - also after the peer restarts on its folder.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PrivateKey, SigningIdentity } from '@fabric-peer/msp';
import { common, protos } from '@fabric-peer/protos';
import {
  OrdererClient,
  PeerClient,
  legacyDeploy,
  legacyInstall,
  legacyList,
  invokeChaincode,
  queryChaincode,
} from '../../src/client/index.js';
import { configFromBlock, genesisBlockFromConfig } from '../../src/configtx/index.js';
import { type DevNetwork, ensureDevNetwork } from '../../src/devnet/index.js';
import { EmbeddedOrderer } from '../../src/orderer/index.js';
import { createPeer, LoggingSystem, type Peer } from '../../src/index.js';
import { SHIM_DIR } from '../chaincode/helpers.js';

const CHANNEL = 'legacych';
const s = (x: string): Buffer => Buffer.from(x);
const text = (b: Uint8Array): string => Buffer.from(b).toString('utf8');

/** A Fabric 1.x-style chaincode on the plain fabric-shim: Init stores its arguments, Invoke put/get/version. */
const chaincodeSource = (version: string): string => `'use strict';
const shim = require('fabric-shim');
const VERSION = ${JSON.stringify(version)};
class Legacy {
  async Init(stub) {
    const { params } = stub.getFunctionAndParameters();
    if (params.length !== 2) return shim.error('Init wants a key and a value, got ' + params.length);
    await stub.putState(params[0], Buffer.from(params[1]));
    await stub.putState('initialized-by', Buffer.from(VERSION));
    return shim.success(Buffer.from('init ' + VERSION));
  }
  async Invoke(stub) {
    const { fcn, params } = stub.getFunctionAndParameters();
    if (fcn === 'put') {
      await stub.putState(params[0], Buffer.from(params[1]));
      return shim.success();
    }
    if (fcn === 'get') return shim.success(await stub.getState(params[0]));
    if (fcn === 'version') return shim.success(Buffer.from(VERSION));
    if (fcn === 'call') {
      try {
        const r = await stub.invokeChaincode(params[0], params.slice(1), '');
        return shim.success(r.payload);
      } catch (err) {
        return shim.error('call failed: ' + err.message);
      }
    }
    return shim.error('unknown function ' + fcn);
  }
}
shim.start(new Legacy());
`;

/**
 * The dev network's genesis with Fabric 1.4's capabilities (no V2_0 anywhere), and ACLs that let only
 * admins call chaincode from chaincode.
 */
function legacyGenesis(net: DevNetwork): common.Block {
  const { config } = configFromBlock(net.genesisBlock);
  const caps = (name: string): common.ConfigValue =>
    common.ConfigValue.create({
      modPolicy: 'Admins',
      value: common.Capabilities.encode({ capabilities: { [name]: {} } }),
    });
  // Fabric 1.4's test network: channel V1_4_3, orderer and application V1_4_2.
  const channel = config.channelGroup!;
  channel.values.Capabilities = caps('V1_4_3');
  channel.groups.Orderer!.values.Capabilities = caps('V1_4_2');
  const app = channel.groups.Application!;
  app.values.Capabilities = caps('V1_4_2');
  app.values.ACLs = common.ConfigValue.create({
    modPolicy: 'Admins',
    value: protos.ACLs.encode({
      acls: { 'peer/ChaincodeToChaincode': { policyRef: '/Channel/Application/Admins' } },
    }),
  });
  return genesisBlockFromConfig(CHANNEL, config);
}

describe('legacy lifecycle (lscc) end to end on a Fabric 1.4-capability channel', () => {
  let dir: string;
  let net: DevNetwork;
  let orderer: EmbeddedOrderer;
  let peer: Peer;
  let admin: SigningIdentity;
  let peerClient: PeerClient;
  let ordererClient: OrdererClient;

  const source = async (version: string): Promise<string> => {
    const src = join(dir, `src-${version}`);
    await mkdir(src, { recursive: true });
    await writeFile(
      join(src, 'package.json'),
      JSON.stringify({
        name: 'legacycc',
        version: '1.0.0',
        main: 'index.js',
        scripts: { start: 'node index.js' },
        dependencies: { 'fabric-shim': `file:${SHIM_DIR}` },
      }),
    );
    await writeFile(join(src, 'index.js'), chaincodeSource(version));
    return src;
  };
  const query = async (...args: string[]): Promise<string> =>
    text(
      await queryChaincode([peerClient], { channelId: CHANNEL, chaincode: 'legacycc', args: args.map(s) }),
    );
  const invoke = (...args: string[]): Promise<{ txId: string }> =>
    invokeChaincode([peerClient], ordererClient, {
      channelId: CHANNEL,
      chaincode: 'legacycc',
      args: args.map(s),
      waitForEvent: true,
    });

  const connectPeer = (signer: SigningIdentity = admin): Promise<PeerClient> =>
    PeerClient.connect(
      { address: `localhost:${peer.address.split(':').pop()!}`, tls: { rootCerts: [net.peer.tls.ca] } },
      signer,
    );

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lscc-e2e-'));
    net = await ensureDevNetwork({ inMemory: true });
    const genesis = legacyGenesis(net);
    orderer = new EmbeddedOrderer({ ...net.orderer, admin: undefined, genesisBlocks: [genesis] });
    await orderer.start();
    peer = await createPeer(
      {
        ...net.peerConfig,
        peer: { ...net.peerConfig.peer, fileSystemPath: join(dir, 'peer') },
        chaincode: { logging: { level: 'warning' } },
        operations: { listenAddress: '127.0.0.1:0' },
      },
      {
        // On disk: the last test restarts the peer on the same folder.
        inMemory: false,
        devNetwork: false,
        msp: net.peer.localMsp,
        tls: { cert: net.peer.tls.cert, key: net.peer.tls.key },
        logging: new LoggingSystem({ spec: 'error', writer: { write: () => true } }),
      },
    );
    await peer.start();
    await peer.joinChannel(genesis);
    admin = SigningIdentity.from(
      net.peer.localMsp.identityFromCertificate(net.admin.certificate),
      PrivateKey.fromPem(net.admin.privateKey),
      'sha256',
    );
    peerClient = await connectPeer();
    ordererClient = await OrdererClient.connect(
      { address: `localhost:${orderer.port}`, tls: { rootCerts: [net.ordererTlsCa] } },
      admin,
    );
  });

  after(async () => {
    peerClient?.close();
    ordererClient?.close();
    await peer?.stop();
    await orderer?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('install + instantiate run Init in the installed package; invoke and query use it', async () => {
    const installed = await legacyInstall(peerClient, {
      name: 'legacycc',
      version: '1.0',
      path: await source('v1'),
      lang: 'node',
    });
    assert.equal(installed.status, 200);
    assert.match(await legacyList(peerClient, 'installed'), /Name: legacycc, Version: 1\.0/);

    // Init fails with the wrong arguments: the deploy is not endorsed, nothing is defined.
    await assert.rejects(
      legacyDeploy(
        [peerClient],
        ordererClient,
        CHANNEL,
        'deploy',
        {
          name: 'legacycc',
          version: '1.0',
          path: '',
          lang: 'node',
          args: [s('init')],
        },
        { waitForEvent: true },
      ),
      /Init wants a key and a value, got 0/,
    );

    await legacyDeploy(
      [peerClient],
      ordererClient,
      CHANNEL,
      'deploy',
      { name: 'legacycc', version: '1.0', path: '', lang: 'node', args: [s('init'), s('a'), s('100')] },
      { waitForEvent: true },
    );
    assert.match(
      await legacyList(peerClient, 'instantiated', CHANNEL),
      /Name: legacycc, Version: 1\.0, .*Escc: escc, Vscc: vscc/,
    );
    // Init's writes were committed with the deploy.
    assert.equal(await query('get', 'a'), '100');
    assert.equal(await query('get', 'initialized-by'), 'v1');
    assert.equal(await query('version'), 'v1');

    await invoke('put', 'b', '7');
    assert.equal(await query('get', 'b'), '7');
    // Deploying the same name again is refused (at endorsement: lscc finds the committed definition).
    await assert.rejects(
      legacyDeploy(
        [peerClient],
        ordererClient,
        CHANNEL,
        'deploy',
        {
          name: 'legacycc',
          version: '1.0',
          path: '',
          lang: 'node',
          args: [s('init'), s('a'), s('1')],
        },
        {},
      ),
      /chaincode with name 'legacycc' already exists/,
    );
  });

  it('upgrade runs the new version’s Init; the old version is no longer used', async () => {
    await legacyInstall(peerClient, {
      name: 'legacycc',
      version: '2.0',
      path: await source('v2'),
      lang: 'node',
    });
    await legacyDeploy(
      [peerClient],
      ordererClient,
      CHANNEL,
      'upgrade',
      { name: 'legacycc', version: '2.0', path: '', lang: 'node', args: [s('init'), s('a'), s('200')] },
      { waitForEvent: true },
    );
    assert.match(await legacyList(peerClient, 'instantiated', CHANNEL), /Name: legacycc, Version: 2\.0/);
    assert.equal(await query('version'), 'v2');
    assert.equal(await query('get', 'initialized-by'), 'v2');
    assert.equal(await query('get', 'a'), '200');
    // State written under 1.0 is still there: same namespace.
    assert.equal(await query('get', 'b'), '7');
    const { txId } = await invoke('put', 'c', 'from-v2');
    assert.match(txId, /^[0-9a-f]{64}$/);
    assert.equal(await query('get', 'c'), 'from-v2');
    for (let i = 0; i < 3; i++) assert.equal(await query('version'), 'v2');
  });

  it('a chaincode lscc does not define, or a version not installed, is not run', async () => {
    await assert.rejects(
      queryChaincode([peerClient], { channelId: CHANNEL, chaincode: 'nosuchcc', args: [s('get')] }),
      /chaincode nosuchcc not found/,
    );
    // Upgrading to a version not installed here fails at endorsement, as Fabric's lscc does.
    await assert.rejects(
      legacyDeploy(
        [peerClient],
        ordererClient,
        CHANNEL,
        'upgrade',
        {
          name: 'legacycc',
          version: '3.0',
          path: '',
          lang: 'node',
          args: [s('init'), s('a'), s('1')],
        },
        {},
      ),
      /cannot get package for chaincode \(legacycc:3\.0\)/,
    );
    assert.equal(await query('version'), 'v2');
  });

  it("chaincode-to-chaincode calls are checked against the channel's peer/ChaincodeToChaincode ACL", async () => {
    await legacyInstall(peerClient, {
      name: 'othercc',
      version: 'o1',
      path: await source('other'),
      lang: 'node',
    });
    await legacyDeploy(
      [peerClient],
      ordererClient,
      CHANNEL,
      'deploy',
      { name: 'othercc', version: 'o1', path: '', lang: 'node', args: [s('init'), s('x'), s('1')] },
      { waitForEvent: true },
    );
    // The channel's ACL: /Channel/Application/Admins. Org1's admin may call othercc from legacycc ...
    assert.equal(await query('call', 'othercc', 'version'), 'other');
    // ... its User1, a Writer (so it may propose), may not: the shim gets an ERROR for the call.
    const org = net.crypto!.peerOrg;
    const user = SigningIdentity.from(
      net.peer.localMsp.identityFromCertificate(org.users[0]!.certificate),
      PrivateKey.fromPem(org.users[0]!.privateKey),
      'sha256',
    );
    const userClient = await connectPeer(user);
    try {
      assert.equal(
        text(
          await queryChaincode([userClient], {
            channelId: CHANNEL,
            chaincode: 'legacycc',
            args: [s('get'), s('a')],
          }),
        ),
        '200',
      );
      await assert.rejects(
        queryChaincode([userClient], {
          channelId: CHANNEL,
          chaincode: 'legacycc',
          args: [s('call'), s('othercc'), s('version')],
        }),
        /call failed: .*INVOKE_CHAINCODE failed: .*access denied for \[ChaincodeToChaincode\]/,
      );
    } finally {
      userClient.close();
    }
  });

  it('after a restart on the same folder, lscc chaincode resolves and runs from the installed package', async () => {
    peerClient.close();
    await peer.stop();
    await peer.start();
    peerClient = await connectPeer();
    assert.match(await legacyList(peerClient, 'installed'), /Name: legacycc, Version: 2\.0/);
    assert.equal(await query('version'), 'v2');
    await invoke('put', 'after', 'restart');
    assert.equal(await query('get', 'after'), 'restart');
  });
});
