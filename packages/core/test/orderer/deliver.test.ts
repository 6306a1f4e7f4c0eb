// The orderer's Deliver over gRPC with our own client: seek positions, FAIL_IF_NOT_READY, unknown
// channel, a reader that is not in the channel, headers only.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeGenericClientConstructor, type Client, type ClientDuplexStream } from '@grpc/grpc-js';
import { generateOrg } from '@fabric-peer/msp';
import { common, orderer as ab } from '@fabric-peer/protos';
import {
  type Signer,
  computeUpdate,
  configFromBlock,
  createConfigUpdateEnvelope,
  createSignedEnvelope,
  encodePolicy,
} from '../../src/configtx/index.js';
import { type DevNetwork, createDevOrderer, ensureDevNetwork } from '../../src/devnet/index.js';
import { BroadcastClient, type EmbeddedOrderer } from '../../src/orderer/index.js';
import { clientChannelOptions, clientCredentials } from '../../src/server/index.js';

const Ctor = makeGenericClientConstructor(ab.AtomicBroadcastService, 'AtomicBroadcast');

describe('orderer Deliver', () => {
  let net: DevNetwork;
  let orderer: EmbeddedOrderer;
  let client: Client;
  let user: Signer;

  const seek = async (
    s: Signer,
    channel: string,
    info: Parameters<typeof ab.SeekInfo.encode>[0],
    onBlock?: (b: common.Block) => void,
  ) => {
    const call = (
      client as unknown as { deliver(): ClientDuplexStream<common.Envelope, ab.DeliverResponse> }
    ).deliver();
    const out: ab.DeliverResponse[] = [];
    const done = new Promise<void>((resolve, reject) => {
      call.on('data', (r: ab.DeliverResponse) => {
        out.push(r);
        if (r.block) onBlock?.(r.block);
        if (!r.block) {
          call.end();
          resolve();
        }
      });
      call.on('error', reject);
    });
    call.write(
      createSignedEnvelope(common.HeaderType.DELIVER_SEEK_INFO, channel, s, ab.SeekInfo.encode(info)),
    );
    await done;
    return { blocks: out.filter((r) => r.block).map((r) => r.block!), status: out.at(-1)!.status };
  };

  before(async () => {
    net = await ensureDevNetwork({ inMemory: true });
    orderer = createDevOrderer(net);
    await orderer.start();
    user = net.crypto!.peerOrg.users[0]!.toMSP().getSigningIdentity();
    const tls = { rootCerts: [net.ordererTlsCa], serverNameOverride: 'orderer.example.com' };
    client = new Ctor(`localhost:${orderer.port}`, clientCredentials(tls), clientChannelOptions(tls));
    for (let i = 0; i < 2; i++) {
      const e = createSignedEnvelope(
        common.HeaderType.ENDORSER_TRANSACTION,
        'mychannel',
        user,
        new Uint8Array(),
        {
          withTxId: true,
        },
      );
      // Over gRPC with the BroadcastClient `peer channel update` would use.
      const bc = new BroadcastClient(`localhost:${orderer.port}`, tls);
      assert.equal((await bc.broadcast(e)).status, common.Status.SUCCESS);
      bc.close();
      await new Promise((r) => setTimeout(r, 20));
    }
  });
  after(async () => {
    client.close();
    await orderer.stop();
  });

  it('serves oldest..newest then SUCCESS', async () => {
    const r = await seek(user, 'mychannel', { start: { oldest: {} }, stop: { newest: {} } });
    assert.equal(r.status, common.Status.SUCCESS);
    assert.deepEqual(
      r.blocks.map((b) => b.header!.number),
      [0, 1, 2],
    );
  });

  it('HEADER_WITH_SIG sends no data', async () => {
    const r = await seek(user, 'mychannel', {
      start: { specified: { number: 1 } },
      stop: { specified: { number: 1 } },
      contentType: ab.SeekInfo_SeekContentType.HEADER_WITH_SIG,
    });
    assert.equal(r.blocks[0]!.data, undefined);
    assert.equal(r.blocks[0]!.metadata!.metadata.length, 5);
  });

  it('refuses with NOT_FOUND, FORBIDDEN and BAD_REQUEST as Fabric', async () => {
    const notReady = await seek(user, 'mychannel', {
      start: { specified: { number: 99 } },
      stop: { specified: { number: 99 } },
      behavior: ab.SeekInfo_SeekBehavior.FAIL_IF_NOT_READY,
    });
    assert.equal(notReady.status, common.Status.NOT_FOUND);
    const unknown = await seek(user, 'nochannel', { start: { oldest: {} }, stop: { newest: {} } });
    assert.equal(unknown.status, common.Status.NOT_FOUND);
    const stranger = (await generateOrg({ kind: 'peer', domain: 'org9.example.com', mspId: 'Org9MSP' }))
      .users[0]!;
    const forbidden = await seek(stranger.toMSP().getSigningIdentity(), 'mychannel', {
      start: { oldest: {} },
      stop: { newest: {} },
    });
    assert.equal(forbidden.status, common.Status.FORBIDDEN);
    const backwards = await seek(user, 'mychannel', {
      start: { specified: { number: 2 } },
      stop: { specified: { number: 1 } },
    });
    assert.equal(backwards.status, common.Status.BAD_REQUEST);
  });

  it('re-checks Readers when the config changes: a reader dropped by an update loses its stream', async () => {
    const chain = orderer.registrar.getChain('mychannel')!;
    const tip = chain.height - 1;
    let caughtUp!: () => void;
    const streaming = new Promise<void>((r) => (caughtUp = r));
    const stream = seek(
      user,
      'mychannel',
      { start: { oldest: {} }, stop: { specified: { number: 2 ** 64 } } },
      (b) => {
        if (b.header!.number === tip) caughtUp();
      },
    );
    await streaming;
    const current = configFromBlock(await chain.store.getBlockByNumber(0)).config;
    const next = common.Config.decode(common.Config.encode(current));
    next.channelGroup!.groups.Application!.groups.Org1MSP!.policies.Readers!.policy = encodePolicy(
      'Readers',
      {
        type: 'Signature',
        rule: "OR('Org1MSP.admin')",
      },
    );
    const admin = net.crypto!.peerOrg.admin.toMSP().getSigningIdentity();
    const r = await orderer.broadcast(
      createConfigUpdateEnvelope(computeUpdate('mychannel', current, next), [admin]),
    );
    assert.equal(r.status, common.Status.SUCCESS, r.info);
    const { blocks, status } = await stream;
    assert.equal(status, common.Status.FORBIDDEN);
    assert.equal(
      blocks.at(-1)!.header!.number,
      chain.height - 2,
      'blocks up to the one before the config block',
    );
  });
});
