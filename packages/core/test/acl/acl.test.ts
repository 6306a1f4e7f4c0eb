import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { type MSP, type SigningIdentity, generateOrg } from '@fabric-peer/msp';
import { common, protos } from '@fabric-peer/protos';
import { ACLProvider, AccessDeniedError, RESOURCES } from '../../src/acl/index.js';
import { type ChannelConfig, channelConfigFromBlock } from '../../src/channel/index.js';
import { genesisBlock, peerMSP, userMSP } from '../channel/fabric-fixture.js';

function signedProposal(signer: SigningIdentity, channelId = 'mychannel'): protos.SignedProposal {
  const header = common.Header.encode({
    channelHeader: common.ChannelHeader.encode({ type: common.HeaderType.ENDORSER_TRANSACTION, channelId }),
    signatureHeader: common.SignatureHeader.encode({ creator: signer.serialize(), nonce: randomBytes(24) }),
  });
  const proposalBytes = protos.Proposal.encode({ header, payload: new Uint8Array([1]) });
  return { proposalBytes, signature: signer.sign(proposalBytes) };
}

function envelope(signer: SigningIdentity): common.Envelope {
  const payload = common.Payload.encode({
    header: {
      channelHeader: common.ChannelHeader.encode({
        type: common.HeaderType.DELIVER_SEEK_INFO,
        channelId: 'mychannel',
      }),
      signatureHeader: common.SignatureHeader.encode({ creator: signer.serialize(), nonce: randomBytes(24) }),
    },
  });
  return { payload, signature: signer.sign(payload) };
}

function denied(fn: () => void, match: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof AccessDeniedError, String(err));
    assert.equal(err.status, 403);
    assert.equal(err.code, 'ACL_ACCESS_DENIED');
    assert.match(err.message, match);
    return true;
  });
}

describe('ACLProvider', () => {
  let config: ChannelConfig;
  let user1: SigningIdentity;
  let admin1: SigningIdentity;
  let user2: SigningIdentity;
  let foreign: SigningIdentity;
  let local: MSP;
  let acl: ACLProvider;

  before(async () => {
    config = channelConfigFromBlock(genesisBlock());
    user1 = (await userMSP(1, 'User1')).getSigningIdentity();
    admin1 = (await userMSP(1, 'Admin')).getSigningIdentity();
    user2 = (await userMSP(2, 'User1')).getSigningIdentity();
    // Same MSP id as the channel's Org1, but a CA the channel does not know.
    const org = await generateOrg({ kind: 'peer', domain: 'org1.example.com', mspId: 'Org1MSP' });
    foreign = org.users[0]!.toMSP().getSigningIdentity();
    local = await peerMSP(1);
    acl = new ACLProvider({
      channels: { getChannel: (id) => (id === 'mychannel' ? { config: () => config } : undefined) },
      localMSP: local,
    });
  });

  it("uses Fabric's default map", () => {
    assert.equal(acl.policyFor(RESOURCES.Peer_Propose, 'mychannel'), '/Channel/Application/Writers');
    assert.equal(acl.policyFor(RESOURCES.Qscc_GetBlockByNumber, 'mychannel'), '/Channel/Application/Readers');
    assert.equal(
      acl.policyFor(RESOURCES.Lifecycle_CommitChaincodeDefinition, 'mychannel'),
      '/Channel/Application/Writers',
    );
    assert.equal(acl.policyFor(RESOURCES.Cscc_JoinChain, ''), 'Admins');
    assert.equal(acl.policyFor(RESOURCES.Cscc_GetChannels, ''), 'Members');
    assert.equal(acl.policyFor(RESOURCES.Lifecycle_InstallChaincode, ''), 'Admins');
  });

  it('lets the fixture User1@org1 propose and read through qscc and deliver', () => {
    acl.checkACLProposal(RESOURCES.Peer_Propose, 'mychannel', signedProposal(user1));
    acl.checkACLProposal(RESOURCES.Qscc_GetChainInfo, 'mychannel', signedProposal(user1));
    acl.checkACLProposal(RESOURCES.Qscc_GetBlockByNumber, 'mychannel', signedProposal(user2));
    acl.checkACLEnvelope(RESOURCES.Event_Block, 'mychannel', envelope(user1));
  });

  it('denies an identity from a foreign CA with 403', () => {
    denied(
      () => acl.checkACLProposal(RESOURCES.Peer_Propose, 'mychannel', signedProposal(foreign)),
      /^access denied for \[Propose\]: /,
    );
    denied(() => acl.checkACLEnvelope(RESOURCES.Event_Block, 'mychannel', envelope(foreign)), /Readers/);
  });

  it('denies a forged signature and an unknown channel', () => {
    const sp = signedProposal(user1);
    sp.signature = user2.sign(sp.proposalBytes);
    denied(() => acl.checkACLProposal(RESOURCES.Peer_Propose, 'mychannel', sp), /Writers/);
    denied(
      () => acl.checkACLProposal(RESOURCES.Peer_Propose, 'other', signedProposal(user1)),
      /channel \[other\] not found/,
    );
  });

  it('checks peer resources against the local MSP: admin joins, a client and another org cannot', () => {
    acl.checkACLProposal(RESOURCES.Cscc_JoinChain, '', signedProposal(admin1));
    acl.checkACLProposal(RESOURCES.Cscc_GetChannels, '', signedProposal(user1));
    denied(
      () => acl.checkACLProposal(RESOURCES.Cscc_JoinChain, '', signedProposal(user1)),
      /^access denied for \[JoinChain\]: .*Admins/,
    );
    denied(
      () => acl.checkACLProposal(RESOURCES.Lifecycle_InstallChaincode, '', signedProposal(user2)),
      /InstallChaincode/,
    );
  });

  it("follows the channel's ACLs overrides (relative refs under /Channel/Application)", () => {
    const overridden = {
      ...config,
      acls: { [RESOURCES.Qscc_GetChainInfo]: 'Org2MSP/Readers' },
    } as ChannelConfig;
    const a = new ACLProvider({
      channels: { getChannel: () => ({ config: () => overridden }) },
      localMSP: local,
    });
    assert.equal(
      a.policyFor(RESOURCES.Qscc_GetChainInfo, 'mychannel'),
      '/Channel/Application/Org2MSP/Readers',
    );
    a.checkACLProposal(RESOURCES.Qscc_GetChainInfo, 'mychannel', signedProposal(user2));
    denied(
      () => a.checkACLProposal(RESOURCES.Qscc_GetChainInfo, 'mychannel', signedProposal(user1)),
      /Org2MSP\/Readers/,
    );
  });
});
