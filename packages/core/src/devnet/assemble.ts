// Turns the dev network's material (fresh or read back from its folder) into what its users take:
// the peer's partial config, the orderer's options, the connection profile and the summary text.
import { join } from 'node:path';
import { type MSP } from '@fabric-peer/msp';
import { type common } from '@fabric-peer/protos';
import type { PartialPeerConfig } from '../config/index.js';
import { type EmbeddedOrdererOptions } from '../orderer/index.js';
import { type DevNetwork, type DevNetworkOptions, type DevTls } from './network.js';
import { type DevPorts } from './ports.js';
import { LAYOUT, connectionProfile, summaryText } from './profile.js';

const PEER_ID = 'peer0.org1.example.com';
const ORDERER_ID = 'orderer.example.com';
const MSP_ID = 'Org1MSP';

export interface Parts {
  channelId: string;
  ports: DevPorts;
  genesisBlock: common.Block;
  localMsp: MSP;
  ordererSigner: EmbeddedOrdererOptions['signer'];
  peerTls: DevTls;
  ordererTls: DevTls;
  admin: { certificate: string; privateKey: string };
  user: { certificate: string; privateKey: string };
}

export function assemble(
  p: Parts,
  dir: string | undefined,
  o: DevNetworkOptions,
  created: boolean,
): DevNetwork {
  const at = (...s: string[]): string | undefined => (dir === undefined ? undefined : join(dir, ...s));
  const peerAddress = `localhost:${p.ports.peer}`;
  const ordererAddress = `127.0.0.1:${p.ports.orderer}`;
  const profile = connectionProfile({
    channelId: p.channelId,
    peerName: PEER_ID,
    peerAddress,
    peerTlsCaPem: p.peerTls.ca,
    ordererName: ORDERER_ID,
    ordererAddress,
    ordererTlsCaPem: p.ordererTls.ca,
    mspId: MSP_ID,
    orgName: 'Org1',
  });
  const peerTlsDir = at(LAYOUT.peerNode, 'tls');
  const peerConfig: PartialPeerConfig = {
    peer: {
      id: PEER_ID,
      localMspId: MSP_ID,
      listenAddress: `0.0.0.0:${p.ports.peer}`,
      address: peerAddress,
      chaincodeListenAddress: `0.0.0.0:${p.ports.chaincode}`,
      chaincodeAddress: `127.0.0.1:${p.ports.chaincode}`,
      gossip: { bootstrap: [], endpoint: peerAddress, externalEndpoint: peerAddress },
      ...(dir !== undefined && {
        fileSystemPath: join(dir, LAYOUT.peerData),
        mspConfigPath: at(LAYOUT.peerNode, 'msp'),
      }),
      tls: {
        enabled: true,
        clientAuthRequired: false,
        ...(peerTlsDir !== undefined && {
          cert: { file: join(peerTlsDir, 'server.crt') },
          key: { file: join(peerTlsDir, 'server.key') },
          rootcert: { file: join(peerTlsDir, 'ca.crt') },
        }),
      },
    },
  };
  const orderer: EmbeddedOrdererOptions = {
    listenAddress: `0.0.0.0:${p.ports.orderer}`,
    tls: { cert: p.ordererTls.cert, key: p.ordererTls.key },
    signer: p.ordererSigner,
    genesisBlocks: [p.genesisBlock],
    admin: {
      listenAddress: `127.0.0.1:${p.ports.ordererAdmin}`,
      tls: { cert: p.ordererTls.cert, key: p.ordererTls.key, clientRootCAs: [p.ordererTls.ca] },
    },
    ...(dir !== undefined && { dataDir: join(dir, LAYOUT.ordererData) }),
    ...(o.logger !== undefined && { logger: o.logger }),
  };
  const files =
    dir === undefined
      ? undefined
      : {
          ordererTlsDir: join(dir, LAYOUT.ordererNode, 'tls'),
          adminMspDir: join(dir, LAYOUT.admin, 'msp'),
          peerTlsCaFile: join(dir, LAYOUT.peerNode, 'tls/ca.crt'),
          ordererTlsCaFile: join(dir, LAYOUT.ordererNode, 'tls/ca.crt'),
          connectionProfileJson: join(dir, LAYOUT.profileJson),
          connectionProfileYaml: join(dir, LAYOUT.profileYaml),
        };
  const mspDirs = (base: string): { mspDir?: string } =>
    dir === undefined ? {} : { mspDir: join(dir, base, 'msp') };
  return {
    created,
    ...(dir !== undefined && { dataDir: dir }),
    channelId: p.channelId,
    ports: p.ports,
    peer: {
      id: PEER_ID,
      mspId: MSP_ID,
      address: peerAddress,
      localMsp: p.localMsp,
      tls: p.peerTls,
      ...mspDirs(LAYOUT.peerNode),
    },
    admin: { mspId: MSP_ID, ...p.admin, ...mspDirs(LAYOUT.admin) },
    user: { mspId: MSP_ID, ...p.user, ...mspDirs(LAYOUT.user) },
    ordererTlsCa: p.ordererTls.ca,
    peerConfig,
    orderer,
    genesisBlock: p.genesisBlock,
    connectionProfile: profile,
    ...(files && {
      connectionProfilePaths: { json: files.connectionProfileJson, yaml: files.connectionProfileYaml },
    }),
    summary: summaryText({
      channelId: p.channelId,
      peerAddress,
      ordererAddress,
      ordererAdminAddress: `127.0.0.1:${p.ports.ordererAdmin}`,
      mspId: MSP_ID,
      ...(files && { files }),
    }),
  };
}
