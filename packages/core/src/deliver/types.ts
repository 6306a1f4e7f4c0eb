// What Deliver needs from the rest of the peer, as small structural contracts: channel/'s Channel
// and acl/'s ACLProvider satisfy them (so does peer/'s interim adapter).
import type { common } from '@fabric-peer/protos';
import type { SignedData } from '@fabric-peer/msp';

/** One channel's block source and identity deserializer. */
export interface DeliverChannel {
  readonly ledger: {
    readonly height: number;
    getBlockByNumber(n: number): Promise<common.Block>;
    blocksFrom(n: number, signal?: AbortSignal): AsyncGenerator<common.Block>;
  };
  /** The config in force: its MSPs and its sequence (the ACL is evaluated again when it changes). */
  config(): {
    readonly sequence: number;
    readonly mspManager: { deserializeIdentity(serialized: Uint8Array): { expiresAt: Date } };
  };
}

export interface DeliverChannels {
  getChannel(id: string): DeliverChannel | undefined;
}

export interface ACLChecker {
  /** Throws when the signed data does not satisfy the resource's policy on the channel. */
  checkACL(resource: string, channelId: string, signed: readonly SignedData[]): void;
}
