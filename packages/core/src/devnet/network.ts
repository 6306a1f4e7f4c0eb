// ensureDevNetwork: the zero-config one-org network. First run: dev crypto for Org1MSP and OrdererMSP
// in test-network's layout, the channel's genesis block, the connection profiles, and a state file
// with the ports. Later runs on the same folder reuse all of it (same keys, same chain: the orderer's
// and the peer's data live beside it). In memory: the same objects, nothing on disk.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify as toYaml } from 'yaml';
import { type DevOrg, MSP, generateOrg, writeOrg } from '@fabric-peer/msp';
import { common } from '@fabric-peer/protos';
import type { PartialPeerConfig } from '../config/index.js';
import { type ChannelProfile, createGenesisBlock } from '../configtx/index.js';
import { type Logger } from '../logging/index.js';
import { EmbeddedOrderer, type EmbeddedOrdererOptions } from '../orderer/index.js';
import { type Parts, assemble } from './assemble.js';
import { type ConnectionProfile, LAYOUT } from './profile.js';
import { type DevPorts, resolvePorts } from './ports.js';

export interface DevNetworkOptions {
  /** The network's folder (created if missing); omit with `inMemory: true`. */
  dataDir?: string;
  inMemory?: boolean;
  channelId?: string;
  /** Defaults 7051 / 7052 / 7050 / 7053 on disk (test-network's), free ports in memory; 0 = a free port. */
  ports?: Partial<DevPorts>;
  /** The channel's BatchTimeout (default "2ms": a block as soon as a transaction arrives). */
  batchTimeout?: string;
  /** The channel's MaxMessageCount (default 10, as test-network). */
  maxMessageCount?: number;
  logger?: Logger;
}

export interface DevTls {
  cert: string;
  key: string;
  ca: string;
}

export interface DevNetwork {
  /** False when an existing folder was reused. */
  created: boolean;
  dataDir?: string;
  channelId: string;
  ports: DevPorts;
  peer: { id: string; mspId: string; address: string; localMsp: MSP; tls: DevTls; mspDir?: string };
  /** Org1's admin and user: certificate + key PEMs (and their MSP folders on disk). */
  admin: { mspId: string; certificate: string; privateKey: string; mspDir?: string };
  user: { mspId: string; certificate: string; privateKey: string; mspDir?: string };
  ordererTlsCa: string;
  /** What createPeer merges into its config (ids, addresses, TLS and MSP paths on disk). */
  peerConfig: PartialPeerConfig;
  /** What `new EmbeddedOrderer(...)` takes (signer, TLS, data folder, genesis block). */
  orderer: EmbeddedOrdererOptions;
  genesisBlock: common.Block;
  connectionProfile: ConnectionProfile;
  connectionProfilePaths?: { json: string; yaml: string };
  /** Endpoints, channel, profile path and the `export CORE_PEER_...` lines. */
  summary: string;
  /** The generated organisations (first run only: reused folders are read back from disk). */
  crypto?: { peerOrg: DevOrg; ordererOrg: DevOrg };
}

interface DevState {
  version: 1;
  channelId: string;
  ports: DevPorts;
}

const MSP_ID = 'Org1MSP';

function genesisProfile(
  peerOrg: DevOrg,
  ordererOrg: DevOrg,
  ports: DevPorts,
  o: DevNetworkOptions,
): ChannelProfile {
  const ordererNode = ordererOrg.nodes[0]!;
  return {
    orderer: {
      // etcdraft with one consenter (this node): the block a real Fabric 2.5 orderer would also join
      // through channel participation (it refuses solo without a system channel); we order it solo.
      ordererType: 'etcdraft',
      consenters: [
        {
          host: '127.0.0.1',
          port: ports.orderer,
          clientTlsCert: ordererNode.tls.certificate,
          serverTlsCert: ordererNode.tls.certificate,
        },
      ],
      batchTimeout: o.batchTimeout ?? '2ms',
      batchSize: {
        maxMessageCount: o.maxMessageCount ?? 10,
        absoluteMaxBytes: 99 * 1024 * 1024,
        preferredMaxBytes: 512 * 1024,
      },
      organizations: [
        {
          name: 'OrdererOrg',
          mspId: 'OrdererMSP',
          msp: { config: ordererOrg.mspConfig },
          ordererEndpoints: [`127.0.0.1:${ports.orderer}`],
        },
      ],
    },
    application: { organizations: [{ name: MSP_ID, mspId: MSP_ID, msp: { config: peerOrg.mspConfig } }] },
  };
}

