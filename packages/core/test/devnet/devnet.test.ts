import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { MSP } from '@fabric-peer/msp';
import { common } from '@fabric-peer/protos';
import { createSignedEnvelope } from '../../src/configtx/index.js';
import { channelConfigFromBlock } from '../../src/channel/index.js';
import { createDevOrderer, ensureDevNetwork, startDevNetwork } from '../../src/devnet/index.js';

const tx = (s: { serialize(): Uint8Array; sign(m: Uint8Array): Uint8Array }): common.Envelope =>
  createSignedEnvelope(common.HeaderType.ENDORSER_TRANSACTION, 'mychannel', s, new Uint8Array(), {
    withTxId: true,
  });

describe('dev network', () => {
  const dirs: string[] = [];
  after(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('creates test-network’s layout, and a restart reuses keys and chain', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'devnet-'));
    dirs.push(dir);
    const net = await ensureDevNetwork({
      dataDir: dir,
      ports: { peer: 0, chaincode: 0, orderer: 0, ordererAdmin: 0 },
    });
    assert.equal(net.created, true);
    for (const p of [
      'organizations/peerOrganizations/org1.example.com/peers/peer0.org1.example.com/msp/keystore/priv_sk',
      'organizations/peerOrganizations/org1.example.com/peers/peer0.org1.example.com/tls/server.crt',
      'organizations/peerOrganizations/org1.example.com/users/Admin@org1.example.com/msp/signcerts/Admin@org1.example.com-cert.pem',
      'organizations/peerOrganizations/org1.example.com/users/User1@org1.example.com/msp/keystore/priv_sk',
      'organizations/ordererOrganizations/example.com/orderers/orderer.example.com/tls/server.key',
      'organizations/peerOrganizations/org1.example.com/connection-org1.json',
      'organizations/peerOrganizations/org1.example.com/connection-org1.yaml',
      'channel-artifacts/mychannel.block',
    ]) {
      assert.ok(existsSync(join(dir, p)), p);
    }
    // The genesis: V2_0 everywhere, test-network policies, our orderer as the only endpoint.
    const cfg = channelConfigFromBlock(net.genesisBlock);
    assert.deepEqual(cfg.capabilities, { channel: ['V2_0'], orderer: ['V2_0'], application: ['V2_0'] });
    assert.equal(cfg.consensusType, 'etcdraft');
    assert.equal(cfg.batchTimeoutMs, 2);
    assert.deepEqual(cfg.allOrdererEndpoints(), [`127.0.0.1:${net.ports.orderer}`]);
    assert.ok(cfg.policies.getPolicy('/Channel/Application/LifecycleEndorsement'));
    // The connection profile, as fabric-network reads it.
    const json = JSON.parse(await readFile(net.connectionProfilePaths!.json, 'utf8'));
    assert.deepEqual(json, parseYaml(await readFile(net.connectionProfilePaths!.yaml, 'utf8')));
    assert.equal(json.client.organization, 'Org1');
    assert.equal(json.organizations.Org1.mspid, 'Org1MSP');
    const peer = json.peers['peer0.org1.example.com'];
    assert.equal(peer.url, `grpcs://localhost:${net.ports.peer}`);
    assert.equal(peer.grpcOptions['ssl-target-name-override'], 'peer0.org1.example.com');
    assert.match(peer.tlsCACerts.pem, /BEGIN CERTIFICATE/);
    assert.ok(json.channels.mychannel.peers['peer0.org1.example.com'].endorsingPeer);
    // The summary tells the CLI how to be Org1's admin.
    assert.match(net.summary, /export CORE_PEER_LOCALMSPID=Org1MSP/);
    assert.match(net.summary, new RegExp(`export CORE_PEER_MSPCONFIGPATH=.*Admin@org1.example.com/msp`));
    assert.match(net.summary, /export CORE_PEER_TLS_ENABLED=true/);
    assert.match(net.summary, /export CORE_PEER_TLS_ROOTCERT_FILE=.*peer0.org1.example.com\/tls\/ca.crt/);
    assert.match(net.summary, new RegExp(`export CORE_PEER_ADDRESS=localhost:${net.ports.peer}`));
    assert.equal(net.peerConfig.peer?.tls?.enabled, true);

    const orderer = createDevOrderer(net);
    await orderer.start();
    const user = (await MSP.fromFolder(net.user.mspDir!, 'Org1MSP')).getSigningIdentity();
    assert.equal((await orderer.broadcast(tx(user))).status, common.Status.SUCCESS);
    const chain = orderer.registrar.getChain('mychannel')!;
    for await (const b of chain.store.blocksFrom(1)) if (b.header!.number === 1) break;
    await orderer.stop();

    const again = await ensureDevNetwork({ dataDir: dir });
    assert.equal(again.created, false);
    assert.deepEqual(again.ports, net.ports);
    assert.equal(
      again.peer.localMsp.getSigningIdentity().toPem(),
      net.peer.localMsp.getSigningIdentity().toPem(),
    );
    assert.deepEqual(common.Block.encode(again.genesisBlock), common.Block.encode(net.genesisBlock));
    const o2 = createDevOrderer(again);
    await o2.start();
    assert.equal(o2.registrar.getChain('mychannel')!.height, 2);
    await o2.stop();
  });

  it('in memory: nothing on disk, everything as objects', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'devnet-cwd-'));
    dirs.push(cwd);
    const old = process.cwd();
    process.chdir(cwd);
    try {
      const net = await ensureDevNetwork({ inMemory: true });
      assert.equal(net.dataDir, undefined);
      assert.equal(net.connectionProfilePaths, undefined);
      assert.ok(net.crypto?.peerOrg.files.size);
      assert.match(net.peer.tls.cert, /BEGIN CERTIFICATE/);
      assert.match(net.summary, /in memory/);
      const orderer = createDevOrderer(net);
      await orderer.start();
      const user = net.crypto!.peerOrg.users[0]!.toMSP().getSigningIdentity();
      const t0 = performance.now();
      assert.equal((await orderer.broadcast(tx(user))).status, common.Status.SUCCESS);
      for await (const b of orderer.registrar.getChain('mychannel')!.store.blocksFrom(1))
        if (b.header!.number === 1) break;
      assert.ok(performance.now() - t0 < 500, 'a submit is cut into a block in milliseconds');
      await orderer.stop();
      assert.deepEqual(await readdir(cwd), []);
    } finally {
      process.chdir(old);
    }
  });

  it('startDevNetwork returns the network with its orderer serving', async () => {
    const { network, orderer, stop } = await startDevNetwork({
      inMemory: true,
      batchTimeout: '1ms',
      maxMessageCount: 1,
    });
    try {
      assert.equal(orderer.port, network.ports.orderer);
      assert.equal(channelConfigFromBlock(network.genesisBlock).batchSize?.maxMessageCount, 1);
      assert.deepEqual(orderer.registrar.channelIds(), ['mychannel']);
    } finally {
      await stop();
    }
  });
});
