// An orderer requiring mutual TLS: Deliver requests must carry the hash of the client's TLS
// certificate (Fabric's binding inspector); the deliver client includes it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Client, type ClientDuplexStream, makeGenericClientConstructor } from '@grpc/grpc-js';
import { LedgerManager } from '@fabric-peer/ledger';
import { common, orderer as ab } from '@fabric-peer/protos';
import { ChannelManager } from '../../src/channel/index.js';
import { createSignedEnvelope } from '../../src/configtx/index.js';
import { DeliverClient } from '../../src/deliverclient/index.js';
import { type DevNetwork, ensureDevNetwork } from '../../src/devnet/index.js';
import { EmbeddedOrderer } from '../../src/orderer/index.js';
import { certHash, clientChannelOptions, clientCredentials } from '../../src/server/index.js';

const Ctor = makeGenericClientConstructor(ab.AtomicBroadcastService, 'AtomicBroadcast');

describe('orderer with mutual TLS', () => {
  let net: DevNetwork;
  let orderer: EmbeddedOrderer;
  let client: Client;

  before(async () => {
    net = await ensureDevNetwork({ inMemory: true });
    const { admin: _admin, ...rest } = net.orderer;
    orderer = new EmbeddedOrderer({
      ...rest,
      listenAddress: '127.0.0.1:0',
      tls: { ...net.orderer.tls!, clientAuthRequired: true, clientRootCAs: [net.peer.tls.ca] },
    });
    await orderer.start();
    const tls = {
      rootCerts: [net.ordererTlsCa],
      cert: net.peer.tls.cert,
      key: net.peer.tls.key,
      serverNameOverride: 'orderer.example.com',
    };
    client = new Ctor(`localhost:${orderer.port}`, clientCredentials(tls), clientChannelOptions(tls));
  });
  after(async () => {
    client.close();
    await orderer.stop();
  });

  const seekStatus = (tlsCertHash?: Uint8Array): Promise<common.Status | undefined> => {
    const call = (
      client as unknown as { deliver(): ClientDuplexStream<common.Envelope, ab.DeliverResponse> }
    ).deliver();
    const seek = ab.SeekInfo.encode({ start: { oldest: {} }, stop: { oldest: {} } });
    const signer = net.peer.localMsp.getSigningIdentity();
    return new Promise((resolve, reject) => {
      call.on('data', (r: ab.DeliverResponse) => {
        if (!r.block) {
          call.end();
          resolve(r.status);
        }
      });
      call.on('error', reject);
      call.write(
        createSignedEnvelope(common.HeaderType.DELIVER_SEEK_INFO, 'mychannel', signer, seek, {
          ...(tlsCertHash && { tlsCertHash }),
        }),
      );
    });
  };

  it('refuses a request without or with a wrong TLS cert hash (BAD_REQUEST), serves a bound one', async () => {
    assert.equal(await seekStatus(), common.Status.BAD_REQUEST);
    assert.equal(await seekStatus(new Uint8Array(32)), common.Status.BAD_REQUEST);
    assert.equal(await seekStatus(certHash(net.peer.tls.cert)), common.Status.SUCCESS);
  });

  it('the deliver client binds its requests', async () => {
    const ledgers = await LedgerManager.open({ inMemory: true });
    const channels = await ChannelManager.open({ ledgers });
    const channel = await channels.joinChannel(net.genesisBlock);
    const dc = new DeliverClient(channel, {
      signer: net.peer.localMsp.getSigningIdentity(),
      clientCert: net.peer.tls.cert,
      clientKey: net.peer.tls.key,
      endpoints: () => [{ address: `127.0.0.1:${orderer.port}`, rootCerts: [net.ordererTlsCa] }],
    });
    dc.start();
    try {
      const user = net.crypto!.peerOrg.users[0]!.toMSP().getSigningIdentity();
      const env = createSignedEnvelope(
        common.HeaderType.ENDORSER_TRANSACTION,
        'mychannel',
        user,
        new Uint8Array(),
        {
          withTxId: true,
        },
      );
      assert.equal((await orderer.broadcast(env)).status, common.Status.SUCCESS);
      const end = Date.now() + 5000;
      while (channel.height < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
      assert.equal(channel.height, 2, dc.status);
    } finally {
      await dc.stop();
      await channels.close();
      await ledgers.close();
    }
  });
});
