// System chaincodes and handlers plugged in through createPeer's options: an SCC that writes through
// the simulator (its rw-set comes back in the endorsed ChaincodeAction), an auth filter, a decorator.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as fp from '@hyperledger/fabric-protos';
import { protos, rwset, kvrwset } from '@fabric-peer/protos';
import type { Peer, SystemChaincode } from '../../src/index.js';
import {
  endorserClient,
  genesisBytes,
  processProposal,
  signedProposal,
  startPeer,
  userOrg1,
} from '../peer/harness.js';

const mysc: SystemChaincode = {
  name: 'mysc',
  async invoke(ctx) {
    const [fn = new Uint8Array(), value = new Uint8Array()] = ctx.args;
    await ctx.simulator!.setState('mysc', Buffer.from(fn).toString(), value);
    return protos.Response.create({ status: 200, payload: Buffer.from(`stored ${ctx.args.length} args`) });
  },
};

describe('plugged system chaincodes and handlers', () => {
  let peer: Peer;
  let client: fp.peer.EndorserClient;

  before(async () => {
    peer = await startPeer({
      options: {
        systemChaincodes: [mysc],
        handlers: {
          authFilters: [
            (sp) => {
              if (sp.signature.length > 200) throw new Error('signature too long for this filter');
            },
          ],
          decorators: [
            (_p, input) =>
              protos.ChaincodeInput.create({ ...input, args: [...input.args, Buffer.from('decorated')] }),
          ],
        },
      },
    });
    await peer.joinChannel(genesisBytes());
    client = endorserClient(peer.address);
  });
  after(async () => {
    client.close();
    await peer.stop();
  });

  it('an SCC simulates on the channel and its writes are endorsed', async () => {
    const user = await userOrg1();
    const r = await processProposal(
      client,
      signedProposal({ channel: 'mychannel', chaincode: 'mysc', args: ['key1', 'v1'], signer: user }),
    );
    assert.equal(r.getResponse()!.getStatus(), 200, r.getResponse()!.getMessage());
    assert.equal(
      Buffer.from(r.getResponse()!.getPayload_asU8()).toString(),
      'stored 3 args',
      'the decorator added an arg',
    );
    const prp = fp.peer.ProposalResponsePayload.deserializeBinary(r.getPayload_asU8());
    const action = fp.peer.ChaincodeAction.deserializeBinary(prp.getExtension_asU8());
    const rw = rwset.TxReadWriteSet.decode(action.getResults_asU8());
    const ns = rw.nsRwset.find((n) => n.namespace === 'mysc');
    assert.ok(ns);
    const kv = kvrwset.KVRWSet.decode(ns.rwset);
    assert.deepEqual(
      kv.writes.map((w) => [w.key, Buffer.from(w.value).toString()]),
      [['key1', 'v1']],
    );
    assert.ok(r.getEndorsement());
  });

  it('an auth filter refuses before the endorser runs (gRPC error, as Fabric)', async () => {
    const user = await userOrg1();
    const sp = signedProposal({
      channel: 'mychannel',
      chaincode: 'mysc',
      args: ['k', 'v'],
      signer: user,
      signature: new Uint8Array(300),
    });
    await assert.rejects(processProposal(client, sp), /signature too long for this filter/);
  });
});
