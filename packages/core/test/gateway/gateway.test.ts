// gateway.Gateway against the real @hyperledger/fabric-gateway 1.11 client: a peer with the embedded
// orderer and an in-process fabric-contract-api contract; the client runs in its own process.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { signaturePolicyFromString } from '@fabric-peer/msp';
import { runScenario, targetOf } from './client.js';
import { ASSET } from './contract.js';
import { type TestNetwork, startTestNetwork } from './harness.js';

interface Attempt {
  ok?: unknown;
  error?: {
    name: string;
    code: number;
    message: string;
    details?: { address: string; mspId: string; message: string }[];
    transactionId?: string;
  };
}

describe('gateway with the real fabric-gateway client', () => {
  let t: TestNetwork;

  before(async () => {
    t = await startTestNetwork();
    await t.defineChaincode('basic', ASSET);
    // A policy no peer of this network can satisfy alone: Org2MSP is not even a member.
    await t.defineChaincode('strict', ASSET, {
      signaturePolicy: signaturePolicyFromString("AND('Org1MSP.peer','Org2MSP.peer')"),
    });
  });
  after(async () => {
    await t.close();
  });

  test('evaluate, submit, submitAsync + getStatus; a chaincode error on evaluate carries the endorser detail', async () => {
    const r = await runScenario<{
      submitted: string;
      evaluated: string;
      mspid: string;
      async: { result: string; txId: string; code: number; successful: boolean; blockNumber: number };
      missing: Attempt;
    }>('basic', targetOf(t, 'basic'));
    assert.equal(r.submitted, 'v1');
    assert.equal(r.evaluated, 'v1');
    assert.equal(r.mspid, 'Org1MSP');
    assert.equal(r.async.result, 'v2');
    assert.equal(r.async.code, 0);
    assert.equal(r.async.successful, true);
    // The commit status names the block the ledger holds the transaction in.
    const tx = await t.channel.ledger.getTransactionById(r.async.txId);
    assert.equal(r.async.blockNumber, tx.blockNumber);
    assert.equal(r.missing.error?.name, 'GatewayError');
    assert.equal(r.missing.error?.code, 2); // UNKNOWN: the chaincode's own error, as Fabric
    assert.match(
      r.missing.error!.message,
      /evaluate call to endorser returned error: chaincode response 500, asset nope does not exist/,
    );
    assert.deepEqual(r.missing.error?.details, [
      {
        address: t.peerAddress,
        mspId: 'Org1MSP',
        message: 'chaincode response 500, asset nope does not exist',
      },
    ]);
  });

  test('chaincode events with checkpointing, live events, block and filtered block events', async () => {
    const start = t.channel.height;
    const r = await runScenario<{
      first: { txId: string; name: string; payload: string; block: number }[];
      next: { txId: string; name: string; payload: string; block: number }[];
      live?: { name: string; payload: string };
      blockNumbers: number[];
      filteredTx?: { txId: string; code: number };
    }>('events', targetOf(t, 'basic', { startBlock: 0 }));
    // From block 0: the first event is the first put ever made (k1=v1), then resuming after its
    // transaction gives the next one (k2=v2), not k1 again.
    assert.equal(r.first.length, 1);
    assert.equal(r.first[0]!.payload, 'k1=v1');
    assert.equal(r.first[0]!.name, 'put');
    assert.equal(r.next[0]!.payload, 'k2=v2');
    assert.ok(r.next[0]!.block >= r.first[0]!.block);
    assert.notEqual(r.next[0]!.txId, r.first[0]!.txId);
    assert.deepEqual(r.live, { name: 'put', payload: 'live=yes' });
    assert.deepEqual(r.blockNumbers, [0, 1, 2]);
    assert.equal(r.filteredTx?.code, 0);
    assert.ok(t.channel.height > start);
  });

  test('endorsement policy failures, MVCC conflict, chaincode errors and unknown orgs as the client expects', async () => {
    const r = await runScenario<{
      noPlan: Attempt;
      named: { ok?: { code: number; successful: boolean } };
      namedSubmit: Attempt;
      mvcc: { code: number; successful: boolean }[];
      chaincodeError: Attempt;
      unknownOrg: Attempt;
    }>('failures', targetOf(t, 'basic', { strict: 'strict' }));
    // The gateway plans from the policy: no layout the known peers can satisfy.
    assert.equal(r.noPlan.error?.name, 'EndorseError');
    assert.equal(r.noPlan.error?.code, 9); // FAILED_PRECONDITION
    assert.match(r.noPlan.error!.message, /no peer combination can satisfy the endorsement policy/);
    // The client named Org1 alone: the transaction is ordered and validation refuses it.
    assert.deepEqual(r.named.ok, { code: 10, successful: false }); // ENDORSEMENT_POLICY_FAILURE
    assert.equal(r.namedSubmit.error?.name, 'CommitError');
    assert.equal(r.namedSubmit.error?.code, 10);
    assert.deepEqual(r.mvcc, [
      { code: 0, successful: true },
      { code: 11, successful: false }, // MVCC_READ_CONFLICT
    ]);
    assert.equal(r.chaincodeError.error?.name, 'EndorseError');
    assert.equal(r.chaincodeError.error?.code, 10); // ABORTED
    assert.equal(
      r.chaincodeError.error?.message,
      '10 ABORTED: failed to endorse transaction, see attached details for more info',
    );
    assert.deepEqual(r.chaincodeError.error?.details, [
      {
        address: t.peerAddress,
        mspId: 'Org1MSP',
        message: 'chaincode response 500, asset absent does not exist',
      },
    ]);
    assert.equal(r.unknownOrg.error?.code, 14); // UNAVAILABLE
    assert.match(r.unknownOrg.error!.message, /NoSuchMSP/);
  });
});
