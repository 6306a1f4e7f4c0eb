// Every shim call the peer serves, driven by the real fabric-contract-api contract running in
// process (real fabric-shim server on a socket, dialled like a chaincode-as-a-service), through
// ChaincodeSupport.execute on a real in-memory ledger; responses and rw-sets are checked.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type KVLedger } from '@fabric-peer/ledger';
import {
  CHAINCODE_ERRORS,
  ChaincodeError,
  ChaincodeSupport,
  InProcessLauncher,
} from '../../src/chaincode/index.js';
import { PrometheusMetricsProvider } from '../../src/operations/index.js';
import {
  CHANNEL,
  commit,
  CONTRACT_DIR,
  newTxId,
  openLedger,
  readsOf,
  simulate,
  text,
  type TestLedger,
  writesOf,
} from './helpers.js';

const require = createRequire(import.meta.url);
const { ShimTestContract } = require(join(CONTRACT_DIR, 'index.js')) as { ShimTestContract: unknown };
const { RawChaincode } = require(join(CONTRACT_DIR, 'raw.js')) as {
  RawChaincode: new () => { Init(s: unknown): Promise<unknown>; Invoke(s: unknown): Promise<unknown> };
};

describe('shim protocol (in-process contract)', () => {
  let l: TestLedger;
  let ledger: KVLedger;
  let support: ChaincodeSupport;
  let inProcess: InProcessLauncher;

  before(async () => {
    l = await openLedger();
    ledger = l.ledger;
    inProcess = new InProcessLauncher();
    inProcess.add('shimtest', { contracts: [ShimTestContract] });
    inProcess.add('callee', { contracts: [ShimTestContract] });
    inProcess.add('raw', { chaincode: new RawChaincode() });
    support = new ChaincodeSupport({
      launchers: [inProcess],
      executeTimeoutMs: 10_000,
      startupTimeoutMs: 10_000,
      // Another channel is simulated by a read-only executor of the same ledger.
      otherChannel: async (channelId) => {
        if (channelId !== 'otherchannel') return undefined;
        const q = await ledger.newQueryExecutor();
        return { simulator: q, history: ledger, done: () => q.done() };
      },
    });
  });

  after(async () => {
    await support.close();
    await l.close();
  });

  test('put, get, delete; the event carries the chaincode name and tx id', async () => {
    const put = await simulate(support, ledger, 'shimtest', ['Put', 'a', 'apple']);
    assert.equal(put.response.status, 200);
    assert.equal(text(put), 'apple');
    assert.equal(put.event?.eventName, 'Put');
    assert.equal(put.event?.chaincodeId, 'shimtest');
    assert.equal(put.event?.txId, put.txId);
    assert.deepEqual(JSON.parse(Buffer.from(put.event!.payload).toString()), { key: 'a', value: 'apple' });
    assert.deepEqual(writesOf(put.rw, 'shimtest'), { a: 'apple' });
    assert.deepEqual(await commit(ledger, [put]), [0]);

    const get = await simulate(support, ledger, 'shimtest', ['Get', 'a']);
    assert.equal(text(get), 'apple');
    assert.deepEqual(readsOf(get.rw, 'shimtest'), ['a']);
    assert.equal(get.event, undefined);

    const rw = await simulate(support, ledger, 'shimtest', ['PutGet', 'a', 'avocado']);
    assert.equal(text(rw), 'apple', 'reads see committed state, not the write');
    assert.deepEqual(writesOf(rw.rw, 'shimtest'), { a: 'avocado' });

    const del = await simulate(support, ledger, 'shimtest', ['Del', 'a']);
    assert.deepEqual(writesOf(del.rw, 'shimtest'), { a: undefined });
  });

  test('a missing key reads as empty', async () => {
    const r = await simulate(support, ledger, 'shimtest', ['Get', 'nothing-here']);
    assert.equal(r.response.status, 500);
    assert.equal(r.response.message, 'key nothing-here does not exist');
  });

  test('state metadata: key-level endorsement policy written, committed and read back', async () => {
    const set = await simulate(support, ledger, 'shimtest', ['SetEndorsers', 'meta1', 'Org1MSP,Org2MSP']);
    assert.equal(set.response.status, 200, set.response.message);
    const ns = set.rw.nsRwSets.find((n) => n.namespace === 'shimtest')!;
    assert.equal(ns.kvRwSet.metadataWrites.length, 1);
    assert.equal(ns.kvRwSet.metadataWrites[0]!.key, 'meta1');
    assert.equal(ns.kvRwSet.metadataWrites[0]!.entries[0]!.name, 'VALIDATION_PARAMETER');
    const put = await simulate(support, ledger, 'shimtest', ['Put', 'meta1', 'v']);
    assert.deepEqual(await commit(ledger, [put]), [0]);
    assert.deepEqual(await commit(ledger, [set]), [0]);
    const get = await simulate(support, ledger, 'shimtest', ['GetEndorsers', 'meta1']);
    assert.deepEqual(JSON.parse(text(get)), ['Org1MSP', 'Org2MSP']);
  });

  test('range queries cross result batches (QUERY_STATE_NEXT) and are recorded for phantom checks', async () => {
    const many = await simulate(support, ledger, 'shimtest', ['PutMany', 'k', '250']);
    assert.deepEqual(await commit(ledger, [many]), [0]);
    const r = await simulate(support, ledger, 'shimtest', ['Range', 'k0000', 'k0250']);
    const keys = JSON.parse(text(r)) as string[];
    assert.equal(keys.length, 250);
    assert.equal(keys[0], 'k0000');
    assert.equal(keys[249], 'k0249');
    const ns = r.rw.nsRwSets.find((n) => n.namespace === 'shimtest')!;
    assert.equal(ns.kvRwSet.rangeQueriesInfo.length, 1);
    assert.equal(ns.kvRwSet.rangeQueriesInfo[0]!.startKey, 'k0000');
    assert.equal(ns.kvRwSet.rangeQueriesInfo[0]!.itrExhausted, true);

    // An empty start key reaches the peer as "\x01": every simple key, no composite ones.
    const all = JSON.parse(
      text(await simulate(support, ledger, 'shimtest', ['Range', '', 'k0003'])),
    ) as string[];
    assert.ok(all.includes('k0002') && !all.includes('k0003'));
    assert.ok(all.every((k) => !k.startsWith('\u0000')));
  });

  test('a range left early is closed (QUERY_STATE_CLOSE) and recorded as not exhausted', async () => {
    const r = await simulate(support, ledger, 'shimtest', ['RangeFirst', 'k0000', 'k0250', '150']);
    const keys = JSON.parse(text(r)) as string[];
    assert.equal(keys.length, 150);
    const rqi = r.rw.nsRwSets.find((n) => n.namespace === 'shimtest')!.kvRwSet.rangeQueriesInfo[0]!;
    assert.equal(rqi.itrExhausted, false);
    // Two batches were sent (k0000-k0099, k0100-k0199); as Fabric's batching does, the peer had
    // already read k0200 (kept pending for the next batch), so the recorded range ends there.
    assert.equal(rqi.endKey, 'k0200');
  });

  test('paginated ranges return pages and bookmarks', async () => {
    const pages: { keys: string[]; bookmark: string; count: number }[] = [];
    let bookmark = '';
    do {
      const r = await simulate(support, ledger, 'shimtest', ['RangePage', 'k0000', 'k0250', '100', bookmark]);
      assert.equal(r.response.status, 200, r.response.message);
      const page = JSON.parse(text(r)) as { keys: string[]; bookmark: string; count: number };
      pages.push(page);
      bookmark = page.bookmark;
    } while (bookmark !== '' && pages.length < 5);
    assert.deepEqual(
      pages.map((p) => [p.count, p.keys[0], p.bookmark]),
      [
        [100, 'k0000', 'k0100'],
        [100, 'k0100', 'k0200'],
        [50, 'k0200', ''],
      ],
    );
  });

  test('composite keys and partial composite ranges', async () => {
    const puts = await Promise.all(
      [
        ['blue', 'car1', 'v1'],
        ['blue', 'car2', 'v2'],
        ['red', 'car3', 'v3'],
      ].map(([c, n, v]) => simulate(support, ledger, 'shimtest', ['PutComposite', 'color~name', c!, n!, v!])),
    );
    assert.deepEqual(writesOf(puts[0]!.rw, 'shimtest'), {
      '\u0000color~name\u0000blue\u0000car1\u0000': 'v1',
    });
    assert.deepEqual(await commit(ledger, puts), [0, 0, 0]);
    const blue = await simulate(support, ledger, 'shimtest', ['Partial', 'color~name', 'blue']);
    assert.deepEqual(JSON.parse(text(blue)), [
      { t: 'color~name', attributes: ['blue', 'car1'], value: 'v1' },
      { t: 'color~name', attributes: ['blue', 'car2'], value: 'v2' },
    ]);
    const every = JSON.parse(
      text(await simulate(support, ledger, 'shimtest', ['Partial', 'color~name', ''])),
    ) as unknown[];
    assert.equal(every.length, 3);
  });

  test('history of a key, newest first, deletes marked', async () => {
    const txs: string[] = [];
    for (const args of [
      ['Put', 'h', '1'],
      ['Put', 'h', '2'],
      ['Del', 'h'],
    ]) {
      const s = await simulate(support, ledger, 'shimtest', args);
      txs.push(s.txId);
      assert.deepEqual(await commit(ledger, [s]), [0]);
    }
    const h = await simulate(support, ledger, 'shimtest', ['History', 'h']);
    assert.deepEqual(JSON.parse(text(h)), [
      { txId: txs[2], value: '', isDelete: true },
      { txId: txs[1], value: '2', isDelete: false },
      { txId: txs[0], value: '1', isDelete: false },
    ]);
  });

  test('chaincode-to-chaincode on the same channel joins the caller rw-set', async () => {
    const r = await simulate(support, ledger, 'shimtest', ['CallPut', 'callee', 'x', 'ten']);
    assert.equal(r.response.status, 200, r.response.message);
    assert.deepEqual(JSON.parse(text(r)), { status: 200, payload: 'ten' });
    assert.deepEqual(writesOf(r.rw, 'shimtest'), { 'caller-x': 'ten' });
    assert.deepEqual(writesOf(r.rw, 'callee'), { x: 'ten' });
    // The callee's event does not become the caller's.
    assert.equal(r.event, undefined);

    const failing = await simulate(support, ledger, 'shimtest', ['Call', 'callee', 'Fail,nope']);
    assert.deepEqual(JSON.parse(text(failing)), { status: 500, message: 'nope', payload: '' });
  });

  test('chaincode-to-chaincode on another channel is read-only; unknown channels fail', async () => {
    const seed = await simulate(support, ledger, 'callee', ['Put', 'remote', 'r1']);
    assert.deepEqual(await commit(ledger, [seed]), [0]);
    const read = await simulate(support, ledger, 'shimtest', ['Call', 'callee/otherchannel', 'Get,remote']);
    assert.deepEqual(JSON.parse(text(read)), { status: 200, message: '', payload: 'r1' });
    assert.equal(
      read.rw.nsRwSets.find((n) => n.namespace === 'callee'),
      undefined,
    );

    const write = await simulate(support, ledger, 'shimtest', ['Call', 'callee/otherchannel', 'Put,k,v']);
    const w = JSON.parse(text(write)) as { status: number; message: string };
    assert.equal(w.status, 500);
    assert.match(w.message, /PUT_STATE failed: .*read-only/);

    const none = await simulate(support, ledger, 'shimtest', ['Call', 'callee/nochannel', 'Get,x']);
    assert.equal(none.response.status, 500);
    assert.match(
      none.response.message,
      /INVOKE_CHAINCODE failed: transaction ID: \w+: failed to find ledger for channel: nochannel/,
    );
  });

  test('a chaincode calling itself in the same transaction is refused, as in Fabric', async () => {
    const r = await simulate(support, ledger, 'shimtest', ['CallSelf']);
    assert.equal(r.response.status, 500);
    assert.match(
      r.response.message,
      new RegExp(
        `INVOKE_CHAINCODE failed: transaction ID: ${r.txId}: execute failed: .*txid: ${r.txId}\\(mychannel\\) exists`,
      ),
    );
  });

  test('errors: thrown exceptions and chaincode status 500 come back as responses', async () => {
    const thrown = await simulate(support, ledger, 'shimtest', ['Fail', 'boom']);
    assert.equal(thrown.response.status, 500);
    assert.equal(thrown.response.message, 'boom');

    const raw = await simulate(support, ledger, 'raw', ['error', 'bad input']);
    assert.deepEqual(
      [raw.response.status, raw.response.message, Buffer.from(raw.response.payload).toString()],
      [500, 'bad input', 'details'],
    );
    const echo = await simulate(support, ledger, 'raw', ['echo', 'a', 'b']);
    assert.equal(text(echo), 'a,b');
  });

  test('rich queries fail as on LevelDB; private data fails clearly instead of hanging', async () => {
    const rich = await simulate(support, ledger, 'shimtest', ['Rich', '{"selector":{}}']);
    assert.equal(rich.response.status, 500);
    assert.equal(
      rich.response.message,
      `GET_QUERY_RESULT failed: transaction ID: ${rich.txId}: ExecuteQuery not supported for leveldb`,
    );
    const pvt = await simulate(support, ledger, 'shimtest', ['PrivateGet', 'coll', 'k']);
    assert.equal(pvt.response.status, 500);
    assert.match(
      pvt.response.message,
      /^GET_STATE failed: transaction ID: \w+: private data is not supported/,
    );
    // The hash of private data is kept in public (hashed) state: it can be read, here as nothing.
    const hash = await simulate(support, ledger, 'shimtest', ['PrivateHash', 'coll', 'k']);
    assert.equal(hash.response.status, 200, hash.response.message);
    assert.equal(text(hash), '');
  });

  test('INIT goes to the chaincode Init', async () => {
    const init = await simulate(support, ledger, 'raw', [], { isInit: true });
    assert.equal(text(init), 'init done');
    assert.deepEqual(writesOf(init.rw, 'raw'), { initialized: 'yes' });
  });

  test('concurrent transactions on one stream keep their own rw-sets', async () => {
    const n = 25;
    const sims = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        simulate(support, ledger, 'shimtest', ['Slow', String((n - i) * 4), `c${i}`, `v${i}`]),
      ),
    );
    sims.forEach((s, i) => {
      assert.equal(text(s), `c${i}=v${i}`);
      assert.deepEqual(writesOf(s.rw, 'shimtest'), { [`c${i}`]: `v${i}` });
    });
  });

  test('the same channel + tx id twice at once is refused', async () => {
    const txId = newTxId();
    const first = simulate(support, ledger, 'shimtest', ['Slow', '100', 'dup', '1'], { txId });
    await new Promise((r) => setTimeout(r, 10));
    await assert.rejects(
      simulate(support, ledger, 'shimtest', ['Get', 'a'], { txId }),
      (err: unknown) =>
        ChaincodeError.is(err, CHAINCODE_ERRORS.TX_EXISTS) &&
        err.message.includes(`txid: ${txId}(${CHANNEL}) exists`),
    );
    assert.equal((await first).response.status, 200);
  });

  test('an unknown chaincode fails to launch with a clear message', async () => {
    await assert.rejects(simulate(support, ledger, 'nosuchcc', ['x']), (err: unknown) => {
      assert.ok(ChaincodeError.is(err, CHAINCODE_ERRORS.LAUNCH_FAILED));
      assert.match(
        err.message,
        /^failed to execute transaction \w+: could not launch chaincode nosuchcc: chaincode nosuchcc is not installed/,
      );
      return true;
    });
  });
});

