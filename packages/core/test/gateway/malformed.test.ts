// Requests no real client sends (Fabric's CVE-2022-36023 and CVE-2022-35253 were such requests
// crashing the peer): each is refused with INVALID_ARGUMENT (or the code Fabric gives), and the peer
// keeps serving.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { status } from '@grpc/grpc-js';
import { type SigningIdentity, signaturePolicyFromString } from '@fabric-peer/msp';
import { common, gateway, google, protos } from '@fabric-peer/protos';
import { ASSET } from './contract.js';
import { type TestNetwork, startTestNetwork } from './harness.js';
import { RawGateway, signedProposal } from './proposal.js';

describe('malformed gateway requests', () => {
  let t: TestNetwork;
  let raw: RawGateway;
  const signer = (): SigningIdentity => t.net.crypto!.peerOrg.users[0]!.toMSP().getSigningIdentity();

  before(async () => {
    t = await startTestNetwork();
    await t.defineChaincode('basic', ASSET);
    await t.defineChaincode('strict', ASSET, {
      signaturePolicy: signaturePolicyFromString("AND('Org1MSP.peer','Org2MSP.peer')"),
    });
    raw = new RawGateway(t.peerAddress, t.net.peer.tls.ca);
  });
  after(async () => {
    raw.close();
    await t.close();
  });

  test('evaluate and endorse: missing, garbage, and mismatching proposals', async () => {
    const { sp, txId } = signedProposal(signer(), t.channelId, 'basic', ['mspid']);
    const cases: ['evaluate' | 'endorse', unknown, RegExp][] = [
      ['evaluate', {}, /a signed proposal is required/],
      ['endorse', {}, /the proposed transaction must contain a signed proposal/],
      [
        'evaluate',
        { proposedTransaction: { proposalBytes: Buffer.from('garbage!'), signature: Buffer.alloc(3) } },
        /failed to unpack transaction proposal/,
      ],
      [
        'endorse',
        { proposedTransaction: { proposalBytes: Buffer.from([0x0a, 0xff, 0x01]) } },
        /failed to unpack transaction proposal/,
      ],
      [
        'evaluate',
        { channelId: 'otherchannel', proposedTransaction: sp },
        /does not match the proposal's channel/,
      ],
      [
        'endorse',
        { channelId: t.channelId, transactionId: 'not-the-tx-id', proposedTransaction: sp },
        /transaction id in request/,
      ],
    ];
    for (const [method, req, message] of cases) {
      const err = await raw.refused(method, req);
      assert.equal(
        err.code,
        status.INVALID_ARGUMENT,
        `${method} ${JSON.stringify(req).slice(0, 80)}: ${err.details}`,
      );
      assert.match(err.details, message);
    }
    // A proposal with no chaincode id in its header.
    const noCc = protos.Proposal.decode(sp.proposalBytes);
    const hdr = common.Header.decode(noCc.header);
    const ch = common.ChannelHeader.decode(hdr.channelHeader);
    const bad = protos.Proposal.encode({
      ...noCc,
      header: common.Header.encode({
        ...hdr,
        channelHeader: common.ChannelHeader.encode({ ...ch, extension: new Uint8Array() }),
      }),
    });
    const err = await raw.refused('evaluate', {
      proposedTransaction: { proposalBytes: bad, signature: sp.signature },
    });
    assert.equal(err.code, status.INVALID_ARGUMENT);
    // An unknown channel is NOT_FOUND; the request is well formed.
    const other = signedProposal(signer(), 'nosuchchannel', 'basic', ['mspid']);
    assert.equal((await raw.refused('evaluate', { proposedTransaction: other.sp })).code, status.NOT_FOUND);
    // A forged signature is refused by the endorser's own checks (no endorsement, details say why).
    const forged = await raw.refused('endorse', {
      proposedTransaction: { proposalBytes: sp.proposalBytes, signature: Buffer.alloc(70, 1) },
    });
    assert.equal(forged.code, status.ABORTED);
    const st = google.rpc.Status.decode(forged.metadata.get('grpc-status-details-bin')[0] as Buffer);
    assert.equal(st.details[0]?.typeUrl, 'type.googleapis.com/gateway.ErrorDetail');
    const detail = gateway.ErrorDetail.decode(st.details[0]!.value);
    assert.equal(detail.mspId, 'Org1MSP');
    assert.equal(detail.address, t.peerAddress);
    // And the peer still serves a good request.
    const ok = await raw.call<gateway.EvaluateResponse>('evaluate', {
      transactionId: txId,
      channelId: t.channelId,
      proposedTransaction: sp,
    });
    assert.equal(Buffer.from(ok.result!.payload).toString(), 'Org1MSP');
  });

  test('evaluate honours target organizations; transient data stays in the gateway org by default', async () => {
    const { sp } = signedProposal(signer(), t.channelId, 'basic', ['mspid']);
    const none = await raw.refused('evaluate', { proposedTransaction: sp, targetOrganizations: ['Org9MSP'] });
    assert.equal(none.code, status.FAILED_PRECONDITION);
    assert.match(none.details, /no peers available to evaluate chaincode basic in channel/);
    const ok = await raw.call<gateway.EvaluateResponse>('evaluate', {
      proposedTransaction: sp,
      targetOrganizations: ['Org1MSP'],
    });
    assert.equal(Buffer.from(ok.result!.payload).toString(), 'Org1MSP');
  });

  test('transient data is endorsed in the gateway org only, unless the client names orgs', async () => {
    const secret = { price: Buffer.from('42') };
    const local = signedProposal(signer(), t.channelId, 'basic', ['put', 'tk', 'tv'], secret);
    const ok = await raw.call<gateway.EndorseResponse>('endorse', { proposedTransaction: local.sp });
    assert.ok(ok.preparedTransaction !== undefined);
    // The prepared transaction never carries the transient map.
    assert.equal(Buffer.from(ok.preparedTransaction.payload).includes(Buffer.from('price')), false);
    const strict = signedProposal(signer(), t.channelId, 'strict', ['put', 'tk', 'tv'], secret);
    const err = await raw.refused('endorse', { proposedTransaction: strict.sp });
    assert.equal(err.code, status.FAILED_PRECONDITION);
    assert.match(err.details, /protect transient data/);
  });

  test('submit: missing, unsigned, not an envelope, not an endorser transaction, other channel', async () => {
    const signed = (payload: Uint8Array): common.Envelope => ({ payload, signature: Buffer.alloc(8, 1) });
    const config = common.Payload.encode({
      header: {
        channelHeader: common.ChannelHeader.encode({
          type: common.HeaderType.CONFIG_UPDATE,
          channelId: t.channelId,
        }),
      },
    });
    const other = common.Payload.encode({
      header: {
        channelHeader: common.ChannelHeader.encode({
          type: common.HeaderType.ENDORSER_TRANSACTION,
          channelId: 'x',
        }),
      },
    });
    const cases: [unknown, RegExp][] = [
      [{ channelId: t.channelId }, /a prepared transaction is required/],
      [
        { channelId: t.channelId, preparedTransaction: { payload: Buffer.from('x') } },
        /prepared transaction must be signed/,
      ],
      [
        { channelId: t.channelId, preparedTransaction: signed(Buffer.from('not a payload at all \xff')) },
        /not a valid envelope/,
      ],
      [
        { channelId: t.channelId, preparedTransaction: signed(common.Payload.encode({})) },
        /not a valid envelope/,
      ],
      [{ channelId: t.channelId, preparedTransaction: signed(config) }, /not an endorser transaction/],
      [{ channelId: t.channelId, preparedTransaction: signed(other) }, /does not match/],
    ];
    for (const [req, message] of cases) {
      const err = await raw.refused('submit', req);
      assert.equal(err.code, status.INVALID_ARGUMENT, err.details);
      assert.match(err.details, message);
    }
  });

  test('commit status and chaincode events: empty, garbage, badly signed', async () => {
    assert.equal((await raw.refused('commitStatus', {})).code, status.INVALID_ARGUMENT);
    const garbage = await raw.refused('commitStatus', {
      request: Buffer.from([0x0a, 0x05, 0x01]),
      signature: Buffer.alloc(1),
    });
    assert.equal(garbage.code, status.INVALID_ARGUMENT);
    assert.match(garbage.details, /invalid status request/);
    const s = signer();
    const request = gateway.CommitStatusRequest.encode({
      channelId: t.channelId,
      transactionId: 'abc',
      identity: s.serialize(),
    });
    const denied = await raw.refused('commitStatus', { request, signature: Buffer.alloc(70, 2) });
    assert.equal(denied.code, status.PERMISSION_DENIED);
    const events = (
      raw.client as unknown as { chaincodeEvents(r: unknown): NodeJS.EventEmitter }
    ).chaincodeEvents({
      request: Buffer.from([0xff, 0xff]),
    });
    const err = await new Promise<{ code: number }>((resolve) => events.on('error', resolve));
    assert.equal(err.code, status.INVALID_ARGUMENT);
  });
});
