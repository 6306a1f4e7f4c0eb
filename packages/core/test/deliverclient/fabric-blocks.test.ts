// The deliver client on real Fabric 2.5.12 orderer-cut blocks: the fixture chain (blocks 0..13 as the
// Raft orderer wrote them) is served by the embedded orderer's Deliver, pulled over gRPC + TLS into a
// ChannelManager whose committer verifies and commits them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BlockStore, LedgerManager } from '@fabric-peer/ledger';
import { MSP } from '@fabric-peer/msp';
import { common } from '@fabric-peer/protos';
import { ChannelManager } from '../../src/channel/index.js';
import { DeliverClient } from '../../src/deliverclient/index.js';
import { EmbeddedOrderer } from '../../src/orderer/index.js';

const FIX = join(import.meta.dirname, '../../../../test/fixtures/fabric-2.5.12');
const ORDERER = join(FIX, 'crypto/ordererOrganizations/example.com/orderers/orderer.example.com');
const PEER = join(FIX, 'crypto/peerOrganizations/org1.example.com/peers/peer0.org1.example.com');
const block = (n: number): common.Block =>
  common.Block.decode(readFileSync(join(FIX, `blocks/mychannel-orderer/${n}.block`)));

describe('deliver client on real Fabric orderer blocks', () => {
  let dir: string;
  let orderer: EmbeddedOrderer;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fabric-blocks-'));
    // The fixture chain, stored where the embedded orderer keeps its chains.
    const store = await BlockStore.openStandalone({
      channel: 'mychannel',
      path: join(dir, 'chains', 'mychannel'),
    });
    for (let n = 0; n <= 13; n++) await store.append(block(n));
    await store.close();
    orderer = new EmbeddedOrderer({
      listenAddress: '127.0.0.1:0',
      tls: {
        cert: readFileSync(join(ORDERER, 'tls/server.crt')),
        key: readFileSync(join(ORDERER, 'tls/server.key')),
      },
      signer: (await MSP.fromFolder(join(ORDERER, 'msp'), 'OrdererMSP')).getSigningIdentity(),
      dataDir: dir,
    });
    await orderer.start();
  });
  after(async () => {
    await orderer.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('pulls and commits blocks 1..13 from the ledger height', async () => {
    assert.equal(orderer.registrar.getChain('mychannel')!.height, 14);
    const ledgers = await LedgerManager.open({ inMemory: true });
    const channels = await ChannelManager.open({ ledgers });
    const channel = await channels.joinChannel(block(0));
    const client = new DeliverClient(channel, {
      signer: (await MSP.fromFolder(join(PEER, 'msp'), 'Org1MSP')).getSigningIdentity(),
      // The config names 127.0.0.1:28050 (the fixture network); point at ours, as addressOverrides would.
      endpoints: () => [
        { address: orderer.address, rootCerts: [readFileSync(join(ORDERER, 'tls/ca.crt'), 'utf8')] },
      ],
    });
    client.start();
    try {
      const end = Date.now() + 10_000;
      while (channel.height < 14 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
      assert.equal(channel.height, 14, client.status);
      // The committer's verdicts equal the real peer's (TRANSACTIONS_FILTER of the peer-stored blocks).
      for (let n = 1; n <= 13; n++) {
        const ours = (await channel.ledger.getBlockByNumber(n)).metadata!.metadata[2]!;
        const real = common.Block.decode(readFileSync(join(FIX, `blocks/mychannel/${n}.block`))).metadata!
          .metadata[2]!;
        assert.equal(Buffer.from(ours).toString('hex'), Buffer.from(real).toString('hex'), `block ${n}`);
      }
    } finally {
      await client.stop();
      await channels.close();
      await ledgers.close();
    }
  });
});
