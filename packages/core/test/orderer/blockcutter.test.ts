import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { common } from '@fabric-peer/protos';
import { BlockCutter } from '../../src/orderer/index.js';

const env = (size: number): common.Envelope => common.Envelope.create({ payload: Buffer.alloc(size, 1) });

describe('BlockCutter (Fabric blockcutter semantics)', () => {
  it('cuts at MaxMessageCount', () => {
    const c = new BlockCutter({ maxMessageCount: 2, absoluteMaxBytes: 1000, preferredMaxBytes: 100 });
    assert.deepEqual(c.ordered(env(10)), { batches: [], pending: true });
    const r = c.ordered(env(10));
    assert.equal(r.batches.length, 1);
    assert.equal(r.batches[0]!.length, 2);
    assert.equal(r.pending, false);
  });

  it('cuts the pending batch before a message that would overflow PreferredMaxBytes', () => {
    const c = new BlockCutter({ maxMessageCount: 10, absoluteMaxBytes: 1000, preferredMaxBytes: 100 });
    c.ordered(env(60));
    const r = c.ordered(env(60));
    assert.deepEqual(
      r.batches.map((b) => b.length),
      [1],
    );
    assert.equal(r.pending, true);
    assert.equal(c.pendingCount, 1);
  });

  it('puts a message larger than PreferredMaxBytes in a batch of its own, after the pending one', () => {
    const c = new BlockCutter({ maxMessageCount: 10, absoluteMaxBytes: 1000, preferredMaxBytes: 100 });
    c.ordered(env(10));
    const r = c.ordered(env(150));
    assert.deepEqual(
      r.batches.map((b) => b.map((e) => e.payload.length)),
      [[10], [150]],
    );
    assert.equal(r.pending, false);
    assert.deepEqual(c.cut(), []);
  });
});
