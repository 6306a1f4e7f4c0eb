// Fabric's BlockWriter: makes the next block of a chain and writes it with the orderer's signature.
// SIGNATURES metadata = Metadata{value = OrdererBlockMetadata{last_config, consenter_metadata},
// signatures = [{signature_header, signature over value ++ signature_header ++ header ASN.1}]};
// LAST_CONFIG metadata = Metadata{value = LastConfig{index}} (deprecated, still written by 2.5).
import { common, etcdraft } from '@fabric-peer/protos';
import { type BlockStore, blockDataHash, blockHeaderBytes, blockHeaderHash } from '@fabric-peer/ledger';
import { type Signer, makeSignatureHeader } from '../configtx/index.js';

export interface BlockWriterOptions {
  store: BlockStore;
  signer: Signer;
  /** Number of the last config block of the chain. */
  lastConfigIndex: number;
  /** 'etcdraft' writes raft BlockMetadata as consenter metadata (as a one-node Raft would). */
  consensusType?: string;
}

export class BlockWriter {
  private lastConfigIndex: number;
  private previousHash: Uint8Array;
  private next: number;
  private raftIndex: number;

  constructor(private readonly opts: BlockWriterOptions) {
    this.lastConfigIndex = opts.lastConfigIndex;
    const info = opts.store.getBlockchainInfo();
    this.next = info.height;
    this.previousHash = info.currentBlockHash;
    // One raft entry per block after genesis: the index only has to grow.
    this.raftIndex = info.height + 1;
  }

  get height(): number {
    return this.next;
  }

  /** The next block holding `envelopes`, unsigned and unwritten. */
  createNextBlock(envelopes: readonly common.Envelope[]): common.Block {
    const data = envelopes.map((e) => common.Envelope.encode(e));
    return common.Block.create({
      header: { number: this.next, previousHash: this.previousHash, dataHash: blockDataHash(data) },
      data: { data },
      metadata: { metadata: [] },
    });
  }

  /** Signs and appends `block`; a config block becomes the new last config. */
  async writeBlock(block: common.Block, isConfig: boolean): Promise<common.Block> {
    const header = block.header!;
    if (isConfig) this.lastConfigIndex = header.number;
    const consenterMetadata =
      this.opts.consensusType === 'etcdraft'
        ? common.Metadata.encode({
            value: etcdraft.BlockMetadata.encode({
              consenterIds: [1],
              nextConsenterId: 2,
              raftIndex: this.raftIndex++,
            }),
          })
        : new Uint8Array();
    const value = common.OrdererBlockMetadata.encode({
      lastConfig: { index: this.lastConfigIndex },
      consenterMetadata,
    });
    const signatureHeader = common.SignatureHeader.encode(makeSignatureHeader(this.opts.signer.serialize()));
    const signature = this.opts.signer.sign(
      Buffer.concat([value, signatureHeader, blockHeaderBytes(header)]),
    );
    const empty = new Uint8Array();
    const signed = common.Block.create({
      header,
      data: block.data,
      metadata: {
        metadata: [
          common.Metadata.encode({ value, signatures: [{ signatureHeader, signature }] }),
          common.Metadata.encode({ value: common.LastConfig.encode({ index: this.lastConfigIndex }) }),
          empty,
          empty,
          empty,
        ],
      },
    });
    await this.opts.store.append(signed);
    this.previousHash = blockHeaderHash(header);
    this.next = header.number + 1;
    return signed;
  }
}
