// protos.Deliver with the real fabric-protos DeliverClient: the genesis block, blocks streamed as they
// are committed (the fixture's orderer blocks 1..13 through the channel's committer), DeliverFiltered,
// and the statuses Fabric answers bad requests with.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as fp from '@hyperledger/fabric-protos';
import { common } from '@fabric-peer/protos';
import type { Peer } from '../../src/index.js';
import {
  adminOrg1,
  deliverClient,
  deliverOnce,
  FIXTURE,
  genesisBytes,
  ordererBlockBytes,
  seekEnvelope,
  startPeer,
  type Signer,
  userOrg1,
} from '../peer/harness.js';

const S = fp.common.Status;

describe('Deliver (plaintext)', () => {
  let peer: Peer;
  let client: fp.peer.DeliverClient;
  let user: Signer;

  before(async () => {
    peer = await startPeer();
    await peer.joinChannel(genesisBytes());
    client = deliverClient(peer.address);
    user = await userOrg1();
  });
  after(async () => {
    client.close();
    await peer.stop();
  });

  it('sends the genesis block for specified 0..0, then SUCCESS', async () => {
    const r = await deliverOnce(
      client,
      'deliver',
      seekEnvelope({ channel: 'mychannel', start: 0, stop: 0, signer: user }),
    );
    assert.equal(r.status, S.SUCCESS);
    assert.equal(r.blocks.length, 1);
    const block = r.blocks[0]!.getBlock()!;
    assert.equal(block.getHeader()!.getNumber(), 0);
    const want = fp.common.Block.deserializeBinary(genesisBytes());
    assert.deepEqual(block.getData()!.serializeBinary(), want.getData()!.serializeBinary());
    r.call.end();
  });

  it('newest..newest sends the newest block at once (fabric-network needs it within 3 s)', async () => {
    const t0 = Date.now();
    const r = await deliverOnce(
      client,
      'deliverFiltered',
      seekEnvelope({ channel: 'mychannel', start: 'newest', stop: 'newest', signer: user }),
    );
    assert.ok(Date.now() - t0 < 1000);
    assert.equal(r.status, S.SUCCESS);
    const fb = r.blocks[0]!.getFilteredBlock()!;
    assert.equal(fb.getChannelId(), 'mychannel');
    assert.equal(fb.getNumber(), 0);
    assert.equal(fb.getFilteredTransactionsList()[0]!.getType(), fp.common.HeaderType.CONFIG);
    r.call.end();
  });

  it('streams committed blocks to a "forever" request, filtered and full', async () => {
    const full = deliverOnce(
      client,
      'deliver',
      seekEnvelope({ channel: 'mychannel', start: 'oldest', stop: 'max', signer: user }),
      {
        count: 14,
        timeoutMs: 20_000,
      },
    );
    const filtered = deliverOnce(
      client,
      'deliverFiltered',
      seekEnvelope({ channel: 'mychannel', start: 1, stop: 'max', signer: user }),
      { count: 13, timeoutMs: 20_000 },
    );
    for (let n = 1; n <= 13; n++)
      await peer.commitBlock('mychannel', common.Block.decode(ordererBlockBytes(n)));
    assert.equal(peer.height('mychannel'), 14);
    const f = await full;
    assert.deepEqual(
      f.blocks.map((b) => b.getBlock()!.getHeader()!.getNumber()),
      Array.from({ length: 14 }, (_, i) => i),
    );
    f.call.cancel();
    const fl = await filtered;
    fl.call.cancel();
    const txs = fl.blocks.flatMap((b) => b.getFilteredBlock()!.getFilteredTransactionsList());
    // The validation codes are the ones Fabric's own peer wrote for these blocks (11: one
    // ENDORSEMENT_POLICY_FAILURE, 12: one MVCC_READ_CONFLICT).
    const fabricCodes = Array.from({ length: 13 }, (_, i) => [
      ...common.Block.decode(readFileSync(join(FIXTURE, `blocks/mychannel/${i + 1}.block`))).metadata!
        .metadata[2]!,
    ]).flat();
    assert.deepEqual(
      txs.map((t) => t.getTxValidationCode()),
      fabricCodes,
    );
    const endorser = txs.filter((t) => t.getType() === fp.common.HeaderType.ENDORSER_TRANSACTION);
    assert.ok(endorser.length > 0);
    for (const t of endorser) {
      assert.equal(t.getTxid().length, 64);
      for (const a of t.getTransactionActions()!.getChaincodeActionsList()) {
        // Events keep their names but never their payload.
        assert.equal(a.getChaincodeEvent()!.getPayload_asU8().length, 0);
      }
    }
  });

  it('DeliverWithPrivateData sends block_and_private_data', async () => {
    const r = await deliverOnce(
      client,
      'deliverWithPrivateData',
      seekEnvelope({ channel: 'mychannel', start: 5, stop: 6, signer: user }),
    );
    assert.equal(r.status, S.SUCCESS);
    assert.deepEqual(
      r.blocks.map((b) => b.getBlockAndPrivateData()!.getBlock()!.getHeader()!.getNumber()),
      [5, 6],
    );
    r.call.end();
  });

  it('answers several requests on one stream', async () => {
    const call = client.deliver();
    const statuses: number[] = [];
    const blocks: number[] = [];
    await new Promise<void>((resolve, reject) => {
      call.on('data', (r: fp.peer.DeliverResponse) => {
        if (r.getTypeCase() === fp.peer.DeliverResponse.TypeCase.STATUS) {
          statuses.push(r.getStatus());
          if (statuses.length === 2) resolve();
        } else blocks.push(r.getBlock()!.getHeader()!.getNumber());
      });
      call.on('error', reject);
      call.write(seekEnvelope({ channel: 'mychannel', start: 2, stop: 2, signer: user }));
      call.write(seekEnvelope({ channel: 'mychannel', start: 3, stop: 4, signer: user }));
    });
    call.end();
    assert.deepEqual(statuses, [S.SUCCESS, S.SUCCESS]);
    assert.deepEqual(blocks, [2, 3, 4]);
  });

  describe('bad requests get Fabric statuses and the stream goes on', () => {
    const status = async (env: fp.common.Envelope): Promise<number | undefined> => {
      const r = await deliverOnce(client, 'deliver', env);
      r.call.end();
      return r.status;
    };

    it('unknown channel: NOT_FOUND', async () => {
      assert.equal(
        await status(seekEnvelope({ channel: 'nochannel', start: 0, stop: 0, signer: user })),
        S.NOT_FOUND,
      );
    });
    it('bad signature: FORBIDDEN', async () => {
      const env = seekEnvelope({
        channel: 'mychannel',
        start: 0,
        stop: 0,
        signer: user,
        signature: new Uint8Array([1, 2, 3]),
      });
      assert.equal(await status(env), S.FORBIDDEN);
    });
    it('malformed payload: BAD_REQUEST', async () => {
      const env = new fp.common.Envelope();
      env.setPayload(new Uint8Array([0xff, 0xff]));
      assert.equal(await status(env), S.BAD_REQUEST);
    });
    it('start after stop: BAD_REQUEST', async () => {
      assert.equal(
        await status(seekEnvelope({ channel: 'mychannel', start: 5, stop: 2, signer: user })),
        S.BAD_REQUEST,
      );
    });
    it('timestamp outside the time window: BAD_REQUEST', async () => {
      const env = seekEnvelope({
        channel: 'mychannel',
        start: 0,
        stop: 0,
        signer: user,
        timestampOffsetMs: -3_600_000,
      });
      assert.equal(await status(env), S.BAD_REQUEST);
    });
    it('FAIL_IF_NOT_READY past the height: NOT_FOUND', async () => {
      const env = seekEnvelope({
        channel: 'mychannel',
        start: 100,
        stop: 100,
        signer: user,
        failIfNotReady: true,
      });
      assert.equal(await status(env), S.NOT_FOUND);
    });
    it('a creator no channel MSP knows: FORBIDDEN', async () => {
      const { generateOrg } = await import('@fabric-peer/msp');
      const stranger = (
        await generateOrg({ kind: 'peer', domain: 'org9.example.com', mspId: 'Org1MSP' })
      ).admin
        .toMSP()
        .getSigningIdentity();
      assert.equal(
        await status(seekEnvelope({ channel: 'mychannel', start: 0, stop: 0, signer: stranger })),
        S.FORBIDDEN,
      );
    });
    it('a channel member that is no application Reader (the orderer): FORBIDDEN', async () => {
      const { MSP } = await import('@fabric-peer/msp');
      const ordererDir = join(
        FIXTURE,
        'crypto/ordererOrganizations/example.com/orderers/orderer.example.com/msp',
      );
      const ordererId = (await MSP.fromFolder(ordererDir, 'OrdererMSP')).getSigningIdentity();
      assert.equal(
        await status(seekEnvelope({ channel: 'mychannel', start: 0, stop: 0, signer: ordererId })),
        S.FORBIDDEN,
      );
    });
    it('still serves after all that', async () => {
      const admin = await adminOrg1();
      assert.equal(
        await status(seekEnvelope({ channel: 'mychannel', start: 'newest', stop: 'newest', signer: admin })),
        S.SUCCESS,
      );
    });
  });
});
