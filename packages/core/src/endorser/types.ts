// What the endorser needs from the rest of the peer, as small structural contracts: channel/'s
// Channel, acl/'s ACLProvider and chaincode/'s ChaincodeExecutor satisfy them.
import type { TxSimulator } from '@fabric-peer/ledger';
import type { SignedData } from '@fabric-peer/msp';
import type { protos } from '@fabric-peer/protos';

export interface IdentityDeserializer {
  deserializeIdentity(serialized: Uint8Array): {
    validate(): void;
    verify(message: Uint8Array, signature: Uint8Array): void;
  };
}

export interface EndorserChannel {
  readonly ledger: {
    newTxSimulator(txId: string): Promise<TxSimulator>;
    txIdExists(txId: string): Promise<boolean>;
  };
  config(): { readonly mspManager: IdentityDeserializer };
}

export interface EndorserChannels {
  getChannel(id: string): EndorserChannel | undefined;
}

export interface EndorserACL {
  checkACL(resource: string, channelId: string, signed: readonly SignedData[]): void;
}

export type { ChaincodeExecutor } from '../chaincode/index.js';

/** The chaincode definition facts the endorser signs under (lifecycle's ChaincodeEndorsementInfo). */
export interface ChaincodeEndorsementInfo {
  version: string;
  endorsementPlugin: string;
  /** The definition was approved with --init-required: nothing but Init runs until Init has. */
  enforceInit?: boolean;
}

export interface EndorsementInfoProvider {
  /** Throws when the chaincode is not defined on the channel. */
  chaincodeEndorsementInfo(
    channelId: string,
    name: string,
    simulator: TxSimulator | undefined,
  ): Promise<ChaincodeEndorsementInfo>;
}

/** Signs as the peer: serialize() gives the endorser field, sign() signs DER over SHA-256. */
export interface PeerSigner {
  serialize(): Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

/** An endorsement plugin (peer.handlers.endorsers): ESCC by default. */
export interface EndorsementPlugin {
  endorse(
    prpBytes: Uint8Array,
    signedProposal: protos.SignedProposal,
  ): { endorsement: protos.Endorsement; payload: Uint8Array };
}

/** A decorator (peer.handlers.decorators): may change the chaincode input before execution. */
export type Decorator = (proposal: protos.Proposal, input: protos.ChaincodeInput) => protos.ChaincodeInput;

/** An auth filter (peer.handlers.authFilters): may refuse a signed proposal before the endorser sees it. */
export type AuthFilter = (signedProposal: protos.SignedProposal) => void;
