// What operators see of the commit path: Fabric's log lines and metrics.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LedgerManager } from '@fabric-peer/ledger';
import { ChannelManager } from '../../src/channel/index.js';
import { PrometheusMetricsProvider } from '../../src/operations/index.js';
import { genesisBlock, ordererBlock } from '../channel/fabric-fixture.js';

describe('committer logs and metrics', () => {
  it("logs Fabric's Validated/Committed lines and exports height and processing time", async () => {
    const lines: string[] = [];
    const logger = {
      debug: () => undefined,
      info: (m: string) => lines.push(m),
      warn: () => undefined,
      error: () => undefined,
    };
    const metrics = new PrometheusMetricsProvider();
    const ledgers = await LedgerManager.open({ inMemory: true });
    const channels = await ChannelManager.open({ ledgers, logger, metrics });
    try {
      const ch = await channels.joinChannel(genesisBlock());
      for (let n = 1; n <= 13; n++) await ch.commitBlock(ordererBlock(n));
      assert.ok(
        lines.some((l) => /^\[mychannel\] Validated block \[12\] in \d+ms$/.test(l)),
        lines.join('\n'),
      );
      assert.ok(
        lines.some((l) => /^\[mychannel\] Committed block \[13\] with 3 transaction\(s\) in \d+ms$/.test(l)),
      );
      assert.ok(lines.some((l) => /config updated to sequence 1 by block \[1\]/.test(l)));
      const text = await metrics.registry.metrics();
      assert.match(text, /ledger_blockchain_height\{channel="mychannel"\} 14/);
      assert.match(text, /ledger_block_processing_time_count\{channel="mychannel"\} 13/);
      assert.match(
        text,
        /ledger_transaction_count\{channel="mychannel",transaction_type="ENDORSER_TRANSACTION",chaincode="asset:1.0",validation_code="VALID"\} 10/,
      );
      assert.match(
        text,
        /ledger_transaction_count\{[^}]*chaincode="asset:1.0",validation_code="ENDORSEMENT_POLICY_FAILURE"\} 1/,
      );
      assert.match(text, /ledger_transaction_count\{[^}]*validation_code="MVCC_READ_CONFLICT"\} 1/);
      assert.match(text, /chaincode="_lifecycle:syscc",validation_code="VALID"\} 3/);
      assert.match(
        text,
        /ledger_transaction_count\{channel="mychannel",transaction_type="CONFIG",chaincode="unknown",validation_code="VALID"\} 1/,
      );
    } finally {
      await channels.close();
      await ledgers.close();
    }
  });
});
