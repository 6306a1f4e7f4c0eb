// cscc and qscc through ProcessProposal, with the real fabric-protos client, as `peer channel join`,
// `peer channel list` and `peer channel getinfo` call them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as fp from '@hyperledger/fabric-protos';
import type { Peer } from '../../src/index.js';
import {
  adminOrg1,
  adminOrg2,
  endorserClient,
  genesisBytes,
  processProposal,
  signedProposal,
  startPeer,
  type Signer,
  userOrg1,
} from '../peer/harness.js';

describe('cscc / qscc through the endorser', () => {
  let peer: Peer;
  let client: fp.peer.EndorserClient;
  let admin: Signer;
  let user: Signer;

  before(async () => {
    peer = await startPeer();
    client = endorserClient(peer.address);
    admin = await adminOrg1();
    user = await userOrg1();
  });
  after(async () => {
    client.close();
    await peer.stop();
  });

  const call = (
    chaincode: string,
    args: (string | Uint8Array)[],
    signer = admin,
    channel = '',
  ): Promise<fp.peer.ProposalResponse> =>
    processProposal(client, signedProposal({ channel, chaincode, args, signer }));

  it('JoinChain with the real genesis block, signed by Admin@org1', async () => {
    const r = await call('cscc', ['JoinChain', genesisBytes()]);
    assert.equal(r.getResponse()!.getStatus(), 200, r.getResponse()!.getMessage());
    assert.deepEqual(peer.channels(), ['mychannel']);
    assert.equal(peer.height('mychannel'), 1);
  });

  it('JoinChain again is refused with the ledger-exists message', async () => {
    const r = await call('cscc', ['JoinChain', genesisBytes()]);
    assert.equal(r.getResponse()!.getStatus(), 500);
    assert.match(r.getResponse()!.getMessage(), /ledger \[mychannel\] already exists/);
  });

  it('JoinChain refuses a malformed block and a non-admin', async () => {
    let r = await call('cscc', ['JoinChain', Buffer.from([0xff, 0xff, 0xff])]);
    assert.equal(r.getResponse()!.getStatus(), 500);
    assert.match(r.getResponse()!.getMessage(), /^Failed to reconstruct the genesis block/);
    r = await call('cscc', ['JoinChain', new Uint8Array()]);
    assert.equal(r.getResponse()!.getMessage(), 'Cannot join the channel <nil> configuration block provided');
    const headerOnly = new fp.common.Block();
    headerOnly.setHeader(new fp.common.BlockHeader());
    r = await call('cscc', ['JoinChain', headerOnly.serializeBinary()]);
    assert.match(r.getResponse()!.getMessage(), /failed to extract channel id .*block is empty/);
    r = await call('cscc', ['JoinChain', genesisBytes()], user);
    assert.equal(r.getResponse()!.getStatus(), 500);
    assert.match(r.getResponse()!.getMessage(), /access denied for \[JoinChain\]\[mychannel\]/);
    r = await call('cscc', ['JoinChain']);
    assert.equal(r.getResponse()!.getMessage(), 'Incorrect number of arguments, 1');
  });

  it('GetChannels lists the joined channel', async () => {
    const r = await call('cscc', ['GetChannels'], user);
    assert.equal(r.getResponse()!.getStatus(), 200);
    const q = fp.peer.ChannelQueryResponse.deserializeBinary(r.getResponse()!.getPayload_asU8());
    assert.deepEqual(
      q.getChannelsList().map((c) => c.getChannelId()),
      ['mychannel'],
    );
  });

  it('GetConfigBlock and GetChannelConfig answer on the channel, endorsed', async () => {
    const r = await call('cscc', ['GetConfigBlock', 'mychannel'], user, 'mychannel');
    assert.equal(r.getResponse()!.getStatus(), 200, r.getResponse()!.getMessage());
    // The stored block: the genesis block's header and data (metadata now carries the tx filter).
    const got = fp.common.Block.deserializeBinary(r.getResponse()!.getPayload_asU8());
    const want = fp.common.Block.deserializeBinary(genesisBytes());
    assert.deepEqual(got.getHeader()!.serializeBinary(), want.getHeader()!.serializeBinary());
    assert.deepEqual(got.getData()!.serializeBinary(), want.getData()!.serializeBinary());
    assert.ok(r.getEndorsement(), 'channel proposals are endorsed');
    const c = await call('cscc', ['GetChannelConfig', 'mychannel'], user, 'mychannel');
    const cfg = fp.common.Config.deserializeBinary(c.getResponse()!.getPayload_asU8());
    assert.ok(cfg.getChannelGroup()!.getGroupsMap().get('Application'));
  });

  it('qscc GetChainInfo / GetBlockByNumber', async () => {
    const r = await call('qscc', ['GetChainInfo', 'mychannel'], user, 'mychannel');
    assert.equal(r.getResponse()!.getStatus(), 200, r.getResponse()!.getMessage());
    const info = fp.common.BlockchainInfo.deserializeBinary(r.getResponse()!.getPayload_asU8());
    assert.equal(info.getHeight(), 1);
    assert.equal(info.getCurrentblockhash_asU8().length, 32);
    const b = await call('qscc', ['GetBlockByNumber', 'mychannel', '0'], user, 'mychannel');
    assert.equal(b.getResponse()!.getStatus(), 200);
    const block = fp.common.Block.deserializeBinary(b.getResponse()!.getPayload_asU8());
    assert.equal(block.getHeader()!.getNumber(), 0);
    // The endorsement verifies: the peer signed prp ++ its identity.
    const e = b.getEndorsement()!;
    const sid = fp.msp.SerializedIdentity.deserializeBinary(e.getEndorser_asU8());
    assert.equal(sid.getMspid(), 'Org1MSP');
  });

  it('qscc errors carry Fabric messages', async () => {
    let r = await call('qscc', ['GetBlockByNumber', 'mychannel', '7'], user, 'mychannel');
    assert.equal(r.getResponse()!.getStatus(), 500);
    assert.match(r.getResponse()!.getMessage(), /^Failed to get block number 7, error/);
    r = await call('qscc', ['GetBlockByNumber', 'mychannel'], user, 'mychannel');
    assert.equal(r.getResponse()!.getMessage(), 'missing 3rd argument for GetBlockByNumber');
    r = await call('qscc', ['GetTransactionByID', 'mychannel', 'nope'], user, 'mychannel');
    assert.match(r.getResponse()!.getMessage(), /^Failed to get transaction with id nope/);
    r = await call('qscc', ['Bogus', 'mychannel', 'x'], user, 'mychannel');
    assert.equal(r.getResponse()!.getMessage(), 'Requested function Bogus not found.');
  });

  it('a creator of an org that is not in the channel is denied', async () => {
    const outsider = await adminOrg2();
    // Org2 is in the fixture channel, so use the channel-less local-MSP path: Org2 is not this peer's MSP.
    const r = await call('cscc', ['GetChannels'], outsider);
    assert.equal(r.getResponse()!.getStatus(), 500);
    assert.match(r.getResponse()!.getMessage(), /access denied/);
  });
});
