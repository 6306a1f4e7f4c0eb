import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { common, orderer as ab } from '@fabric-peer/protos';
import { blockHeaderBytes } from '@fabric-peer/ledger';
import { MSP } from '@fabric-peer/msp';
import {
  configFromBlock,
  computeUpdate,
  createConfigUpdateEnvelope,
  signConfigTx,
} from '../../src/configtx/index.js';
import { EmbeddedOrderer } from '../../src/orderer/index.js';
import { CRYPTO, admin1, genesis, ordererSigner, readFix, signer, txEnvelope, user1 } from './helpers.js';

/** Checks the orderer's signature on a block as a peer does (value ++ signature_header ++ header DER). */
function verifyBlockSignature(block: common.Block, msp: MSP): string {
  const md = common.Metadata.decode(block.metadata!.metadata[common.BlockMetadataIndex.SIGNATURES]!);
  const s = md.signatures[0]!;
  const sh = common.SignatureHeader.decode(s.signatureHeader);
  const id = msp.deserializeIdentity(sh.creator);
  id.verify(Buffer.concat([md.value, s.signatureHeader, blockHeaderBytes(block.header!)]), s.signature);
  return id.mspId;
}

describe('embedded orderer (in process)', () => {
  let dir: string;
  let orderer: EmbeddedOrderer;
  const ordererMsp = () =>
    MSP.fromFolder(
      join(
        import.meta.dirname,
        '../../../../test/fixtures/fabric-2.5.12/crypto/ordererOrganizations/example.com/msp',
      ),
      'OrdererMSP',
    );

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'orderer-'));
    orderer = new EmbeddedOrderer({
      listenAddress: '127.0.0.1:0',
      signer: await ordererSigner(),
      dataDir: dir,
      batchTimeoutMs: 20,
    });
    await orderer.start();
    await orderer.join(genesis());
  });
  after(async () => {
    await orderer.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('the signature formula matches a real orderer-cut block', async () => {
    const real = common.Block.decode(readFix('blocks/mychannel-orderer/2.block'));
    assert.equal(verifyBlockSignature(real, await ordererMsp()), 'OrdererMSP');
  });

  it('orders a writer’s envelope into a signed block with Fabric metadata', async () => {
    const u = await user1();
    const resp = await orderer.broadcast(txEnvelope(u));
    assert.equal(resp.status, common.Status.SUCCESS);
    const chain = orderer.registrar.getChain('mychannel')!;
    const block = await (async () => {
      for await (const b of chain.store.blocksFrom(1)) return b;
      throw new Error('no block');
    })();
    assert.equal(block.header!.number, 1);
    assert.equal(block.data!.data.length, 1);
    assert.equal(verifyBlockSignature(block, await ordererMsp()), 'OrdererMSP');
    const obm = common.OrdererBlockMetadata.decode(
      common.Metadata.decode(block.metadata!.metadata[0]!).value,
    );
    assert.equal(obm.lastConfig!.index, 0);
    const lc = common.LastConfig.decode(common.Metadata.decode(block.metadata!.metadata[1]!).value);
    assert.equal(lc.index, 0);
    assert.equal(block.metadata!.metadata.length, 5);
  });

  it('refuses bad input with Fabric statuses and keeps serving', async () => {
    const u = await user1();
    const unknown = await orderer.broadcast(txEnvelope(u, 'nochannel'));
    assert.equal(unknown.status, common.Status.BAD_REQUEST);
    assert.match(unknown.info, /orderer system channel is not defined/);
    const unsigned = await orderer.broadcast(txEnvelope(undefined));
    assert.equal(unsigned.status, common.Status.FORBIDDEN);
    // Fabric's text: the policy error wrapped around ErrPermissionDenied.
    assert.equal(
      unsigned.info,
      "implicit policy evaluation failed - 0 sub-policies were satisfied, but this policy requires 1 of the 'Writers' sub-policies to be satisfied: permission denied",
    );
    const empty = await orderer.broadcast(common.Envelope.create({}));
    assert.equal(empty.status, common.Status.BAD_REQUEST);
    const garbage = await orderer.broadcast(common.Envelope.create({ payload: Buffer.from([0xff, 0xff]) }));
    assert.equal(garbage.status, common.Status.BAD_REQUEST);
    assert.match(garbage.info, /bad header/);
    const admin = await orderer.broadcast(txEnvelope(await admin1()));
    assert.equal(admin.status, common.Status.SUCCESS);
  });

  it('turns a CONFIG_UPDATE into a config block signed by the orderer (fixture block 1)', async () => {
    const before = configFromBlock(genesis()).config;
    const target = configFromBlock(common.Block.decode(readFix('blocks/mychannel-orderer/1.block'))).config;
    const update = computeUpdate('mychannel', before, target);
    // User1 is not an admin: the Org1MSP Admins mod policy refuses it, as Fabric does (BAD_REQUEST).
    const refused = await orderer.broadcast(createConfigUpdateEnvelope(update, [await user1()]));
    assert.equal(refused.status, common.Status.BAD_REQUEST);
    assert.match(refused.info, /error applying config update to existing channel 'mychannel'/);
    const ok = await orderer.broadcast(createConfigUpdateEnvelope(update, [await admin1()]));
    assert.equal(ok.status, common.Status.SUCCESS, ok.info);
    const chain = orderer.registrar.getChain('mychannel')!;
    assert.equal(chain.config.sequence, 1);
    const n = chain.config.configBlockNumber;
    const block = await chain.store.getBlockByNumber(n);
    const payload = common.Payload.decode(common.Envelope.decode(block.data!.data[0]!).payload);
    const sh = common.SignatureHeader.decode(payload.header!.signatureHeader);
    assert.equal((await ordererMsp()).deserializeIdentity(sh.creator).mspId, 'OrdererMSP');
    const ours = configFromBlock(block).config;
    assert.deepEqual(
      Buffer.from(ours.channelGroup!.groups.Application!.groups.Org1MSP!.values.AnchorPeers!.value),
      Buffer.from(target.channelGroup!.groups.Application!.groups.Org1MSP!.values.AnchorPeers!.value),
    );
    const obm = common.OrdererBlockMetadata.decode(
      common.Metadata.decode(block.metadata!.metadata[0]!).value,
    );
    assert.equal(obm.lastConfig!.index, n);
  });

  it('takes the fixture’s real Org1MSPanchors.tx signed as `peer channel update` does', async () => {
    const fresh = new EmbeddedOrderer({
      listenAddress: '127.0.0.1:0',
      signer: await ordererSigner(),
      genesisBlocks: [genesis()],
    });
    await fresh.start();
    try {
      const tx = common.Envelope.decode(readFix('channel/Org1MSPanchors.tx'));
      const ok = await fresh.broadcast(signConfigTx(tx, await admin1()));
      assert.equal(ok.status, common.Status.SUCCESS, ok.info);
      const chain = fresh.registrar.getChain('mychannel')!;
      const ours = configFromBlock(await chain.store.getBlockByNumber(1)).config;
      const real = configFromBlock(common.Block.decode(readFix('blocks/mychannel-orderer/1.block'))).config;
      // The same next config as Fabric's orderer computed: every element, version and mod policy.
      assert.equal(ours.sequence, real.sequence);
      assert.deepEqual(
        common.ConfigGroup.decode(common.ConfigGroup.encode(ours.channelGroup!)),
        common.ConfigGroup.decode(common.ConfigGroup.encode(real.channelGroup!)),
      );
      // Sent again, its read set is stale: refused as Fabric's validator does.
      const [a, b] = await Promise.all([
        fresh.broadcast(signConfigTx(tx, await admin1())),
        fresh.broadcast(signConfigTx(tx, await admin1())),
      ]);
      assert.deepEqual([a.status, b.status], [common.Status.BAD_REQUEST, common.Status.BAD_REQUEST]);
      const stale = await fresh.broadcast(signConfigTx(tx, await admin1()));
      assert.equal(stale.status, common.Status.BAD_REQUEST);
      assert.throws(
        () =>
          signConfigTx(txEnvelope(undefined), {
            serialize: () => new Uint8Array(),
            sign: () => new Uint8Array(),
          }),
        {
          code: 'CONFIGTX_ENVELOPE_INVALID',
        },
      );
    } finally {
      await fresh.stop();
    }
  });

  it('serialises racing config updates and refuses a consensus type change', async () => {
    const fresh = new EmbeddedOrderer({
      listenAddress: '127.0.0.1:0',
      signer: await ordererSigner(),
      genesisBlocks: [genesis()],
    });
    await fresh.start();
    try {
      const tx = common.Envelope.decode(readFix('channel/Org1MSPanchors.tx'));
      const [a, b] = await Promise.all([
        fresh.broadcast(signConfigTx(tx, await admin1())),
        fresh.broadcast(signConfigTx(tx, await admin1())),
      ]);
      assert.deepEqual([a.status, b.status].sort(), [common.Status.SUCCESS, common.Status.BAD_REQUEST]);
      const current = configFromBlock(
        await fresh.registrar.getChain('mychannel')!.store.getBlockByNumber(1),
      ).config;
      const next = common.Config.decode(common.Config.encode(current));
      next.channelGroup!.groups.Orderer!.values.ConsensusType!.value = ab.ConsensusType.encode({
        type: 'solo',
      });
      const ordAdmin = await signer(
        join(CRYPTO, 'ordererOrganizations/example.com/users/Admin@example.com/msp'),
        'OrdererMSP',
      );
      const r = await fresh.broadcast(
        createConfigUpdateEnvelope(computeUpdate('mychannel', current, next), [ordAdmin]),
      );
      assert.equal(r.status, common.Status.BAD_REQUEST);
      assert.match(r.info, /attempted to change consensus type from etcdraft to solo/);
    } finally {
      await fresh.stop();
    }
  });

  it('keeps its chain across a restart, pending messages included', async () => {
    const before = orderer.registrar.getChain('mychannel')!;
    const acked = await orderer.broadcast(txEnvelope(await user1()));
    assert.equal(acked.status, common.Status.SUCCESS);
    const height = before.height + 1; // the acknowledged message is still pending: stop() writes it
    await orderer.stop();
    assert.equal(
      await before.order(txEnvelope(await user1())).catch((e: { status: number }) => e.status),
      503,
    );
    orderer = new EmbeddedOrderer({
      listenAddress: '127.0.0.1:0',
      signer: await ordererSigner(),
      dataDir: dir,
      batchTimeoutMs: 20,
    });
    await orderer.start();
    const chain = orderer.registrar.getChain('mychannel')!;
    assert.equal(chain.height, height);
    assert.equal(chain.config.sequence, 1);
    assert.equal((await orderer.broadcast(txEnvelope(await user1()))).status, common.Status.SUCCESS);
  });
});
