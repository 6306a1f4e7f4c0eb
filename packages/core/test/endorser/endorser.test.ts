// ProcessProposal's checks, in Fabric's order and with Fabric's answers (a ProposalResponse with
// status 500 and the reason; an undecodable proposal or an expired creator as a gRPC error), using
// the real fabric-protos EndorserClient. The peer keeps serving after each.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import * as fp from '@hyperledger/fabric-protos';
import { generateOrg, PrivateKey } from '@fabric-peer/msp';
import { common, lifecycle, msp, protos } from '@fabric-peer/protos';
import type { Peer } from '../../src/index.js';
import {
  adminOrg1,
  endorserClient,
  genesisBytes,
  ordererBlockBytes,
  processProposal,
  signedProposal,
  startPeer,
  type Signer,
  userOrg1,
} from '../peer/harness.js';

describe('Endorser ProcessProposal', () => {
  let peer: Peer;
  let client: fp.peer.EndorserClient;
  let user: Signer;

  before(async () => {
    peer = await startPeer();
    await peer.joinChannel(genesisBytes());
    for (let n = 1; n <= 13; n++)
      await peer.commitBlock('mychannel', common.Block.decode(ordererBlockBytes(n)));
    client = endorserClient(peer.address);
    user = await userOrg1();
  });
  after(async () => {
    client.close();
    await peer.stop();
  });

  const respond = async (
    sp: fp.peer.SignedProposal,
  ): Promise<{ status: number; message: string; r: fp.peer.ProposalResponse }> => {
    const r = await processProposal(client, sp);
    return { status: r.getResponse()!.getStatus(), message: r.getResponse()!.getMessage(), r };
  };
  const qscc = (over: Partial<Parameters<typeof signedProposal>[0]> = {}): fp.peer.SignedProposal =>
    signedProposal({
      channel: 'mychannel',
      chaincode: 'qscc',
      args: ['GetChainInfo', 'mychannel'],
      signer: user,
      ...over,
    });

  it('endorses: proposal_hash and the ESCC signature as Fabric computes them', async () => {
    const sp = qscc();
    const { status, r } = await respond(sp);
    assert.equal(status, 200);
    const prp = fp.peer.ProposalResponsePayload.deserializeBinary(r.getPayload_asU8());
    const prop = fp.peer.Proposal.deserializeBinary(sp.getProposalBytes_asU8());
    const hdr = fp.common.Header.deserializeBinary(prop.getHeader_asU8());
    const cpp = fp.peer.ChaincodeProposalPayload.deserializeBinary(prop.getPayload_asU8());
    cpp.getTransientmapMap().clear();
    const expected = createHash('sha256')
      .update(hdr.getChannelHeader_asU8())
      .update(hdr.getSignatureHeader_asU8())
      .update(cpp.serializeBinary())
      .digest();
    assert.deepEqual(Buffer.from(prp.getProposalHash_asU8()), expected);
    const action = fp.peer.ChaincodeAction.deserializeBinary(prp.getExtension_asU8());
    assert.equal(action.getChaincodeId()!.getName(), 'qscc');
    assert.equal(action.getChaincodeId()!.getVersion(), 'syscc');
    assert.equal(action.getResponse()!.getStatus(), 200);
    // The endorsement verifies with the peer's certificate, over prp bytes ++ endorser.
    const e = r.getEndorsement()!;
    const pem = Buffer.from(
      fp.msp.SerializedIdentity.deserializeBinary(e.getEndorser_asU8()).getIdBytes_asU8(),
    ).toString();
    const { createVerify } = await import('node:crypto');
    const ok = createVerify('SHA256')
      .update(Buffer.concat([r.getPayload_asU8(), e.getEndorser_asU8()]))
      .verify(pem, Buffer.from(e.getSignature_asU8()));
    assert.ok(ok);
  });

  it('the transient map stays out of the proposal hash', async () => {
    const a = await respond(qscc({ transient: { secret: Buffer.from('x') } }));
    assert.equal(a.status, 200);
  });

  it('unknown channel: 500 "channel \'x\' not found"', async () => {
    const { status, message } = await respond(
      qscc({ channel: 'nochannel', args: ['GetChainInfo', 'nochannel'] }),
    );
    assert.equal(status, 500);
    assert.equal(message, "channel 'nochannel' not found");
  });

  it('bad signature: access denied, creator org named', async () => {
    const { status, message } = await respond(qscc({ signature: new Uint8Array([0x30, 0x02, 0x01, 0x01]) }));
    assert.equal(status, 500);
    assert.equal(
      message,
      'error validating proposal: access denied: channel [mychannel] creator org [Org1MSP]',
    );
  });

  it('empty signature and wrong tx id are refused', async () => {
    let res = await respond(qscc({ signature: new Uint8Array() }));
    assert.equal(res.message, 'error validating proposal: empty signature bytes');
    res = await respond(qscc({ txId: 'abc' }));
    assert.match(
      res.message,
      /^error validating proposal: incorrectly computed txid 'abc' -- expected '[0-9a-f]{64}'$/,
    );
  });

  it('a creator from no MSP of the channel is denied', async () => {
    const org = await generateOrg({ kind: 'peer', domain: 'org9.example.com', mspId: 'Org9MSP' });
    const stranger = org.users[0]!.toMSP().getSigningIdentity();
    const { status, message } = await respond(qscc({ signer: stranger }));
    assert.equal(status, 500);
    assert.equal(
      message,
      'error validating proposal: access denied: channel [mychannel] creator org [Org9MSP]',
    );
  });

  it('a timestamp outside peer.authentication.timewindow is refused', async () => {
    const { status, message } = await respond(qscc({ timestampOffsetMs: -20 * 60_000 }));
    assert.equal(status, 500);
    assert.match(message, /is more than 900s apart from the peer's time/);
  });

  it('a tx id already on the ledger: duplicate transaction found', async () => {
    const block = common.Block.decode(ordererBlockBytes(5));
    const env = common.Envelope.decode(block.data!.data[0]!);
    const payload = common.Payload.decode(env.payload);
    const chdr = common.ChannelHeader.decode(payload.header!.channelHeader);
    const shdr = common.SignatureHeader.decode(payload.header!.signatureHeader);
    // Replay: same nonce and creator as the committed tx, signed by its real creator (Admin@org1 or User1).
    const nonceCreator = { nonce: shdr.nonce, creator: shdr.creator };
    const admin = await adminOrg1();
    const signer =
      Buffer.compare(Buffer.from(admin.serialize()), Buffer.from(nonceCreator.creator)) === 0 ? admin : user;
    const sp = replay(chdr.txId, nonceCreator.nonce, signer);
    const { status, message } = await respond(sp);
    assert.equal(status, 500);
    assert.equal(
      message,
      `duplicate transaction found [${chdr.txId}]. Creator [${Buffer.from(signer.serialize()).toString('hex')}]`,
    );
  });

  it('an ACL denial (peer/Propose needs /Channel/Application/Writers; a peer identity is no writer)', async () => {
    const { MSP } = await import('@fabric-peer/msp');
    const { PEER_MSP_DIR } = await import('../peer/harness.js');
    const peerId = (await MSP.fromFolder(PEER_MSP_DIR, 'Org1MSP')).getSigningIdentity();
    const { status, message } = await respond(
      signedProposal({ channel: 'mychannel', chaincode: 'asset', args: ['Get', 'a'], signer: peerId }),
    );
    assert.equal(status, 500);
    assert.match(message, /access denied/);
    assert.match(message, /Writers/);
  });

  it('_lifecycle answers through ProcessProposal (peer lifecycle chaincode querycommitted)', async () => {
    const admin = await adminOrg1();
    const args = lifecycle.QueryChaincodeDefinitionArgs.encode({ name: 'asset' });
    const { status, message, r } = await respond(
      signedProposal({
        channel: 'mychannel',
        chaincode: '_lifecycle',
        args: ['QueryChaincodeDefinition', args],
        signer: admin,
      }),
    );
    assert.equal(status, 200, message);
    const def = lifecycle.QueryChaincodeDefinitionResult.decode(r.getResponse()!.getPayload_asU8());
    assert.deepEqual([def.sequence, def.version], [1, '1.0']);
    assert.deepEqual(def.approvals, { Org1MSP: true, Org2MSP: true });
  });

  it('user chaincode that is not defined: "make sure the chaincode ... has been successfully defined"', async () => {
    const { status, message } = await respond(
      signedProposal({ channel: 'mychannel', chaincode: 'nocc', args: ['f'], signer: user }),
    );
    assert.equal(status, 500);
    assert.equal(
      message,
      'make sure the chaincode nocc has been successfully defined on channel mychannel and try again: chaincode nocc not found',
    );
  });

  it('an undecodable proposal is a gRPC error, and the peer goes on serving', async () => {
    const sp = new fp.peer.SignedProposal();
    sp.setProposalBytes(new Uint8Array([0xff, 0xff, 0xff]));
    sp.setSignature(new Uint8Array([1]));
    await assert.rejects(processProposal(client, sp), (err: grpc.ServiceError) => {
      assert.equal(err.code, grpc.status.UNKNOWN);
      assert.match(err.details, /^could not unmarshal proposal bytes/);
      return true;
    });
    const hdrOnly = protos.Proposal.encode({
      header: common.Header.encode({ channelHeader: new Uint8Array([0xff]) }),
    });
    const sp2 = new fp.peer.SignedProposal();
    sp2.setProposalBytes(hdrOnly);
    await assert.rejects(processProposal(client, sp2), /could not unmarshal channel header/);
    assert.equal((await respond(qscc())).status, 200);
  });

  it('an expired creator is refused by the ExpirationCheck auth filter', async () => {
    const org = await generateOrg({
      kind: 'peer',
      domain: 'org1.example.com',
      mspId: 'Org1MSP',
      notBefore: new Date(Date.now() - 20 * 365 * 24 * 3600_000),
    });
    const u = org.users[0]!;
    const key = PrivateKey.fromPem(u.privateKey);
    // A signer by hand: the MSP refuses to hand out an expired signing identity.
    const expired: Signer = {
      serialize: () =>
        msp.SerializedIdentity.encode({ mspid: 'Org1MSP', idBytes: Buffer.from(u.certificate) }),
      sign: (m) => key.sign(m),
    };
    await assert.rejects(
      processProposal(client, qscc({ signer: expired })),
      /proposal client identity expired/,
    );
  });
});

function replay(txId: string, nonce: Uint8Array, signer: Signer): fp.peer.SignedProposal {
  const ccId = protos.ChaincodeID.create({ name: 'qscc' });
  const chdr = common.ChannelHeader.encode({
    type: common.HeaderType.ENDORSER_TRANSACTION,
    channelId: 'mychannel',
    txId,
    timestamp: { seconds: Math.floor(Date.now() / 1000), nanos: 0 },
    extension: protos.ChaincodeHeaderExtension.encode({ chaincodeId: ccId }),
  });
  const shdr = common.SignatureHeader.encode({ creator: signer.serialize(), nonce });
  const input = protos.ChaincodeInput.create({
    args: [Buffer.from('GetChainInfo'), Buffer.from('mychannel')],
  });
  const cis = protos.ChaincodeInvocationSpec.encode({ chaincodeSpec: { chaincodeId: ccId, input } });
  const bytes = protos.Proposal.encode({
    header: common.Header.encode({ channelHeader: chdr, signatureHeader: shdr }),
    payload: protos.ChaincodeProposalPayload.encode({ input: cis }),
  });
  const sp = new fp.peer.SignedProposal();
  sp.setProposalBytes(bytes);
  sp.setSignature(signer.sign(bytes));
  return sp;
}
