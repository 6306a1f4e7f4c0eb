// Shared test helpers: both backends (memory-level and classic-level in a temp dir), fixture blocks,
// and a small block builder that makes chained blocks of endorser transactions.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { common, protos, rwset, kvrwset } from '@fabric-peer/protos';
import { blockDataHash, blockHeaderHash, LedgerManager, type LedgerManagerOptions } from '../src/index.js';

export const FIXTURES = new URL('../../../test/fixtures/fabric-2.5.12/', import.meta.url);

export interface Backend {
  name: string;
  options(): Promise<LedgerManagerOptions>;
  cleanup(): Promise<void>;
}

export function backends(): Backend[] {
  const dirs: string[] = [];
  return [
    { name: 'memory-level', options: async () => ({ inMemory: true }), cleanup: async () => {} },
    {
      name: 'classic-level',
      options: async () => {
        const d = await mkdtemp(join(tmpdir(), 'ledger-test-'));
        dirs.push(d);
        return { path: d };
      },
      cleanup: async () => {
        for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
      },
    },
  ];
}

export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'ledger-test-'));
}

export async function fixtureBlock(
  kind: 'mychannel' | 'mychannel-orderer',
  n: number,
): Promise<common.Block> {
  return common.Block.decode(await readFile(new URL(`blocks/${kind}/${n}.block`, FIXTURES)));
}

export async function fixtureJson<T>(name: string): Promise<T> {
  return JSON.parse(await readFile(new URL(`blocks/${name}`, FIXTURES), 'utf8')) as T;
}

export const CHANNEL = 'testchannel';

export function envelope(type: number, txId: string, data: Uint8Array, channel = CHANNEL): Uint8Array {
  const channelHeader = common.ChannelHeader.encode({
    type,
    txId,
    channelId: channel,
    timestamp: { seconds: 1_700_000_000, nanos: 0 },
  });
  const payload = common.Payload.encode({
    header: { channelHeader, signatureHeader: new Uint8Array() },
    data,
  });
  return common.Envelope.encode({ payload, signature: new Uint8Array([1, 2, 3]) });
}

/** An endorser transaction envelope whose ChaincodeAction.results is `rw`. */
export function endorserTx(
  txId: string,
  rw: rwset.TxReadWriteSet | Uint8Array,
  channel = CHANNEL,
): Uint8Array {
  const results = rw instanceof Uint8Array ? rw : rwset.TxReadWriteSet.encode(rw);
  const extension = protos.ChaincodeAction.encode({ results, response: { status: 200 } });
  const prp = protos.ProposalResponsePayload.encode({ proposalHash: new Uint8Array(32), extension });
  const cap = protos.ChaincodeActionPayload.encode({
    action: { proposalResponsePayload: prp, endorsements: [] },
  });
  const tx = protos.Transaction.encode({ actions: [{ header: new Uint8Array(), payload: cap }] });
  return envelope(common.HeaderType.ENDORSER_TRANSACTION, txId, tx, channel);
}

export interface SimpleRw {
  ns?: string;
  reads?: [string, [number, number] | undefined][];
  writes?: [string, string | undefined][];
  ranges?: kvrwset.RangeQueryInfo[];
}

export function simpleRwSet(s: SimpleRw): rwset.TxReadWriteSet {
  const kv: kvrwset.KVRWSet = {
    reads: (s.reads ?? []).map(([key, v]) => ({
      key,
      version: v ? { blockNum: v[0], txNum: v[1] } : undefined,
    })),
    rangeQueriesInfo: s.ranges ?? [],
    writes: (s.writes ?? []).map(([key, v]) => ({
      key,
      isDelete: v === undefined,
      value: v === undefined ? new Uint8Array() : Buffer.from(v),
    })),
    metadataWrites: [],
  };
  return rwset.TxReadWriteSet.create({
    nsRwset: [{ namespace: s.ns ?? 'cc', rwset: kvrwset.KVRWSet.encode(kv) }],
  });
}

export function genesisBlock(channel = CHANNEL): common.Block {
  const env = envelope(
    common.HeaderType.CONFIG,
    'genesis-' + randomBytes(4).toString('hex'),
    new Uint8Array([9]),
    channel,
  );
  return makeBlock(0, new Uint8Array(), [env]);
}

export function makeBlock(number: number, previousHash: Uint8Array, envs: Uint8Array[]): common.Block {
  return {
    header: { number, previousHash, dataHash: blockDataHash(envs) },
    data: { data: envs },
    metadata: { metadata: [new Uint8Array(), new Uint8Array(), new Uint8Array(), new Uint8Array()] },
  };
}

/** Chains blocks onto a ledger-like thing that tells its info. */
export function nextBlock(
  info: { height: number; currentBlockHash: Uint8Array },
  envs: Uint8Array[],
): common.Block {
  return makeBlock(info.height, info.currentBlockHash, envs);
}

export function hashOf(block: common.Block): Buffer {
  return blockHeaderHash(block.header!);
}

export function sha256(b: Uint8Array | string): Buffer {
  return createHash('sha256').update(b).digest();
}

export async function withManager<T>(
  opts: LedgerManagerOptions,
  fn: (m: LedgerManager) => Promise<T>,
): Promise<T> {
  const m = await LedgerManager.open(opts);
  try {
    return await fn(m);
  } finally {
    await m.close();
  }
}

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
