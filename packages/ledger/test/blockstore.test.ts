// The block store: Fabric's header and data hashes, chaining checks with typed errors (and the
// ledger still usable after one), lookups, and the waiting block iterator behind Deliver.
import assert from 'node:assert/strict';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { common } from '@fabric-peer/protos';
import {
  BlockStore,
  blockHeaderBytes,
  blockHeaderHash,
  LedgerError,
  LedgerErrorCode,
  type KVLedger,
} from '../src/index.js';
import { encodeBlockParts } from '../src/blkstorage/blockutil.js';
import { be64 } from '../src/internal/bytes.js';
import {
  backends,
  endorserTx,
  FIXTURES,
  tempDir,
  fixtureBlock,
  fixtureJson,
  genesisBlock,
  makeBlock,
  nextBlock,
  simpleRwSet,
  withManager,
} from './helpers.js';

const tx = (id: string): Uint8Array => endorserTx(id, simpleRwSet({ writes: [[id, 'v']] }));

describe('block hashing', () => {
  it('matches Fabric on every fixture block', async () => {
    const chain = await fixtureJson<{ blocks: { number: number; hash: string; data_hash: string }[] }>(
      'mychannel.json',
    );
    for (const b of chain.blocks) {
      const block = await fixtureBlock('mychannel', b.number);
      assert.equal(blockHeaderHash(block.header!).toString('hex'), b.hash);
    }
  });

  it('encodes numbers as minimal DER INTEGERs and long lengths in long form', () => {
    const h = (n: number): string =>
      blockHeaderBytes({ number: n, previousHash: new Uint8Array(), dataHash: new Uint8Array() }).toString(
        'hex',
      );
    assert.equal(h(0), '300702010004000400');
    assert.equal(h(127), '300702017f04000400');
    assert.equal(h(128), '30080202008004000400');
    assert.equal(h(256), '30080202010004000400');
    const long = blockHeaderBytes({
      number: 1,
      previousHash: new Uint8Array(200),
      dataHash: new Uint8Array(32),
    });
    assert.equal(long.subarray(0, 3).toString('hex'), '3081f0');
  });

  it('writes blocks as common.Block.encode does, envelopes by reference', async () => {
    const chain = await fixtureJson<{ blocks: { number: number }[] }>('mychannel.json');
    const blocks: common.Block[] = [];
    for (const b of chain.blocks) blocks.push(await fixtureBlock('mychannel', b.number));
    const big = Buffer.alloc(20000, 7);
    blocks.push(
      makeBlock(0, new Uint8Array(), []),
      makeBlock(2 ** 40, new Uint8Array(32), [new Uint8Array(), tx('a'), big, Uint8Array.from([1])]),
      common.Block.create({
        header: { number: 5, previousHash: new Uint8Array(), dataHash: new Uint8Array() },
      }),
      common.Block.create({
        data: { data: [tx('b')] },
        metadata: { metadata: [new Uint8Array(), Uint8Array.from([9])] },
      }),
      common.Block.create({}),
    );
    for (const block of blocks) {
      const { parts, length } = encodeBlockParts(block);
      const joined = Buffer.concat(parts);
      assert.equal(joined.length, length);
      assert.deepEqual(joined, Buffer.from(common.Block.encode(block)));
    }
    const { parts } = encodeBlockParts(blocks.at(-4)!);
    assert.ok(parts.includes(big), 'the envelope itself is one of the parts');
  });
});

