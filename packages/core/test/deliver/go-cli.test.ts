// Deliver as the Go CLI asks (`peer channel fetch`, the deliver client): stop = MaxUint64 for
// "forever", encoded with the peer's own codec since google-protobuf cannot carry 2^64-1; and an
// expired creator certificate, which ends the request with FORBIDDEN.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { generateOrg, PrivateKey } from '@fabric-peer/msp';
import { common, msp, orderer, protos } from '@fabric-peer/protos';
import type { Peer } from '../../src/index.js';
import { genesisBytes, ordererBlockBytes, startPeer, type Signer, userOrg1 } from '../peer/harness.js';

const DeliverClient = grpc.makeGenericClientConstructor(protos.DeliverService, 'Deliver');

function seek(
  signer: Signer,
  start: orderer.SeekPosition,
  stop: orderer.SeekPosition,
  contentType = orderer.SeekInfo_SeekContentType.BLOCK,
): common.Envelope {
  const payload = common.Payload.encode({
    header: {
      channelHeader: common.ChannelHeader.encode({
        type: common.HeaderType.DELIVER_SEEK_INFO,
        channelId: 'mychannel',
        timestamp: { seconds: Math.floor(Date.now() / 1000) },
      }),
      signatureHeader: common.SignatureHeader.encode({ creator: signer.serialize(), nonce: randomBytes(24) }),
    },
    data: orderer.SeekInfo.encode({ start, stop, contentType }),
  });
  return common.Envelope.create({ payload, signature: signer.sign(payload) });
}

describe('Deliver, Go CLI style', () => {
  let peer: Peer;
  let client: grpc.Client & { deliver(): grpc.ClientDuplexStream<common.Envelope, protos.DeliverResponse> };

  before(async () => {
    peer = await startPeer();
    await peer.joinChannel(genesisBytes());
    client = new DeliverClient(peer.address, grpc.credentials.createInsecure()) as unknown as typeof client;
  });
  after(async () => {
    client.close();
    await peer.stop();
  });

  it('stop = MaxUint64 streams every block as it is committed', async () => {
    const call = client.deliver();
    const got: number[] = [];
    const three = new Promise<void>((resolve) =>
      call.on('data', (r: protos.DeliverResponse) => {
        if (r.block) got.push(r.block.header!.number);
        if (got.length === 3) resolve();
      }),
    );
    call.on('error', () => undefined);
    // 2^64 encodes as MaxUint64 (18446744073709551615) with the peer's codec.
    call.write(seek(await userOrg1(), { specified: { number: 0 } }, { specified: { number: 2 ** 64 } }));
    await peer.commitBlock('mychannel', common.Block.decode(ordererBlockBytes(1)));
    await peer.commitBlock('mychannel', common.Block.decode(ordererBlockBytes(2)));
    await three;
    assert.deepEqual(got, [0, 1, 2]);
    call.cancel();
  });

  it('HEADER_WITH_SIG: header and signatures only, config blocks whole', async () => {
    const user = await userOrg1();
    const call = client.deliver();
    const blocks: common.Block[] = [];
    await new Promise<void>((resolve, reject) => {
      call.on('data', (r: protos.DeliverResponse) => {
        if (r.block) blocks.push(r.block);
        if (r.status !== undefined) resolve();
      });
      call.on('error', reject);
      call.write(
        seek(
          user,
          { specified: { number: 0 } },
          { specified: { number: 2 } },
          orderer.SeekInfo_SeekContentType.HEADER_WITH_SIG,
        ),
      );
    });
    call.end();
    assert.equal(blocks.length, 3);
    assert.equal(blocks[0]!.data!.data.length, 1, 'the genesis (config) block keeps its data');
    assert.equal(blocks[2]!.data, undefined);
    assert.ok(blocks[2]!.metadata!.metadata[0]!.length > 0, 'signatures kept');
  });

  it('an expired creator: FORBIDDEN', async () => {
    const org = await generateOrg({
      kind: 'peer',
      domain: 'org1.example.com',
      mspId: 'Org1MSP',
      notBefore: new Date(Date.now() - 20 * 365 * 24 * 3600_000),
    });
    const u = org.users[0]!;
    const key = PrivateKey.fromPem(u.privateKey);
    const expired: Signer = {
      serialize: () =>
        msp.SerializedIdentity.encode({ mspid: 'Org1MSP', idBytes: Buffer.from(u.certificate) }),
      sign: (m) => key.sign(m),
    };
    const call = client.deliver();
    const status = await new Promise<number | undefined>((resolve, reject) => {
      call.on('data', (r: protos.DeliverResponse) => {
        if (r.status !== undefined) resolve(r.status);
      });
      call.on('error', reject);
      call.write(seek(expired, { oldest: {} }, { oldest: {} }));
    });
    call.end();
    assert.equal(status, common.Status.FORBIDDEN);
  });
});
