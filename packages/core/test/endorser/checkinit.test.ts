import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { LedgerManager } from '@fabric-peer/ledger';
import { common } from '@fabric-peer/protos';
import { checkInvocation, INITIALIZED_KEY } from '../../src/endorser/checkinit.js';

const genesis = common.Block.decode(
  readFileSync(
    new URL('../../../../test/fixtures/fabric-2.5.12/channel/mychannel-genesis.block', import.meta.url),
  ),
);

test("init-required follows Fabric's CheckInvocation: Init first, once per version", async () => {
  const ledgers = await LedgerManager.open({ inMemory: true });
  try {
    const ledger = await ledgers.createLedger(genesis);
    const sim = await ledger.newTxSimulator('tx1');
    const v1 = { version: '1.0', enforceInit: true };

    await assert.rejects(
      checkInvocation('cc', v1, false, sim),
      /chaincode 'cc' has not been initialized for this version, must call as init first/,
    );
    assert.equal(await checkInvocation('cc', v1, true, sim), true);
    const written = sim.getTxSimulationResults().proto.nsRwset.find((n) => n.namespace === 'cc');
    assert.ok(written, 'the Init writes into the chaincode namespace');
    await sim.done();

    // Once the marker holds this version: transactions run, a second Init is refused; a new version asks again.
    const sim2 = await ledger.newTxSimulator('tx2');
    sim2.getState = async (ns: string, key: string) =>
      ns === 'cc' && key === INITIALIZED_KEY ? Buffer.from('1.0') : undefined;
    assert.equal(await checkInvocation('cc', v1, false, sim2), false);
    await assert.rejects(checkInvocation('cc', v1, true, sim2), /is already initialized but called as init/);
    await assert.rejects(
      checkInvocation('cc', { version: '2.0', enforceInit: true }, false, sim2),
      /must call as init first/,
    );
    await assert.rejects(
      checkInvocation('cc', { version: '1.0', enforceInit: false }, true, sim2),
      /does not require initialization but called as init/,
    );
    assert.equal(await checkInvocation('cc', { version: '1.0' }, false, sim2), false);
    await sim2.done();
  } finally {
    await ledgers.close();
  }
});