for (const backend of backends()) {
  describe(`block store (${backend.name})`, () => {
    after(() => backend.cleanup());

    const withLedger = async (fn: (l: KVLedger) => Promise<void>): Promise<void> =>
      withManager(await backend.options(), async (m) => fn(await m.createLedger(genesisBlock())));

    it('refuses blocks that do not chain, with typed errors naming channel and block; stays usable', () =>
      withLedger(async (l) => {
        const info = l.getBlockchainInfo();
        const good = nextBlock(info, [tx('a')]);
        const expectErr = async (b: common.Block, code: string): Promise<void> => {
          await assert.rejects(l.commit(b), (e: unknown) => {
            assert.ok(e instanceof LedgerError);
            assert.equal(e.code, code);
            assert.equal(e.channel, 'testchannel');
            assert.equal(e.blockNumber, b.header?.number);
            return true;
          });
        };
        await expectErr(makeBlock(2, info.currentBlockHash, [tx('a')]), LedgerErrorCode.BLOCK_NOT_CHAINED);
        await expectErr(makeBlock(1, new Uint8Array(32), [tx('a')]), LedgerErrorCode.BLOCK_NOT_CHAINED);
        const tampered = nextBlock(info, [tx('a')]);
        tampered.data!.data[0] = tx('b');
        await expectErr(tampered, LedgerErrorCode.BLOCK_DATA_HASH_MISMATCH);
        await expectErr(
          { header: undefined, data: undefined, metadata: undefined },
          LedgerErrorCode.BLOCK_MALFORMED,
        );
        assert.equal(l.height, 1);
        const r = await l.commit(good);
        assert.equal(r.blockNumber, 1);
        await expectErr(good, LedgerErrorCode.BLOCK_NOT_CHAINED);
        assert.equal(l.height, 2);
      }));

    it('takes block bytes too; truncated bytes are LEDGER_BLOCK_MALFORMED naming the channel', () =>
      withLedger(async (l) => {
        const bytes = common.Block.encode(nextBlock(l.getBlockchainInfo(), [tx('a')]));
        await assert.rejects(l.commit(bytes.subarray(0, bytes.length - 20)), (e: unknown) => {
          assert.ok(e instanceof LedgerError);
          assert.equal(e.code, LedgerErrorCode.BLOCK_MALFORMED);
          assert.equal(e.channel, 'testchannel');
          return true;
        });
        assert.deepEqual((await l.commit(bytes)).validationCodes, [0]);
      }));

    it('reads blocks by number, hash and tx id; unknown ones are typed errors', () =>
      withLedger(async (l) => {
        await l.commit(nextBlock(l.getBlockchainInfo(), [tx('t1'), tx('t2')]));
        const info = l.getBlockchainInfo();
        assert.equal(info.height, 2);
        const b1 = await l.getBlockByNumber(1);
        assert.equal(
          blockHeaderHash(b1.header!).toString('hex'),
          Buffer.from(info.currentBlockHash).toString('hex'),
        );
        assert.ok(Buffer.from(info.previousBlockHash).equals(b1.header!.previousHash));
        assert.equal((await l.getBlockByHash(info.currentBlockHash)).header!.number, 1);
        assert.equal((await l.getBlockByTxId('t2')).header!.number, 1);
        const t = await l.getTransactionById('t2');
        assert.equal(t.txNumber, 1);
        assert.ok(Buffer.from(common.Envelope.encode(t.envelope)).equals(t.envelopeBytes));
        await assert.rejects(l.getBlockByNumber(2), { code: LedgerErrorCode.BLOCK_NOT_FOUND });
        await assert.rejects(l.getBlockByHash(new Uint8Array(32)), { code: LedgerErrorCode.BLOCK_NOT_FOUND });
        await assert.rejects(l.getTransactionById('zzz'), { code: LedgerErrorCode.TX_NOT_FOUND });
        await assert.rejects(l.getTxValidationCodeByTxId('zzz'), { code: LedgerErrorCode.TX_NOT_FOUND });
      }));

    it('reports a corrupt record on disk as LEDGER_CORRUPT_RECORD', () =>
      withLedger(async (l) => {
        await l.commit(nextBlock(l.getBlockchainInfo(), [tx('t1')]));
        await l._store.put(Buffer.concat([Buffer.from('b'), be64(1)]), Buffer.from([0x0a, 0xff, 0x01]));
        await assert.rejects(l.getBlockByNumber(1), (e: unknown) => {
          assert.ok(e instanceof LedgerError);
          assert.equal(e.code, LedgerErrorCode.CORRUPT_RECORD);
          assert.equal(e.blockNumber, 1);
          return true;
        });
        assert.equal((await l.getBlockByNumber(0)).header!.number, 0);
      }));

    it('blocksFrom yields stored blocks, then waits for new ones; abort and close end it', () =>
      withLedger(async (l) => {
        const ac = new AbortController();
        const seen: number[] = [];
        const reader = (async () => {
          for await (const b of l.blocksFrom(0, ac.signal)) {
            seen.push(b.header!.number);
            if (b.header!.number === 3) return;
          }
        })();
        for (let i = 1; i <= 3; i++) {
          await new Promise((r) => setTimeout(r, 5));
          await l.commit(nextBlock(l.getBlockchainInfo(), [tx(`w${i}`)]));
        }
        await reader;
        assert.deepEqual(seen, [0, 1, 2, 3]);

        // Waiting for block 4 that never comes: abort.
        const waiting = (async () => {
          for await (const b of l.blocksFrom(4, ac.signal)) void b;
        })();
        setTimeout(() => ac.abort(new Error('client went away')), 10);
        await assert.rejects(waiting, /client went away/);

        // Close ends a waiting iteration quietly.
        const ending = (async () => {
          const got: number[] = [];
          for await (const b of l.blocksFrom(2)) got.push(b.header!.number);
          return got;
        })();
        await new Promise((r) => setTimeout(r, 10));
        await l.close();
        assert.deepEqual(await ending, [2, 3]);
      }));
  });
}