/** Returns the dev network of `dataDir` (made on first use), or a fresh one in memory. */
export async function ensureDevNetwork(options: DevNetworkOptions): Promise<DevNetwork> {
  const dir = options.inMemory ? undefined : options.dataDir;
  if (!options.inMemory && dir === undefined)
    throw new Error('ensureDevNetwork: give dataDir or inMemory: true');
  if (dir !== undefined) {
    const state = await readState(dir);
    if (state) return reuse(dir, state, options);
  }
  const channelId = options.channelId ?? 'mychannel';
  const ports = await resolvePorts(options.ports, dir === undefined);
  const [peerOrg, ordererOrg] = await Promise.all([
    generateOrg({ kind: 'peer', domain: 'org1.example.com', mspId: MSP_ID }),
    generateOrg({ kind: 'orderer', domain: 'example.com', mspId: 'OrdererMSP' }),
  ]);
  const genesisBlock = await createGenesisBlock(
    channelId,
    genesisProfile(peerOrg, ordererOrg, ports, options),
  );
  const peerNode = peerOrg.nodes[0]!;
  const ordererNode = ordererOrg.nodes[0]!;
  const parts: Parts = {
    channelId,
    ports,
    genesisBlock,
    localMsp: peerNode.toMSP(),
    ordererSigner: ordererNode.toMSP().getSigningIdentity(),
    peerTls: { cert: peerNode.tls.certificate, key: peerNode.tls.privateKey, ca: peerNode.tls.ca },
    ordererTls: {
      cert: ordererNode.tls.certificate,
      key: ordererNode.tls.privateKey,
      ca: ordererNode.tls.ca,
    },
    admin: { certificate: peerOrg.admin.certificate, privateKey: peerOrg.admin.privateKey },
    user: { certificate: peerOrg.users[0]!.certificate, privateKey: peerOrg.users[0]!.privateKey },
  };
  const net = assemble(parts, dir, options, true);
  net.crypto = { peerOrg, ordererOrg };
  if (dir !== undefined) {
    const orgs = join(dir, LAYOUT.organizations);
    await Promise.all([writeOrg(peerOrg, orgs), writeOrg(ordererOrg, orgs)]);
    await mkdir(join(dir, 'channel-artifacts'), { recursive: true });
    await Promise.all([
      writeFile(join(dir, 'channel-artifacts', `${channelId}.block`), common.Block.encode(genesisBlock)),
      writeFile(join(dir, LAYOUT.profileJson), JSON.stringify(net.connectionProfile, null, 2) + '\n'),
      writeFile(join(dir, LAYOUT.profileYaml), toYaml(net.connectionProfile)),
    ]);
    // Written last: its presence means the folder is complete.
    const state: DevState = { version: 1, channelId, ports };
    await writeFile(join(dir, LAYOUT.state), JSON.stringify(state, null, 2) + '\n');
  }
  return net;
}

async function readState(dir: string): Promise<DevState | undefined> {
  try {
    const s = JSON.parse(await readFile(join(dir, LAYOUT.state), 'utf8')) as DevState;
    return s.version === 1 ? s : undefined;
  } catch {
    return undefined;
  }
}

async function reuse(dir: string, state: DevState, options: DevNetworkOptions): Promise<DevNetwork> {
  const f = (...p: string[]): Promise<string> => readFile(join(dir, ...p), 'utf8');
  const [localMsp, ordererMsp, genesisBytes, peerCert, peerKey, peerCa, ordCert, ordKey, ordCa] =
    await Promise.all([
      MSP.fromFolder(join(dir, LAYOUT.peerNode, 'msp'), MSP_ID),
      MSP.fromFolder(join(dir, LAYOUT.ordererNode, 'msp'), 'OrdererMSP'),
      readFile(join(dir, 'channel-artifacts', `${state.channelId}.block`)),
      f(LAYOUT.peerNode, 'tls/server.crt'),
      f(LAYOUT.peerNode, 'tls/server.key'),
      f(LAYOUT.peerNode, 'tls/ca.crt'),
      f(LAYOUT.ordererNode, 'tls/server.crt'),
      f(LAYOUT.ordererNode, 'tls/server.key'),
      f(LAYOUT.ordererNode, 'tls/ca.crt'),
    ]);
  const keyOf = async (base: string, name: string): Promise<{ certificate: string; privateKey: string }> => ({
    certificate: await f(base, 'msp/signcerts', `${name}-cert.pem`),
    privateKey: await f(base, 'msp/keystore/priv_sk'),
  });
  const parts: Parts = {
    channelId: state.channelId,
    ports: state.ports,
    genesisBlock: common.Block.decode(genesisBytes),
    localMsp,
    ordererSigner: ordererMsp.getSigningIdentity(),
    peerTls: { cert: peerCert, key: peerKey, ca: peerCa },
    ordererTls: { cert: ordCert, key: ordKey, ca: ordCa },
    admin: await keyOf(LAYOUT.admin, 'Admin@org1.example.com'),
    user: await keyOf(LAYOUT.user, 'User1@org1.example.com'),
  };
  return assemble(parts, dir, options, false);
}

/** The dev network's orderer, ready to start(). */
export function createDevOrderer(net: DevNetwork): EmbeddedOrderer {
  return new EmbeddedOrderer(net.orderer);
}
