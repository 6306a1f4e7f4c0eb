// Block hashing as Fabric does it (protoutil.BlockHeaderHash / ComputeBlockDataHash) and the
// small decodes the block store needs. Everything else about transactions lives in kvledger/.
import { createHash } from 'node:crypto';
import { common } from '@fabric-peer/protos';
import { toBuffer, writeVarint } from '../internal/bytes.js';
import { LedgerError, LedgerErrorCode } from '../errors.js';

/** Index of the metadata entries in a block (common.BlockMetadataIndex). */
export const MetadataIndex = {
  SIGNATURES: 0,
  LAST_CONFIG: 1,
  TRANSACTIONS_FILTER: 2,
  ORDERER: 3,
  COMMIT_HASH: 4,
} as const;
const METADATA_ENTRIES = 5;

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  let v = n;
  while (v > 0) {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
  }
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function derTlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), derLength(content.length), content]);
}

/** A non-negative integer as DER INTEGER content: minimal big-endian, a 0x00 in front when the top bit is set. */
function derUint(n: number): Buffer {
  const bytes: number[] = [];
  let v = n;
  do {
    bytes.unshift(v % 256);
    v = Math.floor(v / 256);
  } while (v > 0);
  if ((bytes[0] as number) & 0x80) bytes.unshift(0);
  return Buffer.from(bytes);
}

/** ASN.1 DER SEQUENCE { INTEGER number, OCTET STRING previous_hash, OCTET STRING data_hash }. */
export function blockHeaderBytes(
  h: Pick<common.BlockHeader, 'number' | 'previousHash' | 'dataHash'>,
): Buffer {
  return derTlv(
    0x30,
    Buffer.concat([
      derTlv(0x02, derUint(h.number)),
      derTlv(0x04, toBuffer(h.previousHash ?? new Uint8Array())),
      derTlv(0x04, toBuffer(h.dataHash ?? new Uint8Array())),
    ]),
  );
}

export function blockHeaderHash(h: Pick<common.BlockHeader, 'number' | 'previousHash' | 'dataHash'>): Buffer {
  return createHash('sha256').update(blockHeaderBytes(h)).digest();
}

/** SHA-256 over the concatenated envelopes of block.data.data. */
export function blockDataHash(data: readonly Uint8Array[]): Buffer {
  const h = createHash('sha256');
  for (const env of data) h.update(env);
  return h.digest();
}

function varintBytes(n: number): number[] {
  const out: number[] = [];
  writeVarint(out, n);
  return out;
}

/**
 * common.Block.encode(block) as a list of byte ranges whose concatenation is exactly those bytes:
 * the envelopes are referenced, not copied (the block files take the list in one writev).
 */
export function encodeBlockParts(block: common.Block): { parts: Uint8Array[]; length: number } {
  const parts: Uint8Array[] = [];
  let length = 0;
  const push = (b: Uint8Array): void => {
    if (b.length === 0) return;
    parts.push(b);
    length += b.length;
  };
  const field = (tag: number, body: Uint8Array): void => {
    push(Buffer.from([tag, ...varintBytes(body.length)]));
    push(body);
  };
  if (block.header) field(0x0a, common.BlockHeader.encode(block.header));
  if (block.data) {
    const envs = block.data.data;
    // Each envelope is field 1 of BlockData: 0x0a varint(len) bytes; the heads share one buffer.
    const heads = envs.map((e) => varintBytes(e.length));
    let dataLen = 0;
    let headLen = 0;
    envs.forEach((e, i) => {
      dataLen += 1 + heads[i]!.length + e.length;
      headLen += 1 + heads[i]!.length;
    });
    push(Buffer.from([0x12, ...varintBytes(dataLen)]));
    const headBuf = Buffer.allocUnsafe(headLen);
    let o = 0;
    envs.forEach((e, i) => {
      const start = o;
      headBuf[o++] = 0x0a;
      for (const b of heads[i]!) headBuf[o++] = b;
      push(headBuf.subarray(start, o));
      push(e);
    });
  }
  if (block.metadata) field(0x1a, common.BlockMetadata.encode(block.metadata));
  return { parts, length };
}

/** The block's metadata array with at least the five standard entries. */
export function fullMetadata(block: common.Block): Uint8Array[] {
  const md = [...(block.metadata?.metadata ?? [])];
  while (md.length < METADATA_ENTRIES) md.push(new Uint8Array());
  return md;
}

/** The transaction id of an envelope, '' when it has none or does not parse. */
export function envelopeTxIdOrEmpty(envBytes: Uint8Array): string {
  try {
    return envelopeTxId(envBytes);
  } catch {
    return '';
  }
}

/** The transaction id of an envelope ('' when it has none, as config blocks after genesis). */
export function envelopeTxId(envBytes: Uint8Array): string {
  const env = common.Envelope.decode(envBytes);
  const payload = common.Payload.decode(env.payload);
  const ch = common.ChannelHeader.decode(payload.header?.channelHeader ?? new Uint8Array());
  return ch.txId;
}

/** Decodes block bytes (e.g. from Deliver); truncated or garbled bytes are a LEDGER_BLOCK_MALFORMED error. */
export function decodeBlock(bytes: Uint8Array, channel?: string): common.Block {
  try {
    return common.Block.decode(bytes);
  } catch (cause) {
    throw new LedgerError(LedgerErrorCode.BLOCK_MALFORMED, 'block bytes do not decode', { channel, cause });
  }
}