describe('execute timeout', () => {
  test('a hanging transaction fails after chaincode.executetimeout; the stream stays usable', async () => {
    const l = await openLedger();
    const inProcess = new InProcessLauncher();
    inProcess.add('shimtest', { contracts: [ShimTestContract] });
    const metrics = new PrometheusMetricsProvider();
    const support = new ChaincodeSupport({
      launchers: [inProcess],
      executeTimeoutMs: 300,
      startupTimeoutMs: 10_000,
      metrics,
    });
    try {
      const started = Date.now();
      await assert.rejects(simulate(support, l.ledger, 'shimtest', ['Hang']), (err: unknown) => {
        assert.ok(ChaincodeError.is(err, CHAINCODE_ERRORS.EXECUTE_TIMEOUT));
        assert.match(
          err.message,
          /failed to execute transaction \w+: error sending: timeout expired while executing transaction/,
        );
        assert.equal(err.status, 500);
        return true;
      });
      assert.ok(Date.now() - started < 2000);
      const ok = await simulate(support, l.ledger, 'shimtest', ['Put', 'after', 'timeout']);
      assert.equal(ok.response.status, 200);
      // Fabric's chaincode metrics, same names and labels.
      const text = await metrics.registry.metrics();
      assert.match(text, /chaincode_execute_timeouts\{chaincode="shimtest"\} 1/);
      assert.match(
        text,
        /chaincode_shim_requests_received\{type="PUT_STATE",channel="mychannel",chaincode="shimtest"\} 1/,
      );
      assert.match(
        text,
        /chaincode_shim_requests_completed\{type="PUT_STATE",channel="mychannel",chaincode="shimtest",success="true"\} 1/,
      );
      assert.match(text, /chaincode_launch_duration_count\{chaincode="shimtest",success="true"\} 1/);
    } finally {
      await support.close();
      await l.close();
    }
  });
});
