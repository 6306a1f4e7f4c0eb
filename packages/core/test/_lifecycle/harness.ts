// A channel on the real Fabric 2.5.12 fixture (genesis + block 1 committed through the ChannelManager),
// _lifecycle SCCs for Org1 and Org2 on it, and the fixture's _lifecycle transactions (blocks 2-4)
// taken apart: tx id, the args the CLI sent, and the rw-set Fabric's peers endorsed.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  LedgerManager,
  type TxSimulationResults,
  type TxSimulator,
  blockDataHash,
  blockHeaderHash,
} from '@fabric-peer/ledger';
import { type SigningIdentity } from '@fabric-peer/msp';
import { common, protos, type rwset } from '@fabric-peer/protos';
import { LifecycleSCC } from '../../src/_lifecycle/index.js';
import { ACLProvider } from '../../src/acl/index.js';
import { type Channel, ChannelManager } from '../../src/channel/index.js';
import { MemoryChaincodeStore } from '../../src/persistence/index.js';
import {
  FIXTURE,
  genesisBlock,
  ordererBlock,
  ordererMSP,
  peerMSP,
  userMSP,
} from '../channel/fabric-fixture.js';
import { buildEndorserTx, signBlock } from '../committer/devchain.js';

export const CHAINCODE = join(FIXTURE, 'chaincode');
export const packageBytes = (f = 'asset_1.0.tar.gz'): Buffer => readFileSync(join(CHAINCODE, f));
export const packageId = (f = 'asset_1.0.package-id'): string =>
  readFileSync(join(CHAINCODE, f), 'utf8').trim();
export const readFixture = (f: string): string => readFileSync(join(CHAINCODE, f), 'utf8');

/** The JSON objects of a CLI output file (querycommitted.json holds one per peer, back to back). */
export const fixtureJson = <T>(f: string): T[] =>
  readFileSync(join(CHAINCODE, f), 'utf8')
    .trim()
    .split(/(?<=\})\s*(?=\{)/)
    .map((part) => JSON.parse(part) as T);

export interface FixtureTx {
  txId: string;
  /** input.args of the proposal: [function, lb.<Function>Args bytes]. */
  args: Uint8Array[];
  /** ChaincodeAction.results: the rwset.TxReadWriteSet bytes the endorsers signed. */
  results: Uint8Array;
}

/** Block n's first transaction, decoded down to the proposal's args and the endorsed results. */
export function fixtureTx(n: number): FixtureTx {
  const env = common.Envelope.decode(ordererBlock(n).data!.data[0]!);
  const payload = common.Payload.decode(env.payload);
  const ch = common.ChannelHeader.decode(payload.header!.channelHeader);
  const tx = protos.Transaction.decode(payload.data);
  const cap = protos.ChaincodeActionPayload.decode(tx.actions[0]!.payload);
  const cpp = protos.ChaincodeProposalPayload.decode(cap.chaincodeProposalPayload);
  const spec = protos.ChaincodeInvocationSpec.decode(cpp.input);
  const prp = protos.ProposalResponsePayload.decode(cap.action!.proposalResponsePayload);
  const action = protos.ChaincodeAction.decode(prp.extension);
  return { txId: ch.txId, args: spec.chaincodeSpec!.input!.args, results: action.results };
}

export interface Harness {
  channels: ChannelManager;
  channel: Channel;
  store: MemoryChaincodeStore;
  org1: LifecycleSCC;
  org2: LifecycleSCC;
  admin1: SigningIdentity;
  admin2: SigningIdentity;
  close(): Promise<void>;
}

export async function harness(): Promise<Harness> {
  const ledgers = await LedgerManager.open({ inMemory: true });
  const channels = await ChannelManager.open({ ledgers });
  const channel = await channels.joinChannel(genesisBlock());
  await channel.commitBlock(ordererBlock(1));
  const acl1 = new ACLProvider({ channels, localMSP: await peerMSP(1) });
  const acl2 = new ACLProvider({ channels, localMSP: await peerMSP(2) });
  const store = new MemoryChaincodeStore();
  return {
    channels,
    channel,
    store,
    org1: new LifecycleSCC({ mspId: 'Org1MSP', acl: acl1, channels, store }),
    org2: new LifecycleSCC({ mspId: 'Org2MSP', acl: acl2, channels, store: new MemoryChaincodeStore() }),
    admin1: (await userMSP(1, 'Admin')).getSigningIdentity(),
    admin2: (await userMSP(2, 'Admin')).getSigningIdentity(),
    close: async () => {
      await channels.close();
      await ledgers.close();
    },
  };
}

