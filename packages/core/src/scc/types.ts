// The system chaincode contract: a name and an invoke that answers a Response, run inside the peer
// through the endorser path (cscc, qscc here; lscc and _lifecycle plug in the same way).
import type { KVLedger, TxSimulator } from '@fabric-peer/ledger';
import type { SignedData } from '@fabric-peer/msp';
import type { common, protos } from '@fabric-peer/protos';

export interface SystemChaincodeContext {
  /** '' for channel-less proposals (cscc JoinChain / GetChannels). */
  readonly channelId: string;
  readonly txId: string;
  readonly args: readonly Uint8Array[];
  readonly signedProposal: protos.SignedProposal;
  readonly proposal: protos.Proposal;
  /** The proposal creator (SerializedIdentity bytes). */
  readonly creator: Uint8Array;
  /** The proposal as signed data, for ACL and local MSP checks. */
  readonly signedData: readonly SignedData[];
  readonly transientMap: Readonly<Record<string, Uint8Array>>;
  /** On a channel: a simulator over its state (lscc / _lifecycle write through it). */
  readonly simulator?: TxSimulator;
}

export interface SystemChaincode {
  readonly name: string;
  invoke(ctx: SystemChaincodeContext): Promise<protos.Response>;
}

/** What cscc and qscc need of a joined channel. */
export interface SccChannel {
  readonly id: string;
  readonly ledger: KVLedger;
  config(): { readonly config: common.Config; readonly configBlockNumber: number };
}

export interface SccChannels {
  getChannel(id: string): SccChannel | undefined;
  channelIds(): string[];
  joinChannel(block: common.Block): Promise<unknown>;
}

/** acl/'s ACLProvider: channel resources, and peer resources (cscc/JoinChain, cscc/GetChannels) on the local MSP. */
export interface SccACL {
  checkACL(resource: string, channelId: string, signed: readonly SignedData[]): void;
}
