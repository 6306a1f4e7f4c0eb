import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LedgerManager } from '@fabric-peer/ledger';
import { common } from '@fabric-peer/protos';
import { type Channel, ChannelManager } from '../../src/channel/index.js';
import { createSignedEnvelope } from '../../src/configtx/index.js';
import { DeliverClient, DeliverService, ordererEndpoints } from '../../src/deliverclient/index.js';
import { type DevNetwork, createDevOrderer, ensureDevNetwork, freePort } from '../../src/devnet/index.js';
import { type EmbeddedOrderer } from '../../src/orderer/index.js';

async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('deliver client', () => {
  let dir: string;
  let net: DevNetwork;
  let orderer: EmbeddedOrderer;
  let ledgers: LedgerManager;
  let channels: ChannelManager;
  let channel: Channel;
  let service: DeliverService;
  let user: { serialize(): Uint8Array; sign(m: Uint8Array): Uint8Array };
  const submit = async (): Promise<void> => {
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
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'deliverclient-'));
    net = await ensureDevNetwork({
      dataDir: join(dir, 'net'),
      ports: { peer: 0, chaincode: 0, orderer: 0, ordererAdmin: 0 },
    });
    user = net.crypto!.peerOrg.users[0]!.toMSP().getSigningIdentity();
    orderer = createDevOrderer(net);
    await orderer.start();
    ledgers = await LedgerManager.open({ inMemory: true });
    channels = await ChannelManager.open({ ledgers });
    channel = await channels.joinChannel(net.genesisBlock);
    service = new DeliverService({
      signer: net.peer.localMsp.getSigningIdentity(),
      clientCert: net.peer.tls.cert,
      clientKey: net.peer.tls.key,
      initialRetryDelayMs: 20,
      maxRetryDelayMs: 200,
    });
  });
  after(async () => {
    await service.stop();
    await channels.close();
    await ledgers.close();
    await orderer.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the orderer endpoints and TLS roots from the channel config', () => {
    const eps = ordererEndpoints(channel.config());
    assert.deepEqual(
      eps.map((e) => e.address),
      [`127.0.0.1:${net.ports.orderer}`],
    );
    assert.equal(eps[0]!.rootCerts[0]!.trim(), net.ordererTlsCa.trim());
    const over = ordererEndpoints(channel.config(), [
      { from: eps[0]!.address, to: 'localhost:1', caCertsPem: [] },
    ]);
    assert.equal(over[0]!.address, 'localhost:1');
  });

  it('pulls blocks into the channel’s committer and reports health', async () => {
    service.startDeliverForChannel(channel);
    await submit();
    await waitFor(() => channel.height === 2);
    await submit();
    await waitFor(() => channel.height === 3);
    assert.doesNotThrow(() => service.healthCheck(new AbortController().signal));
  });

  it('survives an orderer restart: reconnects and resumes from the ledger height', async () => {
    await orderer.stop();
    await waitFor(() => {
      try {
        service.healthCheck(new AbortController().signal);
        return false;
      } catch {
        return true;
      }
    });
    assert.throws(() => service.healthCheck(new AbortController().signal), /orderer connection down/);
    orderer = createDevOrderer(net);
    await orderer.start();
    const before = channel.height;
    await submit();
    await waitFor(() => channel.height === before + 1);
    await submit();
    await waitFor(() => channel.height === before + 2);
    assert.equal(orderer.registrar.getChain('mychannel')!.height, channel.height);
    const last = await channel.ledger.getBlockByNumber(channel.height - 1);
    assert.equal(last.header!.number, before + 1);
    assert.doesNotThrow(() => service.healthCheck(new AbortController().signal));
  });

  it('fails over from a dead endpoint to the next one', async () => {
    // A fresh peer-side channel on another ledger manager, fed through a dead endpoint first.
    const ledgers2 = await LedgerManager.open({ inMemory: true });
    const channels2 = await ChannelManager.open({ ledgers: ledgers2 });
    const ch2 = await channels2.joinChannel(net.genesisBlock);
    const dead = `127.0.0.1:${await freePort()}`;
    const live = ordererEndpoints(ch2.config())[0]!;
    const client = new DeliverClient(ch2, {
      signer: net.peer.localMsp.getSigningIdentity(),
      endpoints: () => [{ address: dead, rootCerts: live.rootCerts }, live],
      connTimeoutMs: 200,
      initialRetryDelayMs: 10,
    });
    client.start();
    try {
      await waitFor(() => ch2.height === channel.height);
      assert.equal(client.connectedEndpoint, live.address);
    } finally {
      await client.stop();
      await channels2.close();
      await ledgers2.close();
    }
  });
});
