// discovery.Discovery over gRPC, query by query: what it answers, to whom, and what it refuses.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Client, makeGenericClientConstructor, type ServiceError, status } from '@grpc/grpc-js';
import { type SigningIdentity, signaturePolicyFromString } from '@fabric-peer/msp';
import { discovery, gossip, msp } from '@fabric-peer/protos';
import { X509Certificate } from 'node:crypto';
import { DiscoveryService } from '../../src/discovery/index.js';
import { certHash, clientCredentials } from '../../src/server/index.js';
import { ASSET } from '../gateway/contract.js';
import { type TestNetwork, startTestNetwork } from '../gateway/harness.js';

const DiscoveryClient = makeGenericClientConstructor(discovery.DiscoveryService, 'Discovery');

describe('discovery service', () => {
  let t: TestNetwork;
  let client: Client;
  let user: SigningIdentity;
  let admin: SigningIdentity;

  const discover = (sr: discovery.SignedRequest): Promise<discovery.Response> =>
    new Promise((resolve, reject) => {
      (
        client as unknown as {
          discover(r: unknown, cb: (e: ServiceError | null, r?: discovery.Response) => void): void;
        }
      ).discover(sr, (err, r) => (err ? reject(err) : resolve(r!)));
    });
  const ask = (
    who: SigningIdentity,
    queries: discovery.Query[],
    forge = false,
  ): Promise<discovery.Response> => {
    const payload = discovery.Request.encode({
      authentication: { clientIdentity: who.serialize() },
      queries,
    });
    return discover({ payload, signature: forge ? Buffer.alloc(70, 3) : who.sign(payload) });
  };

  before(async () => {
    t = await startTestNetwork();
    await t.defineChaincode('basic', ASSET);
    await t.defineChaincode('strict', ASSET, {
      signaturePolicy: signaturePolicyFromString("AND('Org1MSP.peer','Org2MSP.peer')"),
    });
    client = new DiscoveryClient(t.peerAddress, clientCredentials({ rootCerts: [t.net.peer.tls.ca] }));
    user = t.net.crypto!.peerOrg.users[0]!.toMSP().getSigningIdentity();
    admin = t.net.crypto!.peerOrg.admin.toMSP().getSigningIdentity();
  });
  after(async () => {
    client.close();
    await t.close();
  });

  test('config: MSPs as FabricMSPConfig and the orderer endpoints per orderer org', async () => {
    const r = await ask(user, [{ channel: t.channelId, configQuery: {} }]);
    const config = r.results[0]!.configResult!;
    assert.deepEqual(Object.keys(config.msps).sort(), ['OrdererMSP', 'Org1MSP']);
    assert.equal(config.msps.Org1MSP!.name, 'Org1MSP');
    assert.ok(config.msps.Org1MSP!.rootCerts.length > 0);
    assert.ok(config.msps.Org1MSP!.tlsRootCerts.length > 0);
    assert.deepEqual(config.orderers.OrdererMSP!.endpoint, [
      { host: '127.0.0.1', port: t.net.ports.orderer },
    ]);
  });

  test('peers: this peer with its endpoint, identity, ledger height and chaincodes (_lifecycle too)', async () => {
    const r = await ask(user, [{ channel: t.channelId, peerQuery: { filter: undefined } }]);
    const peers = r.results[0]!.members!.peersByOrg.Org1MSP!.peers;
    assert.equal(peers.length, 1);
    const alive = gossip.GossipMessage.decode(peers[0]!.membershipInfo!.payload).aliveMsg!;
    assert.equal(alive.membership!.endpoint, t.peerAddress);
    assert.equal(msp.SerializedIdentity.decode(peers[0]!.identity).mspid, 'Org1MSP');
    const state = gossip.GossipMessage.decode(peers[0]!.stateInfo!.payload).stateInfo!;
    assert.equal(state.properties!.ledgerHeight, t.channel.height);
    // As a Fabric peer advertises them: each definition's sequence as the version, and _lifecycle.
    assert.deepEqual(state.properties!.chaincodes.map((c) => `${c.name}@${c.version}`).sort(), [
      '_lifecycle@1',
      'basic@1',
      'strict@1',
    ]);
    const filtered = await ask(user, [
      {
        channel: t.channelId,
        peerQuery: { filter: { chaincodes: [{ name: '_lifecycle' } as never] } },
      },
    ]);
    assert.equal(filtered.results[0]!.members!.peersByOrg.Org1MSP!.peers.length, 1);
    assert.deepEqual(Buffer.from(state.pkiId), Buffer.from(alive.membership!.pkiId));
  });

  test('chaincode: descriptors from the endorsement policy; an unsatisfiable one is an error in its slot', async () => {
    const r = await ask(user, [
      { channel: t.channelId, ccQuery: { interests: [{ chaincodes: [{ name: 'basic' } as never] }] } },
      { channel: t.channelId, ccQuery: { interests: [{ chaincodes: [{ name: 'strict' } as never] }] } },
      { channel: t.channelId, ccQuery: { interests: [{ chaincodes: [{ name: 'nosuchcc' } as never] }] } },
    ]);
    const d = r.results[0]!.ccQueryRes!.content[0]!;
    assert.equal(d.chaincode, 'basic');
    // /Channel/Application/Endorsement = MAJORITY of one org's Endorsement (Org1MSP.peer): one peer.
    assert.deepEqual(d.layouts, [{ quantitiesByGroup: { G0: 1 } }]);
    assert.equal(d.endorsersByGroups.G0!.peers.length, 1);
    assert.match(
      r.results[1]!.error!.content,
      /failed constructing descriptor for chaincodes:<name:"strict" >/,
    );
    assert.match(r.results[2]!.error!.content, /chaincode nosuchcc not found/);
  });

  test('chaincode: _lifecycle from the channel LifecycleEndorsement policy', async () => {
    const r = await ask(user, [
      {
        channel: t.channelId,
        ccQuery: { interests: [{ chaincodes: [{ name: '_lifecycle' } as never] }] },
      },
    ]);
    const d = r.results[0]!.ccQueryRes!.content[0]!;
    assert.equal(d.chaincode, '_lifecycle');
    // MAJORITY Endorsement over one org: its peer.
    assert.deepEqual(d.layouts, [{ quantitiesByGroup: { G0: 1 } }]);
    const peer = d.endorsersByGroups.G0!.peers[0]!;
    assert.equal(msp.SerializedIdentity.decode(peer.identity).mspid, 'Org1MSP');
  });

  test('who may ask: channel Readers, a valid signature, local peers for admins only', async () => {
    const forged = await ask(user, [{ channel: t.channelId, configQuery: {} }], true);
    assert.equal(forged.results[0]!.error!.content, 'access denied');
    const noChannel = await ask(user, [{ channel: 'nosuchchannel', configQuery: {} }]);
    assert.equal(noChannel.results[0]!.error!.content, 'access denied');
    const byUser = await ask(user, [{ channel: '', localPeers: {} }]);
    assert.equal(byUser.results[0]!.error!.content, 'access denied');
    const byAdmin = await ask(admin, [{ channel: '', localPeers: {} }]);
    const local = byAdmin.results[0]!.members!.peersByOrg.Org1MSP!.peers[0]!;
    assert.equal(
      gossip.GossipMessage.decode(local.membershipInfo!.payload).aliveMsg!.membership!.endpoint,
      t.peerAddress,
    );
    await assert.rejects(
      discover({ payload: Buffer.from([0xff, 0x01]), signature: Buffer.alloc(0) }),
      (err: ServiceError) => {
        assert.equal(err.code, status.INVALID_ARGUMENT);
        return true;
      },
    );
    await assert.rejects(
      discover({ payload: discovery.Request.encode({ queries: [] }), signature: Buffer.alloc(0) }),
      /no authentication info/,
    );
  });

  test('under mutual TLS the request must carry the hash of the caller TLS certificate', async () => {
    const service = new DiscoveryService({
      channels: { getChannel: (id) => (id === t.channelId ? t.channel : undefined) },
      directory: t.services.directory,
      localMSP: t.net.peer.localMsp,
      mutualTls: true,
    });
    const tlsCert = new X509Certificate(t.net.peer.tls.cert).raw;
    const query = (hash: Uint8Array): discovery.SignedRequest => {
      const payload = discovery.Request.encode({
        authentication: { clientIdentity: user.serialize(), clientTlsCertHash: hash },
        queries: [{ channel: t.channelId, configQuery: {} }],
      });
      return { payload, signature: user.sign(payload) };
    };
    const good = await service.discover(query(certHash(tlsCert)), tlsCert);
    assert.ok(good.results[0]!.configResult !== undefined);
    const wrong = await service.discover(query(Buffer.alloc(32, 1)), tlsCert);
    assert.equal(wrong.results[0]!.error!.content, 'access denied');
    const noCert = await service.discover(query(certHash(tlsCert)));
    assert.equal(noCert.results[0]!.error!.content, 'access denied');
  });
});
