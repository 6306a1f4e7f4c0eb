// In-process chaincode given as a plain fabric-shim ChaincodeInterface object: it runs through the
// real fabric-shim server, and loading the shim leaves the peer's process-wide crash handling alone
// (the shim's logger would otherwise swallow uncaught exceptions and unhandled rejections).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChaincodeSupport, InProcessLauncher } from '../../src/chaincode/index.js';
import { openLedger, simulate, text, writesOf } from './helpers.js';

interface Stub {
  getFunctionAndParameters(): { fcn: string; params: string[] };
  putState(key: string, value: Buffer): Promise<void>;
}

test('a ChaincodeInterface object runs in process; no process-wide handlers are left behind', async () => {
  const listeners = (): number[] => [
    process.listenerCount('uncaughtException'),
    process.listenerCount('unhandledRejection'),
  ];
  const before = listeners();
  const inProcess = new InProcessLauncher();
  inProcess.add('plain', {
    chaincode: {
      Init: async () => ({ status: 200, payload: Buffer.alloc(0) }),
      Invoke: async (stub: unknown) => {
        const { fcn, params } = (stub as Stub).getFunctionAndParameters();
        await (stub as Stub).putState(params[0]!, Buffer.from(params[1]!));
        return { status: 200, message: '', payload: Buffer.from(`${fcn}:${params.join('=')}`) };
      },
    },
  });
  const support = new ChaincodeSupport({ launchers: [inProcess], executeTimeoutMs: 10_000 });
  const l = await openLedger();
  try {
    const r = await simulate(support, l.ledger, 'plain', ['set', 'k', 'v']);
    assert.equal(text(r), 'set:k=v');
    assert.deepEqual(writesOf(r.rw, 'plain'), { k: 'v' });
    assert.deepEqual(listeners(), before);
  } finally {
    await support.close();
    await l.close();
  }
});
