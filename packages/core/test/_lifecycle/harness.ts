// A channel on the real Fabric 2.5.12 fixture (genesis + block 1 committed through the ChannelManager),
// _lifecycle SCCs for Org1 and Org2 on it, and the fixture's _lifecycle transactions (blocks 2-4)
// taken apart: tx id, the args the CLI sent, and the rw-set Fabric's peers endorsed.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LedgerManager, type TxSimulator } from '@fabric-peer/ledger';
import { type SigningIdentity } from '@fabric-peer/msp';
import { common, protos } from '@fabric-peer/protos';
import { LifecycleSCC } from '../../src/_lifecycle/index.js';
import { ACLProvider } from '../../src/acl/index.js';
import { type Channel, ChannelManager } from '../../src/channel/index.js';
import { MemoryChaincodeStore } from '../../src/persistence/index.js';
import { FIXTURE, genesisBlock, ordererBlock, peerMSP, userMSP } from '../channel/fabric-fixture.js';

export const CHAINCODE = join(FIXTURE, 'chaincode');
export const packageBytes = (f = 'asset_1.0.tar.gz'): Buffer => readFileSync(join(CHAINCODE, f));
export const packageId = (f = 'asset_1.0.package-id'): string =>
  readFileSync(join(CHAINCODE, f), 'utf8').trim();
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
) {
  const sim = await h.channel.ledger.newTxSimulator(txId);
  try {
    const response = await invoke(scc, signer, h.channel.id, args, sim, txId);
    return { response, results: sim.getTxSimulationResults() };
  } finally {
    await sim.done();
  }
}
