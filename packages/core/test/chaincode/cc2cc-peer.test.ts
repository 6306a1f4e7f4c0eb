// Chaincode-to-chaincode calls through a whole peer (createPeer's dev network, the real
// fabric-contract-api contract in process under two names, both defined through _lifecycle): the
// endorsed rw-set reads the callee's `_lifecycle` Sequence through the transaction's simulator, as
// Fabric's CheckInvocation does on a Go peer, so both kinds of peer endorse the same rw-set.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decodeTxRwSet } from '@fabric-peer/ledger';
import { PrivateKey, SigningIdentity } from '@fabric-peer/msp';
import { protos } from '@fabric-peer/protos';
import { PeerClient, createSignedProposal } from '../../src/client/index.js';
import { createPeer, LoggingSystem, type Peer } from '../../src/index.js';
import { CONTRACT_DIR } from './helpers.js';

const require = createRequire(import.meta.url);
const { ShimTestContract } = require(join(CONTRACT_DIR, 'index.js')) as { ShimTestContract: unknown };

describe('chaincode-to-chaincode through createPeer', () => {
  let peer: Peer;
  let client: PeerClient;

  before(async () => {
    peer = await createPeer(
      {},
      {
        inMemory: true,
        logging: new LoggingSystem({ spec: 'error', writer: { write: () => true } }),
        chaincodes: { caller: { contracts: [ShimTestContract] }, callee: { contracts: [ShimTestContract] } },
      },
    );
    await peer.start();
    const net = peer.devNetwork!;
    const user = SigningIdentity.from(
      net.peer.localMsp.identityFromCertificate(net.user.certificate),
      PrivateKey.fromPem(net.user.privateKey),
      'sha256',
    );
    client = await PeerClient.connect(
      { address: `localhost:${peer.address.split(':').pop()!}`, tls: { rootCerts: [net.peer.tls.ca] } },
      user,
    );
  });
  after(async () => {
    client?.close();
    await peer?.stop();
  });

  const endorse = async (args: string[]) => {
    const { signed } = createSignedProposal(
      { channelId: peer.devNetwork!.channelId, chaincode: 'caller', args: args.map((a) => Buffer.from(a)) },
      client.signer,
    );
    const r = await client.processProposal(signed);
    const prp = protos.ProposalResponsePayload.decode(r.payload);
    const action = protos.ChaincodeAction.decode(prp.extension);
    return { response: r.response!, rw: decodeTxRwSet(action.results) };
  };

  test("the callee's definition is read through the caller's simulator; its writes join the rw-set", async () => {
    const { response, rw } = await endorse(['CallPut', 'callee', 'k', 'v']);
    assert.equal(response.status, 200, response.message);
    const lifecycleReads = rw.nsRwSets
      .find((n) => n.namespace === '_lifecycle')
      ?.kvRwSet.reads.map((r) => r.key)
      .sort();
    assert.deepEqual(lifecycleReads, [
      'namespaces/fields/callee/Sequence',
      'namespaces/fields/caller/Sequence',
    ]);
    assert.deepEqual(
      rw.nsRwSets.find((n) => n.namespace === 'callee')?.kvRwSet.writes.map((w) => w.key),
      ['k'],
    );
  });

  test('a call to a chaincode that is not defined fails in the caller with Fabric-style wording', async () => {
    const { response } = await endorse(['Call', 'nosuchcc', 'Get,k']);
    assert.equal(response.status, 500);
    assert.match(
      response.message,
      /INVOKE_CHAINCODE failed: transaction ID: [0-9a-f]{64}: execute failed: \[channel mychannel\] failed to get chaincode container info for nosuchcc: /,
    );
  });
});
