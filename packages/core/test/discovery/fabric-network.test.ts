// discovery.Discovery and the peer's Endorser/Deliver against the real fabric-network 2.2 client with
// discovery on (asLocalhost): it learns the peer, the orderer and the endorsement plan from this peer.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Contract, Gateway, type Network, Wallets, type X509Identity } from 'fabric-network';
import { ASSET } from '../gateway/contract.js';
import { type TestNetwork, startTestNetwork } from '../gateway/harness.js';

describe('fabric-network 2.2 with discovery', () => {
  let t: TestNetwork;
  let gateway: Gateway;
  let network: Network;
  let contract: Contract;

  before(async () => {
    t = await startTestNetwork();
    await t.defineChaincode('basic', ASSET);
    const wallet = await Wallets.newInMemoryWallet();
    await wallet.put('user', {
      credentials: { certificate: t.net.user.certificate, privateKey: t.net.user.privateKey },
      mspId: 'Org1MSP',
      type: 'X.509',
    } as X509Identity);
    const port = t.peerAddress.split(':')[1];
    const profile = {
      name: 'test',
      version: '1.0.0',
      client: { organization: 'Org1' },
      organizations: { Org1: { mspid: 'Org1MSP', peers: ['peer0.org1.example.com'] } },
      peers: {
        'peer0.org1.example.com': {
          url: `grpcs://localhost:${port}`,
          tlsCACerts: { pem: t.net.peer.tls.ca },
          grpcOptions: { 'ssl-target-name-override': 'peer0.org1.example.com' },
        },
      },
    };
    gateway = new Gateway();
    await gateway.connect(profile, {
      wallet,
      identity: 'user',
      discovery: { enabled: true, asLocalhost: true },
    });
    network = await gateway.getNetwork(t.channelId);
    contract = network.getContract('basic');
  });
  after(async () => {
    gateway?.disconnect();
    await t?.close();
  });

  test('submitTransaction and evaluateTransaction go through the discovered plan and orderer', async () => {
    const r = await contract.submitTransaction('put', 'n1', 'network');
    assert.equal(r.toString(), 'network');
    assert.equal((await contract.evaluateTransaction('get', 'n1')).toString(), 'network');
    await assert.rejects(contract.evaluateTransaction('get', 'absent'), /asset absent does not exist/);
  });

  test('a contract listener and a block listener see the committed transaction', async () => {
    const events: { name: string; payload: string; txId: string }[] = [];
    const blocks: number[] = [];
    let gotEvent!: () => void;
    let gotBlock!: () => void;
    const eventSeen = new Promise<void>((r) => (gotEvent = r));
    const blockSeen = new Promise<void>((r) => (gotBlock = r));
    const contractListener = async (e: {
      eventName: string;
      payload?: Buffer;
      getTransactionEvent(): { transactionId: string };
    }): Promise<void> => {
      events.push({
        name: e.eventName,
        payload: e.payload?.toString() ?? '',
        txId: e.getTransactionEvent().transactionId,
      });
      // Listening starts at the newest block, which already holds an earlier put: wait for ours.
      if (e.payload?.toString() === 'n2=listened') gotEvent();
    };
    const blockListener = async (b: { blockNumber: { toNumber(): number } }): Promise<void> => {
      blocks.push(b.blockNumber.toNumber());
      gotBlock();
    };
    await contract.addContractListener(contractListener);
    await network.addBlockListener(blockListener);
    const tx = contract.createTransaction('put');
    await tx.submit('n2', 'listened');
    await Promise.all([eventSeen, blockSeen]);
    contract.removeContractListener(contractListener);
    network.removeBlockListener(blockListener);
    assert.deepEqual(events.at(-1), { name: 'put', payload: 'n2=listened', txId: tx.getTransactionId() });
    const committed = await t.channel.ledger.getTransactionById(tx.getTransactionId());
    // A block listener joining a running event service starts at its next block: ours, at the latest.
    for (let i = 0; i < 500 && !blocks.includes(committed.blockNumber); i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.ok(
      blocks.includes(committed.blockNumber),
      `blocks ${blocks.join(',')} has ${committed.blockNumber}`,
    );
  });
});
