// Test helpers: a real in-memory ledger on the fixture channel, signed proposals whose creator is a
// real certificate (fabric-contract-api parses it), one-call simulate (+ commit) through
// ChaincodeSupport, and the paths of the real fabric-shim CLI and the test contract.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { common, msp, protos, rwset } from '@fabric-peer/protos';
import { blockDataHash, type KVLedger, LedgerManager, type TxRwSet } from '@fabric-peer/ledger';
import { type ChaincodeSupport, type ExecuteResult, TLSCA } from '../../src/chaincode/index.js';

export const CHANNEL = 'mychannel';
const here = dirname(fileURLToPath(import.meta.url));
export const CONTRACT_DIR = join(here, 'fixtures', 'contract');
export const FIXTURES = join(here, '..', '..', '..', '..', 'test', 'fixtures', 'fabric-2.5.12');
const require = createRequire(import.meta.url);
/** The real `fabric-chaincode-node` CLI. */
export const SHIM_CLI = join(dirname(require.resolve('fabric-shim/package.json')), 'cli.js');
export const SHIM_DIR = dirname(require.resolve('fabric-shim/package.json'));
export const CONTRACT_API_DIR = dirname(require.resolve('fabric-contract-api/package.json'));

export interface TestLedger {
  manager: LedgerManager;
  ledger: KVLedger;
  close(): Promise<void>;
}

export async function openLedger(): Promise<TestLedger> {
  const manager = await LedgerManager.open({ inMemory: true });
  const genesis = common.Block.decode(await readFile(join(FIXTURES, 'channel', 'mychannel-genesis.block')));
  const ledger = await manager.createLedger(genesis);
  return { manager, ledger, close: () => manager.close() };
}

let creatorBytes: Promise<Uint8Array> | undefined;

/** A SerializedIdentity (Org1MSP) holding a real certificate, made once per test process. */
export function creator(): Promise<Uint8Array> {
  return (creatorBytes ??= (async () => {
    const ca = await TLSCA.create('ca.org1.example.com');
    const user = await ca.newClientCert('User1@org1.example.com');
    return msp.SerializedIdentity.encode({ mspid: 'Org1MSP', idBytes: Buffer.from(user.certPem) });
  })());
}

export const newTxId = (): string => randomBytes(32).toString('hex');

export async function proposal(
  txId: string,
  name: string,
  args: string[],
  channelId = CHANNEL,
): Promise<{ signedProposal: protos.SignedProposal; proposal: protos.Proposal }> {
  const channelHeader = common.ChannelHeader.encode({
    type: common.HeaderType.ENDORSER_TRANSACTION,
    txId,
    channelId,
    timestamp: { seconds: Math.floor(Date.now() / 1000), nanos: 0 },
  });
  const signatureHeader = common.SignatureHeader.encode({ creator: await creator(), nonce: randomBytes(24) });
  const payload = protos.ChaincodeProposalPayload.encode({
    input: protos.ChaincodeInvocationSpec.encode({
      chaincodeSpec: { chaincodeId: { name }, input: { args: args.map((a) => Buffer.from(a)) } },
    }),
  });
  const prop: protos.Proposal = protos.Proposal.create({
    header: common.Header.encode({ channelHeader, signatureHeader }),
    payload,
  });
  const proposalBytes = protos.Proposal.encode(prop);
  return { proposal: prop, signedProposal: { proposalBytes, signature: randomBytes(70) } };
}

export interface Simulation extends ExecuteResult {
  txId: string;
  rw: TxRwSet;
  proto: rwset.TxReadWriteSet;
}

/** Simulates one invocation (fresh TxSimulator) and returns the result and the rw-set. */
export async function simulate(
  support: ChaincodeSupport,
  ledger: KVLedger,
  name: string,
  args: string[],
  opts: { isInit?: boolean; txId?: string } = {},
): Promise<Simulation> {
  const txId = opts.txId ?? newTxId();
  const sim = await ledger.newTxSimulator(txId);
  try {
    const p = await proposal(txId, name, args);
    const result = await support.execute(
      { channelId: CHANNEL, txId, ...p, simulator: sim, history: ledger, isInit: opts.isInit ?? false },
      name,
      { args: args.map((a) => Buffer.from(a)), decorations: {}, isInit: opts.isInit ?? false },
    );
    const { txRwSet, proto } = sim.getTxSimulationResults();
    return { ...result, txId, rw: txRwSet, proto };
  } finally {
    await sim.done();
  }
}

/** Commits simulated transactions as one block (they must not conflict). */
export async function commit(ledger: KVLedger, sims: Simulation[]): Promise<number[]> {
  const envs = sims.map((s) => endorserTx(s.txId, s.proto));
  const info = ledger.getBlockchainInfo();
  const block: common.Block = {
    header: { number: info.height, previousHash: info.currentBlockHash, dataHash: blockDataHash(envs) },
    data: { data: envs },
    metadata: { metadata: [new Uint8Array(), new Uint8Array(), new Uint8Array(), new Uint8Array()] },
  };
  const r = await ledger.commit(block);
  return r.validationCodes;
}

function endorserTx(txId: string, rw: rwset.TxReadWriteSet): Uint8Array {
  const action = protos.ChaincodeAction.encode({
    results: rwset.TxReadWriteSet.encode(rw),
    response: { status: 200 },
  });
  const prp = protos.ProposalResponsePayload.encode({ proposalHash: new Uint8Array(32), extension: action });
  const cap = protos.ChaincodeActionPayload.encode({
    action: { proposalResponsePayload: prp, endorsements: [] },
  });
  const tx = protos.Transaction.encode({ actions: [{ header: new Uint8Array(), payload: cap }] });
  const channelHeader = common.ChannelHeader.encode({
    type: common.HeaderType.ENDORSER_TRANSACTION,
    txId,
    channelId: CHANNEL,
    timestamp: { seconds: Math.floor(Date.now() / 1000), nanos: 0 },
  });
  const payload = common.Payload.encode({
    header: { channelHeader, signatureHeader: new Uint8Array() },
    data: tx,
  });
  return common.Envelope.encode({ payload, signature: new Uint8Array([1]) });
}

/** Writes of namespace `ns` in a rw-set, as key -> value string (undefined = delete). */
export function writesOf(rw: TxRwSet, ns: string): Record<string, string | undefined> {
  const nsRw = rw.nsRwSets.find((n) => n.namespace === ns);
  const out: Record<string, string | undefined> = {};
  for (const w of nsRw?.kvRwSet.writes ?? [])
    out[w.key] = w.isDelete ? undefined : Buffer.from(w.value).toString('utf8');
  return out;
}

export function readsOf(rw: TxRwSet, ns: string): string[] {
  return (rw.nsRwSets.find((n) => n.namespace === ns)?.kvRwSet.reads ?? []).map((r) => r.key);
}

export const text = (r: ExecuteResult): string => Buffer.from(r.response.payload).toString('utf8');

export async function tempDir(prefix = 'cc-test-'): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
