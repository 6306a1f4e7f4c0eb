// Fabric's protoutil in small: channel and signature headers, signed envelopes, tx ids. The
// orderer (its own config envelopes), the deliver client (signed SeekInfo) and the channel
// update commands all build envelopes the same way, so it lives here once.
import { createHash, randomBytes } from 'node:crypto';
import { common } from '@fabric-peer/protos';

/** What signs: a SigningIdentity of @fabric-peer/msp satisfies it. */
export interface Signer {
  serialize(): Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

/** Fabric's nonce length (crypto.GetRandomNonce: 24 bytes). */
export const NONCE_SIZE = 24;

export function newNonce(): Uint8Array {
  return new Uint8Array(randomBytes(NONCE_SIZE));
}

/** tx id = hex(SHA-256(nonce ++ creator)), as protoutil.ComputeTxID. */
export function computeTxId(nonce: Uint8Array, creator: Uint8Array): string {
  return createHash('sha256').update(nonce).update(creator).digest('hex');
}

export interface ChannelHeaderOptions {
  txId?: string;
  epoch?: number;
  /** Message version; Fabric writes 0 for CONFIG_UPDATE/DELIVER_SEEK_INFO and 1 for genesis CONFIG. */
  version?: number;
  timestamp?: Date;
  tlsCertHash?: Uint8Array;
}

/** A ChannelHeader with a seconds-only timestamp, as protoutil.MakeChannelHeader. */
export function makeChannelHeader(
  type: common.HeaderType,
  channelId: string,
  opts: ChannelHeaderOptions = {},
): common.ChannelHeader {
  const now = opts.timestamp ?? new Date();
  return common.ChannelHeader.create({
    type,
    version: opts.version ?? 0,
    channelId,
    txId: opts.txId ?? '',
    epoch: opts.epoch ?? 0,
    timestamp: { seconds: Math.floor(now.getTime() / 1000), nanos: 0 },
    tlsCertHash: opts.tlsCertHash ?? new Uint8Array(),
  });
}

export function makeSignatureHeader(
  creator: Uint8Array,
  nonce: Uint8Array = newNonce(),
): common.SignatureHeader {
  return common.SignatureHeader.create({ creator, nonce });
}

/**
 * protoutil.CreateSignedEnvelope: payload{header{channel, signature}, data}, signed by `signer`
 * (unsigned, with an empty creator, when there is no signer: the shape of configtxgen's genesis).
 */
export function createSignedEnvelope(
  type: common.HeaderType,
  channelId: string,
  signer: Signer | undefined,
  data: Uint8Array,
  opts: ChannelHeaderOptions & { withTxId?: boolean } = {},
): common.Envelope {
  const creator = signer?.serialize() ?? new Uint8Array();
  const sh = makeSignatureHeader(creator);
  const txId = opts.txId ?? (opts.withTxId ? computeTxId(sh.nonce, creator) : '');
  const payload = common.Payload.encode({
    header: {
      channelHeader: common.ChannelHeader.encode(makeChannelHeader(type, channelId, { ...opts, txId })),
      signatureHeader: common.SignatureHeader.encode(sh),
    },
    data,
  });
  return common.Envelope.create({ payload, signature: signer ? signer.sign(payload) : new Uint8Array() });
}

/** The decoded payload, channel header and signature header of an envelope (throws on bad bytes). */
export function openEnvelope(env: common.Envelope): {
  payload: common.Payload;
  channelHeader: common.ChannelHeader;
  signatureHeader: common.SignatureHeader;
} {
  const payload = common.Payload.decode(env.payload);
  if (!payload.header) throw new Error('missing header');
  return {
    payload,
    channelHeader: common.ChannelHeader.decode(payload.header.channelHeader),
    signatureHeader: common.SignatureHeader.decode(payload.header.signatureHeader),
  };
}
