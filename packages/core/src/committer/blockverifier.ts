// Fabric's BlockSignatureVerifier (as the peer's deliver client runs it before a block reaches the
// committer): the data hash matches the data, and the SIGNATURES metadata satisfies the channel's
// /Channel/Orderer/BlockValidation policy, each signature over metadata.value ++ signature_header ++
// the ASN.1 block header bytes.
import { type SignedData } from '@fabric-peer/msp';
import { MetadataIndex, blockDataHash, blockHeaderBytes } from '@fabric-peer/ledger';
import { common } from '@fabric-peer/protos';
import { type ChannelConfig } from '../channel/index.js';
import { COMMITTER_ERRORS, committerError } from './errors.js';
import { errorMessage } from '../errors/index.js';

export const BLOCK_VALIDATION_POLICY = '/Channel/Orderer/BlockValidation';

/** The SignedData of a block's orderer signatures. */
export function blockSignedData(block: common.Block): SignedData[] {
  const header = block.header!;
  const raw = block.metadata?.metadata[MetadataIndex.SIGNATURES];
  if (!raw || raw.length === 0) return [];
  const md = common.Metadata.decode(raw);
  const headerBytes = blockHeaderBytes(header);
  return md.signatures.map((s) => {
    const sh = common.SignatureHeader.decode(s.signatureHeader);
    return {
      data: Buffer.concat([md.value, s.signatureHeader, headerBytes]),
      identity: sh.creator,
      signature: s.signature,
    };
  });
}

/** Throws COMMITTER_BLOCK_REFUSED / COMMITTER_BLOCK_SIGNATURE_INVALID; nothing is committed then. */
export function verifyBlock(block: common.Block, config: ChannelConfig): void {
  const channel = config.channelId;
  const n = block.header?.number ?? -1;
  const refuse = (reason: string): never => {
    throw committerError(COMMITTER_ERRORS.BLOCK_REFUSED, { block: n, channel, reason }, { channel });
  };
  if (!block.header || !block.data) refuse('block has no header or no data');
  if (!blockDataHash(block.data!.data).equals(block.header!.dataHash)) {
    refuse(`header.DataHash is different from Hash(block.Data)`);
  }
  let signed: SignedData[];
  try {
    signed = blockSignedData(block);
  } catch (err) {
    return refuse(`bad SIGNATURES metadata: ${errorMessage(err)}`);
  }
  const policy = config.policies.getPolicy(BLOCK_VALIDATION_POLICY);
  if (!policy) return refuse(`no ${BLOCK_VALIDATION_POLICY} policy`);
  const r = policy.evaluateSignedData(signed, { checkExpiry: false });
  if (!r.satisfied) {
    throw committerError(
      COMMITTER_ERRORS.BLOCK_SIGNATURE_INVALID,
      { block: n, channel, reason: [r.error.message, ...r.error.details].join('; ') },
      { channel },
    );
  }
}