describe('standalone block store (an orderer’s chain)', () => {
  it('appends the orderer’s blocks as they are, reopens from disk, streams them', async () => {
    const dir = await tempDir();
    try {
      const bs = await BlockStore.openStandalone({ channel: 'mychannel', path: dir });
      for (let n = 0; n <= 13; n++) await bs.append(await fixtureBlock('mychannel-orderer', n));
      await assert.rejects(bs.append(await fixtureBlock('mychannel-orderer', 13)), {
        code: LedgerErrorCode.BLOCK_NOT_CHAINED,
      });
      await bs.close();
      const again = await BlockStore.openStandalone({ channel: 'mychannel', path: dir });
      assert.equal(again.height, 14);
      for (let n = 0; n <= 13; n++) {
        const ours = Buffer.from(common.Block.encode(await again.getBlockByNumber(n)));
        assert.ok(
          ours.equals(await readFile(new URL(`blocks/mychannel-orderer/${n}.block`, FIXTURES))),
          `block ${n}`,
        );
      }
      const t = await again.getTransactionById(
        'b0d4b7c3561c43dab723cde8b93fca354de44501025422c5cc1404026a7735b9',
      );
      assert.deepEqual([t.blockNumber, t.txNumber], [13, 0]);
      const seen: number[] = [];
      for await (const b of again.blocksFrom(10)) {
        seen.push(b.header!.number);
        if (seen.length === 4) break;
      }
      assert.deepEqual(seen, [10, 11, 12, 13]);
      await again.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('block files rolling over (classic-level)', () => {
  it('spreads blocks over several files, reads them all, rolls back across files and chains on', async () => {
    const dir = await tempDir();
    const open = (): Promise<BlockStore> =>
      BlockStore.openStandalone({ channel: 'mychannel', path: dir, maxFileSize: 30_000 });
    try {
      let bs = await open();
      for (let n = 0; n <= 13; n++) await bs.append(await fixtureBlock('mychannel-orderer', n));
      await bs.close();
      const files = (await readdir(join(dir, 'chains'))).sort();
      assert.ok(files.length >= 4, `files: ${files.join(',')}`);
      bs = await open();
      for (let n = 0; n <= 13; n++) assert.equal((await bs.getBlockByNumber(n)).header!.number, n);
      await bs.truncate(3);
      await bs.close();
      bs = await open();
      assert.equal(bs.height, 3);
      assert.ok((await readdir(join(dir, 'chains'))).length < files.length);
      await assert.rejects(bs.getBlockByNumber(3), { code: LedgerErrorCode.BLOCK_NOT_FOUND });
      for (let n = 3; n <= 13; n++) await bs.append(await fixtureBlock('mychannel-orderer', n));
      const info = bs.getBlockchainInfo();
      await bs.close();
      bs = await open();
      assert.deepEqual(bs.getBlockchainInfo(), info);
      for (let n = 0; n <= 13; n++) {
        const ours = Buffer.from(common.Block.encode(await bs.getBlockByNumber(n)));
        assert.ok(ours.equals(await readFile(new URL(`blocks/mychannel-orderer/${n}.block`, FIXTURES))));
      }
      await bs.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('block file read handles', () => {
  it('concurrent reads share one handle per file and close() leaves no descriptor open', async () => {
    const dir = await tempDir();
    const fds = async (): Promise<number> => (await readdir('/proc/self/fd')).length;
    try {
      let bs = await BlockStore.openStandalone({ channel: 'mychannel', path: dir, maxFileSize: 30_000 });
      for (let n = 0; n <= 13; n++) await bs.append(await fixtureBlock('mychannel-orderer', n));
      await bs.close();
      const before = await fds();
      bs = await BlockStore.openStandalone({ channel: 'mychannel', path: dir, maxFileSize: 30_000 });
      // Every block read eight times at once: the reads race to open the same files.
      const reads = Array.from({ length: 8 }, () =>
        Array.from({ length: 14 }, async (_, n) => (await bs.getBlockByNumber(n)).header!.number),
      ).flat();
      assert.deepEqual(
        await Promise.all(reads),
        Array.from({ length: 8 }, () => [...Array(14).keys()]).flat(),
      );
      await bs.close();
      assert.equal(await fds(), before, 'a read handle outlived close()');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