/** Invokes an SCC as the endorser would: signed data of `signer`, a simulator when on a channel. */
export async function invoke(
  scc: LifecycleSCC,
  signer: SigningIdentity,
  channelId: string,
  args: readonly Uint8Array[],
  simulator?: TxSimulator,
  txId = randomBytes(32).toString('hex'),
): Promise<protos.Response> {
  const data = randomBytes(64);
  return scc.invoke({
    channelId,
    txId,
    args,
    signedProposal: protos.SignedProposal.create(),
    proposal: protos.Proposal.create(),
    creator: signer.serialize(),
    signedData: [{ data, identity: signer.serialize(), signature: signer.sign(data) }],
    transientMap: {},
    ...(simulator && { simulator }),
  });
}

export const fn = (name: string, msg: Uint8Array): Uint8Array[] => [Buffer.from(name), msg];

/** Runs one call on a fresh simulator of the channel; returns the response and the simulation results. */
export async function simulate(
  h: Harness,
  scc: LifecycleSCC,
  signer: SigningIdentity,
  args: readonly Uint8Array[],
  txId = randomBytes(32).toString('hex'),
): Promise<{ response: protos.Response; results: TxSimulationResults }> {
  const sim = await h.channel.ledger.newTxSimulator(txId);
  try {
    const response = await invoke(scc, signer, h.channel.id, args, sim, txId);
    return { response, results: sim.getTxSimulationResults() };
  } finally {
    await sim.done();
  }
}

/**
 * Commits the fixture's _lifecycle blocks 2..last as a wired peer of Org1 would: each transaction is
 * first endorsed here (so this peer has the private rw-set of its own org's approval), then the real
 * block commits with that private data.
 */
export async function commitFixtureLifecycle(h: Harness, last: 2 | 3 | 4): Promise<void> {
  for (let n = h.channel.height; n <= last; n++) {
    const tx = fixtureTx(n);
    const [scc, signer] = n === 3 ? [h.org2, h.admin2] : [h.org1, h.admin1];
    const { results } = await simulate(h, scc, signer, tx.args, tx.txId);
    // Org2's private data stays with Org2's peers; this peer (Org1) keeps only what it endorsed itself.
    const pvtData = new Map(n === 3 || results.pvt === undefined ? [] : [[0, results.pvt]]);
    await h.channel.ledger.commit(ordererBlock(n), { pvtData });
    h.channel.definitions.invalidate();
  }
}

/** The fixture's orderer and peers, to cut and endorse blocks of our own on the fixture channel. */
export async function fixtureSigners(): Promise<{
  orderer: SigningIdentity;
  peer1: SigningIdentity;
  peer2: SigningIdentity;
}> {
  return {
    orderer: (await ordererMSP()).getSigningIdentity(),
    peer1: (await peerMSP(1)).getSigningIdentity(),
    peer2: (await peerMSP(2)).getSigningIdentity(),
  };
}

/** The next block of the channel holding `envelopes`, orderer-signed (last config = block 1). */
export async function cutBlock(
  h: Harness,
  orderer: SigningIdentity,
  envelopes: Uint8Array[],
): Promise<common.Block> {
  const prev = await h.channel.ledger.getBlockByNumber(h.channel.height - 1);
  const header: common.BlockHeader = {
    number: h.channel.height,
    previousHash: blockHeaderHash(prev.header!),
    dataHash: blockDataHash(envelopes),
  };
  return signBlock({ header, data: { data: envelopes }, metadata: undefined }, orderer, 1);
}

/**
 * Endorses `args` with `endorsers` (simulated by `scc` as `signer`), wraps the rw-set into a signed
 * transaction and returns it with the private rw-set the endorsement produced.
 */
export async function endorse(
  h: Harness,
  scc: LifecycleSCC,
  signer: SigningIdentity,
  endorsers: SigningIdentity[],
  args: readonly Uint8Array[],
): Promise<{ env: Uint8Array; txId: string; pvt: rwset.TxPvtReadWriteSet | undefined }> {
  const { response, results } = await simulate(h, scc, signer, args);
  if (response.status !== 200) throw new Error(response.message);
  // The tx id is the creator's (hash of nonce and creator), as the committer checks.
  const env = buildEndorserTx(signer, endorsers, h.channel.id, '_lifecycle', results.txRwSet);
  const payload = common.Payload.decode(common.Envelope.decode(env).payload);
  const txId = common.ChannelHeader.decode(payload.header!.channelHeader).txId;
  return { env, txId, pvt: results.pvt };
}
