// The real Fabric 2.5.12 channel of test/fixtures: blocks, world state, MSP folders.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MSP } from '@fabric-peer/msp';
import { common } from '@fabric-peer/protos';

export const FIXTURE = fileURLToPath(new URL('../../../../test/fixtures/fabric-2.5.12/', import.meta.url));
export const CRYPTO = join(FIXTURE, 'crypto');

export const genesisBlock = (): common.Block =>
  common.Block.decode(readFileSync(join(FIXTURE, 'channel/mychannel-genesis.block')));
export const ordererBlock = (n: number): common.Block =>
  common.Block.decode(readFileSync(join(FIXTURE, `blocks/mychannel-orderer/${n}.block`)));
export const peerBlock = (n: number): common.Block =>
  common.Block.decode(readFileSync(join(FIXTURE, `blocks/mychannel/${n}.block`)));
export const anchorsUpdate = (): common.Envelope =>
  common.Envelope.decode(readFileSync(join(FIXTURE, 'channel/Org1MSPanchors.tx')));
export const worldState = (): { key: string; value: string }[] =>
  JSON.parse(readFileSync(join(FIXTURE, 'blocks/worldstate-asset.json'), 'utf8')) as {
    key: string;
    value: string;
  }[];

/** TRANSACTIONS_FILTER Fabric's peer wrote for block n. */
export const expectedCodes = (n: number): number[] => [...(peerBlock(n).metadata!.metadata[2] ?? [])];

const userDir = (org: number, user: string): string =>
  join(CRYPTO, `peerOrganizations/org${org}.example.com/users/${user}@org${org}.example.com/msp`);
export const userMSP = (org: number, user: 'Admin' | 'User1'): Promise<MSP> =>
  MSP.fromFolder(userDir(org, user), `Org${org}MSP`);
export const peerMSP = (org: number): Promise<MSP> =>
  MSP.fromFolder(
    join(CRYPTO, `peerOrganizations/org${org}.example.com/peers/peer0.org${org}.example.com/msp`),
    `Org${org}MSP`,
  );
export const ordererMSP = (): Promise<MSP> =>
  MSP.fromFolder(
    join(CRYPTO, 'ordererOrganizations/example.com/orderers/orderer.example.com/msp'),
    'OrdererMSP',
  );
