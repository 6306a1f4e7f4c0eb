// The block store's index records: keys and the encodings of the chain info and tx locations.
//   'b' be64(n)  -> where block n's bytes are (blockfiles.ts)
//   'n' hash     -> be64(n)
//   't' txid     -> be64(n) be32(txNum) code(1)     (first transaction with that id)
//   'i'          -> be64(height) varint-len current hash, varint-len previous hash
import { type common } from '@fabric-peer/protos';
import { ByteReader, be32, be64, readBe64, toBuffer, utf8, varint } from '../internal/bytes.js';
import { type BatchOp } from '../internal/store.js';
import { fullMetadata, MetadataIndex } from './blockutil.js';

export interface BlockchainInfo {
  height: number;
  currentBlockHash: Uint8Array;
  previousBlockHash: Uint8Array;
}

export interface TxLocation {
  blockNumber: number;
  txNumber: number;
  validationCode: number;
}

export const INFO_KEY = Buffer.from('i');
export const blockKey = (n: number): Buffer => Buffer.concat([Buffer.from('b'), be64(n)]);
export const hashKey = (h: Uint8Array): Buffer => Buffer.concat([Buffer.from('n'), toBuffer(h)]);
export const txKey = (id: string): Buffer => Buffer.concat([Buffer.from('t'), utf8(id)]);
/** The private rw-sets accepted with block n (txmgr/pvtdata.ts), for recovery. */
export const pvtKey = (n: number): Buffer => Buffer.concat([Buffer.from('p'), be64(n)]);

export function encodeInfo(i: BlockchainInfo): Buffer {
  const cur = toBuffer(i.currentBlockHash);
  const prev = toBuffer(i.previousBlockHash);
  return Buffer.concat([be64(i.height), varint(cur.length), cur, varint(prev.length), prev]);
}

/** Throws RangeError on a bad record. */
export function decodeInfo(raw: Buffer): BlockchainInfo {
  const r = new ByteReader(raw);
  const height = readBe64(r.bytes(8));
  return {
    height,
    currentBlockHash: Buffer.from(r.lenPrefixed()),
    previousBlockHash: Buffer.from(r.lenPrefixed()),
  };
}

export function encodeTxLocation(l: TxLocation): Buffer {
  return Buffer.concat([be64(l.blockNumber), be32(l.txNumber), Buffer.from([l.validationCode])]);
}

/** Throws RangeError on a bad record. */
export function decodeTxLocation(raw: Buffer): TxLocation {
  if (raw.length !== 13) throw new RangeError('tx index record must be 13 bytes');
  return { blockNumber: readBe64(raw), txNumber: raw.readUInt32BE(8), validationCode: raw[12] as number };
}

/**
 * The index entries of block n: its location, hash -> n, each tx id not indexed before (first
 * occurrence wins) with its validation code, and the new chain info.
 */
export function blockIndexOps(
  block: common.Block,
  hash: Buffer,
  location: Buffer,
  info: BlockchainInfo,
  txs: { txIds: readonly string[]; indexed: readonly boolean[]; codes?: ArrayLike<number>; pvtData?: Buffer },
): { ops: BatchOp[]; next: BlockchainInfo } {
  const n = block.header!.number;
  const codes = txs.codes ?? fullMetadata(block)[MetadataIndex.TRANSACTIONS_FILTER] ?? new Uint8Array();
  const ops: BatchOp[] = [
    { type: 'put', key: blockKey(n), value: location },
    { type: 'put', key: hashKey(hash), value: be64(n) },
  ];
  if (txs.pvtData) ops.push({ type: 'put', key: pvtKey(n), value: txs.pvtData });
  const seen = new Set<string>();
  txs.txIds.forEach((id, i) => {
    if (id === '' || txs.indexed[i] || seen.has(id)) return;
    seen.add(id);
    const loc = encodeTxLocation({ blockNumber: n, txNumber: i, validationCode: codes[i] ?? 0 });
    ops.push({ type: 'put', key: txKey(id), value: loc });
  });
  const next: BlockchainInfo = {
    height: n + 1,
    currentBlockHash: hash,
    previousBlockHash: info.currentBlockHash,
  };
  ops.push({ type: 'put', key: INFO_KEY, value: encodeInfo(next) });
  return { ops, next };
}
