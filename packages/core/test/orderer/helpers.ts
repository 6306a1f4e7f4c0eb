// Shared set-up for the orderer tests: the fixture network's crypto and genesis block.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MSP, type SigningIdentity } from '@fabric-peer/msp';
import { common } from '@fabric-peer/protos';
import { createSignedEnvelope } from '../../src/configtx/index.js';

export const FIX = join(import.meta.dirname, '../../../../test/fixtures/fabric-2.5.12');
export const CRYPTO = join(FIX, 'crypto');
export const ORDERER_DIR = join(CRYPTO, 'ordererOrganizations/example.com/orderers/orderer.example.com');
export const ORG1 = join(CRYPTO, 'peerOrganizations/org1.example.com');

export const readFix = (p: string): Buffer => readFileSync(join(FIX, p));
export const genesis = (): common.Block => common.Block.decode(readFix('channel/mychannel-genesis.block'));

export async function signer(mspDir: string, mspId: string): Promise<SigningIdentity> {
  return (await MSP.fromFolder(mspDir, mspId)).getSigningIdentity();
}

export const ordererSigner = (): Promise<SigningIdentity> => signer(join(ORDERER_DIR, 'msp'), 'OrdererMSP');
export const user1 = (): Promise<SigningIdentity> =>
  signer(join(ORG1, 'users/User1@org1.example.com/msp'), 'Org1MSP');
export const admin1 = (): Promise<SigningIdentity> =>
  signer(join(ORG1, 'users/Admin@org1.example.com/msp'), 'Org1MSP');

export const ordererTls = () => ({
  cert: readFileSync(join(ORDERER_DIR, 'tls/server.crt')),
  key: readFileSync(join(ORDERER_DIR, 'tls/server.key')),
});
export const ordererTlsCa = (): Buffer => readFileSync(join(ORDERER_DIR, 'tls/ca.crt'));

/** An ENDORSER_TRANSACTION-typed envelope with arbitrary data (the orderer does not look inside). */
export function txEnvelope(
  s: SigningIdentity | undefined,
  channel = 'mychannel',
  data = Buffer.from('tx'),
): common.Envelope {
  return createSignedEnvelope(common.HeaderType.ENDORSER_TRANSACTION, channel, s, data, { withTxId: true });
}
