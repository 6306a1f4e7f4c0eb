// Chaincode-to-chaincode calls are checked as Fabric's Handler.checkACL does: before the callee runs,
// the caller's signed proposal must satisfy peer/ChaincodeToChaincode (by default
// /Channel/Application/Writers) on the callee's channel. The real fabric-contract-api contract runs in
// process; the ACLs are the real ACLProvider's over the Fabric 2.5.12 fixture channel, and the
// creators are the fixture's real identities with real signatures.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { LedgerManager } from '@fabric-peer/ledger';
import { type SigningIdentity } from '@fabric-peer/msp';
import { common, protos } from '@fabric-peer/protos';
import { ACLProvider } from '../../src/acl/index.js';
import { type Channel, ChannelManager } from '../../src/channel/index.js';
import {
  CHAINCODE_TO_CHAINCODE_RESOURCE,
  ChaincodeSupport,
  InProcessLauncher,
} from '../../src/chaincode/index.js';
import { isSystemChaincode } from '../../src/scc/index.js';
import { genesisBlock, peerMSP, userMSP } from '../channel/fabric-fixture.js';
import { CONTRACT_DIR } from './helpers.js';

const require = createRequire(import.meta.url);
const { ShimTestContract } = require(join(CONTRACT_DIR, 'index.js')) as { ShimTestContract: unknown };

/** A SignedProposal of `signer` for `name` with `args`, as a client SDK builds and signs it. */
function signedProposal(
  signer: SigningIdentity,
  channelId: string,
  name: string,
  args: string[],
): { txId: string; signedProposal: protos.SignedProposal; proposal: protos.Proposal } {
  const creator = signer.serialize();
  const nonce = randomBytes(24);
  const txId = createHash('sha256').update(nonce).update(creator).digest('hex');
  const proposal = protos.Proposal.create({
    header: common.Header.encode({
      channelHeader: common.ChannelHeader.encode({
        type: common.HeaderType.ENDORSER_TRANSACTION,
        channelId,
        txId,
        timestamp: { seconds: Math.floor(Date.now() / 1000), nanos: 0 },
      }),
      signatureHeader: common.SignatureHeader.encode({ creator, nonce }),
    }),
    payload: protos.ChaincodeProposalPayload.encode({
      input: protos.ChaincodeInvocationSpec.encode({
        chaincodeSpec: { chaincodeId: { name }, input: { args: args.map((a) => Buffer.from(a)) } },
      }),
    }),
  });
  const proposalBytes = protos.Proposal.encode(proposal);
  return { txId, proposal, signedProposal: { proposalBytes, signature: signer.sign(proposalBytes) } };
}

describe('chaincode-to-chaincode ACL (peer/ChaincodeToChaincode)', () => {
  let ledgers: LedgerManager;
  let channels: ChannelManager;
  let channel: Channel;
  let support: ChaincodeSupport;
  let user: SigningIdentity;
  let peer: SigningIdentity;
  const checked: string[] = [];

  before(async () => {
    ledgers = await LedgerManager.open({ inMemory: true });
    channels = await ChannelManager.open({ ledgers });
    channel = await channels.joinChannel(genesisBlock());
    const acl = new ACLProvider({ channels, localMSP: await peerMSP(1) });
    user = (await userMSP(1, 'User1')).getSigningIdentity();
    peer = (await peerMSP(1)).getSigningIdentity();
    const inProcess = new InProcessLauncher();
    inProcess.add('caller', { contracts: [ShimTestContract] });
    inProcess.add('callee', { contracts: [ShimTestContract] });
    support = new ChaincodeSupport({
      launchers: [inProcess],
      executeTimeoutMs: 10_000,
      startupTimeoutMs: 10_000,
      checkACL: (resource, channelId, sp) => {
        checked.push(`${resource}@${channelId}`);
        acl.checkACLProposal(resource, channelId, sp);
      },
      isSystemChaincode,
    });
  });

  after(async () => {
    await support.close();
    await channels.close();
    await ledgers.close();
  });

  const run = async (signer: SigningIdentity, args: string[]) => {
    const p = signedProposal(signer, channel.id, 'caller', args);
    const sim = await channel.ledger.newTxSimulator(p.txId);
    try {
      const r = await support.execute({ channelId: channel.id, ...p, simulator: sim }, 'caller', {
        args: args.map((a) => Buffer.from(a)),
        decorations: {},
        isInit: false,
      });
      return { ...r, writes: sim.getTxSimulationResults().txRwSet };
    } finally {
      await sim.done();
    }
  };
  const text = (b: Uint8Array): string => Buffer.from(b).toString('utf8');

  test('a Writer of the channel (Org1 User1) calls another chaincode', async () => {
    checked.length = 0;
    const r = await run(user, ['CallPut', 'callee', 'k', 'v']);
    assert.equal(r.response.status, 200, r.response.message);
    assert.deepEqual(JSON.parse(text(r.response.payload)), { status: 200, payload: 'v' });
    assert.deepEqual(checked, [`${CHAINCODE_TO_CHAINCODE_RESOURCE}@mychannel`]);
    assert.ok(r.writes.nsRwSets.some((n) => n.namespace === 'callee'));
  });

  test('a creator the policy does not allow (a peer identity: Reader, not Writer) gets an ERROR for the call', async () => {
    // The caller itself runs (no peer/Propose check here: that is the endorser's); its call does not.
    const own = await run(peer, ['Put', 'mine', '1']);
    assert.equal(own.response.status, 200, own.response.message);

    const r = await run(peer, ['CallPut', 'callee', 'k', 'v']);
    assert.equal(r.response.status, 500);
    assert.match(
      r.response.message,
      /INVOKE_CHAINCODE failed: transaction ID: [0-9a-f]{64}: access denied for \[ChaincodeToChaincode\]: /,
    );
    // The callee never ran: none of its writes are in the transaction.
    assert.equal(
      r.writes.nsRwSets.find((n) => n.namespace === 'callee'),
      undefined,
    );
  });

  test('a forged signature on an otherwise allowed creator is refused too', async () => {
    const p = signedProposal(user, channel.id, 'caller', ['Call', 'callee', 'Get,k']);
    p.signedProposal.signature = randomBytes(70);
    const sim = await channel.ledger.newTxSimulator(p.txId);
    try {
      const r = await support.execute({ channelId: channel.id, ...p, simulator: sim }, 'caller', {
        args: ['Call', 'callee', 'Get,k'].map((a) => Buffer.from(a)),
        decorations: {},
        isInit: false,
      });
      assert.equal(r.response.status, 500);
      assert.match(r.response.message, /access denied for \[ChaincodeToChaincode\]/);
    } finally {
      await sim.done();
    }
  });
});
