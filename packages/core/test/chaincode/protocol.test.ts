// The handler's state machine seen from a raw gRPC client speaking ChaincodeMessage directly (no
// shim): the handshake answers, messages out of turn, empty and duplicate registrations, KEEPALIVE,
// and an ERROR in place of COMPLETED.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { protos } from '@fabric-peer/protos';
import {
  CHAINCODE_ERRORS,
  ChaincodeError,
  ChaincodeListener,
  ChaincodeSupport,
} from '../../src/chaincode/index.js';
import { openLedger, simulate, type TestLedger } from './helpers.js';

const T = protos.ChaincodeMessage_Type;
const Client = grpc.makeGenericClientConstructor(protos.ChaincodeSupportService, 'ChaincodeSupport');
type Stream = grpc.ClientDuplexStream<protos.ChaincodeMessage, protos.ChaincodeMessage>;

/** A raw chaincode connection: what it received, and when its stream ended. */
function connect(address: string): {
  stream: Stream;
  received: protos.ChaincodeMessage[];
  ended: Promise<void>;
  next(): Promise<protos.ChaincodeMessage>;
  close(): void;
} {
  const client = new Client(address, grpc.credentials.createInsecure());
  const stream = (client as unknown as { register(): Stream }).register();
  const received: protos.ChaincodeMessage[] = [];
  const waiting: ((m: protos.ChaincodeMessage) => void)[] = [];
  stream.on('data', (m: protos.ChaincodeMessage) => {
    const w = waiting.shift();
    if (w) w(m);
    else received.push(m);
  });
  const ended = new Promise<void>((resolve) => {
    stream.on('error', () => resolve());
    stream.on('end', () => resolve());
  });
  return {
    stream,
    received,
    ended,
    next: () => {
      const m = received.shift();
      return m ? Promise.resolve(m) : new Promise((resolve) => waiting.push(resolve));
    },
    close: () => {
      stream.cancel();
      client.close();
    },
  };
}

const register = (name: string): protos.ChaincodeMessage =>
  protos.ChaincodeMessage.create({ type: T.REGISTER, payload: protos.ChaincodeID.encode({ name }) });

describe('handler state machine', () => {
  let l: TestLedger;
  let support: ChaincodeSupport;
  let listener: ChaincodeListener;

  before(async () => {
    l = await openLedger();
    support = new ChaincodeSupport({ devMode: true, executeTimeoutMs: 5000 });
    listener = await ChaincodeListener.start({ support, address: '127.0.0.1:0' });
  });

  after(async () => {
    await support.close();
    await listener.close();
    await l.close();
  });

  test('REGISTER is answered with REGISTERED then READY; KEEPALIVE is ignored; ERROR fails the proposal', async () => {
    const c = connect(listener.address);
    try {
      c.stream.write(register('raw'));
      assert.equal((await c.next()).type, T.REGISTERED);
      assert.equal((await c.next()).type, T.READY);
      c.stream.write(protos.ChaincodeMessage.create({ type: T.KEEPALIVE }));
      assert.ok(await support.waitForChaincode('raw', 2000));

      const pending = simulate(support, l.ledger, 'raw', ['anything']);
      const tx = await c.next();
      assert.equal(tx.type, T.TRANSACTION);
      assert.deepEqual(
        protos.ChaincodeInput.decode(tx.payload).args.map((a) => Buffer.from(a).toString()),
        ['anything'],
      );
      assert.ok(tx.proposal, 'the signed proposal travels with the transaction');
      // A request for a transaction the peer does not know is answered with an ERROR.
      c.stream.write(
        protos.ChaincodeMessage.create({
          type: T.GET_STATE,
          txid: 'unknown',
          channelId: 'mychannel',
          payload: protos.GetState.encode({ key: 'a' }),
        }),
      );
      const err = await c.next();
      assert.equal(err.type, T.ERROR);
      assert.equal(
        Buffer.from(err.payload).toString(),
        'GET_STATE failed: transaction ID: unknown: no ledger context',
      );
      c.stream.write(
        protos.ChaincodeMessage.create({
          type: T.ERROR,
          txid: tx.txid,
          channelId: tx.channelId,
          payload: Buffer.from('it broke'),
        }),
      );
      await assert.rejects(pending, (e: unknown) => {
        assert.ok(ChaincodeError.is(e, CHAINCODE_ERRORS.EXECUTE_FAILED));
        assert.match(e.message, /transaction returned with failure: it broke$/);
        return true;
      });
      assert.equal(c.received.length, 0, 'nothing else was sent (no KEEPALIVE)');
    } finally {
      c.close();
    }
  });

  test('a second registration under a name in use is refused; the first keeps running', async () => {
    const first = connect(listener.address);
    const second = connect(listener.address);
    try {
      first.stream.write(register('dup'));
      assert.equal((await first.next()).type, T.REGISTERED);
      second.stream.write(register('dup'));
      await second.ended;
      assert.equal(second.received.length, 0);
      assert.ok(support.isRunning('dup'));
    } finally {
      first.close();
      second.close();
    }
  });

  test('messages out of turn and empty names end the stream', async () => {
    const early = connect(listener.address);
    early.stream.write(protos.ChaincodeMessage.create({ type: T.GET_STATE, txid: 'x' }));
    await early.ended;
    early.close();
    const empty = connect(listener.address);
    empty.stream.write(register(''));
    await empty.ended;
    assert.equal(empty.received.length, 0);
    empty.close();
  });
});
