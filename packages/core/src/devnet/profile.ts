// What a developer needs to connect: Fabric's common connection profile (test-network's
// connection-org1.json shape, plus orderers and the channel) and the summary text with the
// `export CORE_PEER_...` lines that make the Go/our CLI act as Org1's admin.
import { join } from 'node:path';

export interface ConnectionProfileInput {
  channelId: string;
  peerName: string;
  peerAddress: string;
  peerTlsCaPem: string;
  ordererName: string;
  ordererAddress: string;
  ordererTlsCaPem: string;
  mspId: string;
  orgName: string;
}

export interface ConnectionProfile {
  name: string;
  version: string;
  client: { organization: string; connection: { timeout: { peer: { endorser: string }; orderer: string } } };
  organizations: Record<string, { mspid: string; peers: string[] }>;
  peers: Record<string, ProfileNode>;
  orderers: Record<string, ProfileNode>;
  channels: Record<string, { orderers: string[]; peers: Record<string, Record<string, boolean>> }>;
}

interface ProfileNode {
  url: string;
  tlsCACerts: { pem: string };
  grpcOptions: { 'ssl-target-name-override': string; hostnameOverride: string };
}

const node = (name: string, address: string, pem: string): ProfileNode => ({
  url: `grpcs://${address}`,
  tlsCACerts: { pem },
  grpcOptions: { 'ssl-target-name-override': name, hostnameOverride: name },
});

export function connectionProfile(i: ConnectionProfileInput): ConnectionProfile {
  return {
    name: `fabric-peer-devnet-${i.orgName.toLowerCase()}`,
    version: '1.0.0',
    client: {
      organization: i.orgName,
      connection: { timeout: { peer: { endorser: '300' }, orderer: '300' } },
    },
    organizations: { [i.orgName]: { mspid: i.mspId, peers: [i.peerName] } },
    peers: { [i.peerName]: node(i.peerName, i.peerAddress, i.peerTlsCaPem) },
    orderers: { [i.ordererName]: node(i.ordererName, i.ordererAddress, i.ordererTlsCaPem) },
    channels: {
      [i.channelId]: {
        orderers: [i.ordererName],
        peers: {
          [i.peerName]: { endorsingPeer: true, chaincodeQuery: true, ledgerQuery: true, eventSource: true },
        },
      },
    },
  };
}

export interface SummaryInput {
  channelId: string;
  peerAddress: string;
  ordererAddress: string;
  ordererAdminAddress?: string;
  mspId: string;
  /** Absent in memory: no files to point at. */
  files?: {
    ordererTlsDir: string;
    adminMspDir: string;
    peerTlsCaFile: string;
    ordererTlsCaFile: string;
    connectionProfileJson: string;
    connectionProfileYaml: string;
  };
}

export function summaryText(s: SummaryInput): string {
  const lines = [
    'fabric-peer development network (one org, TLS on)',
    `  peer:     peer0.org1.example.com at ${s.peerAddress} (${s.mspId})`,
    `  orderer:  orderer.example.com at ${s.ordererAddress} (OrdererMSP, solo in process)`,
    ...(s.ordererAdminAddress ? [`  osnadmin: ${s.ordererAdminAddress} (/participation/v1/channels)`] : []),
    `  channel:  ${s.channelId} (joined)`,
  ];
  if (!s.files) return [...lines, '  in memory: nothing written to disk'].join('\n') + '\n';
  const f = s.files;
  return (
    [
      ...lines,
      `  connection profile: ${f.connectionProfileJson}`,
      `                      ${f.connectionProfileYaml}`,
      '',
      "To use the peer CLI as Org1's admin:",
      `export CORE_PEER_LOCALMSPID=${s.mspId}`,
      `export CORE_PEER_MSPCONFIGPATH=${f.adminMspDir}`,
      'export CORE_PEER_TLS_ENABLED=true',
      `export CORE_PEER_TLS_ROOTCERT_FILE=${f.peerTlsCaFile}`,
      `export CORE_PEER_ADDRESS=${s.peerAddress}`,
      `export ORDERER_CA=${f.ordererTlsCaFile}`,
      `# e.g. fabric-peer channel fetch newest -c ${s.channelId} -o ${s.ordererAddress} --ordererTLSHostnameOverride orderer.example.com --tls --cafile "$ORDERER_CA"`,
      ...(s.ordererAdminAddress
        ? [
            `#      osnadmin channel list -o ${s.ordererAdminAddress} --ca-file "$ORDERER_CA" --client-cert ${f.ordererTlsDir}/server.crt --client-key ${f.ordererTlsDir}/server.key`,
          ]
        : []),
    ].join('\n') + '\n'
  );
}

/** test-network's file locations, relative to the dev network's folder. */
export const LAYOUT = {
  organizations: 'organizations',
  peerOrg: join('organizations', 'peerOrganizations', 'org1.example.com'),
  ordererOrg: join('organizations', 'ordererOrganizations', 'example.com'),
  peerNode: join('organizations', 'peerOrganizations', 'org1.example.com', 'peers', 'peer0.org1.example.com'),
  ordererNode: join(
    'organizations',
    'ordererOrganizations',
    'example.com',
    'orderers',
    'orderer.example.com',
  ),
  admin: join('organizations', 'peerOrganizations', 'org1.example.com', 'users', 'Admin@org1.example.com'),
  user: join('organizations', 'peerOrganizations', 'org1.example.com', 'users', 'User1@org1.example.com'),
  profileJson: join('organizations', 'peerOrganizations', 'org1.example.com', 'connection-org1.json'),
  profileYaml: join('organizations', 'peerOrganizations', 'org1.example.com', 'connection-org1.yaml'),
  genesis: join('channel-artifacts', 'mychannel.block'),
  state: 'devnet.json',
  ordererData: join('orderer'),
  peerData: join('peer'),
} as const;
