// Paths into the real Fabric 2.5.12 fixtures and small block-walking helpers for the tests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { common, protos } from '@fabric-peer/protos';
import type { SignedData } from '../src/index.js';

export const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/fabric-2.5.12/', import.meta.url));
export const CRYPTO = join(FIXTURES, 'crypto');
export const ORG1 = join(CRYPTO, 'peerOrganizations/org1.example.com');
export const ORG2 = join(CRYPTO, 'peerOrganizations/org2.example.com');
export const ORDERER_ORG = join(CRYPTO, 'ordererOrganizations/example.com');

export const mspDir = {
  org1: join(ORG1, 'msp'),
  org2: join(ORG2, 'msp'),
  ordererOrg: join(ORDERER_ORG, 'msp'),
  peer0org1: join(ORG1, 'peers/peer0.org1.example.com/msp'),
  peer0org2: join(ORG2, 'peers/peer0.org2.example.com/msp'),
  adminOrg1: join(ORG1, 'users/Admin@org1.example.com/msp'),
  user1Org1: join(ORG1, 'users/User1@org1.example.com/msp'),
  adminOrg2: join(ORG2, 'users/Admin@org2.example.com/msp'),
  orderer: join(ORDERER_ORG, 'orderers/orderer.example.com/msp'),
};

export function readBlock(name: string): common.Block {
  return common.Block.decode(readFileSync(join(FIXTURES, name)));
}

export function genesisChannelGroup(): common.ConfigGroup {
  const block = readBlock('channel/mychannel-genesis.block');
  const env = common.Envelope.decode(block.data!.data[0]!);
  const payload = common.Payload.decode(env.payload);
  return common.ConfigEnvelope.decode(payload.data).config!.channelGroup!;
}

export interface EndorserTx {
  /** SerializedIdentity of the creator, and its signature over the envelope payload. */
  readonly creator: SignedData;
  /** One SignedData per endorsement: data = proposal_response_payload ++ endorser. */
  readonly endorsements: SignedData[];
}

export function endorserTransactions(block: common.Block): EndorserTx[] {
  return block.data!.data.map((raw) => {
    const env = common.Envelope.decode(raw);
    const payload = common.Payload.decode(env.payload);
    const sh = common.SignatureHeader.decode(payload.header!.signatureHeader);
    const tx = protos.Transaction.decode(payload.data);
    const endorsements: SignedData[] = [];
    for (const action of tx.actions) {
      const cap = protos.ChaincodeActionPayload.decode(action.payload);
      const prp = cap.action!.proposalResponsePayload;
      for (const e of cap.action!.endorsements) {
        endorsements.push({
          data: Buffer.concat([prp, e.endorser]),
          identity: e.endorser,
          signature: e.signature,
        });
      }
    }
    return { creator: { data: env.payload, identity: sh.creator, signature: env.signature }, endorsements };
  });
}
