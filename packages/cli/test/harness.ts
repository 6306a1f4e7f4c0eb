// An in-process network for the CLI tests: the dev network (crypto on disk in test-network's layout,
// the embedded orderer on a free port) and a peer from createPeer on free ports, plus the env a
// test-network script exports (CORE_PEER_* as Org1's admin) and the orderer flags it passes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type CliIO } from 'fabric-peer';
import { createPeer, type Peer } from '../../core/src/peer/index.js';
import {
  LAYOUT,
  devPeerInputs,
  startDevNetwork,
  type RunningDevNetwork,
} from '../../core/src/devnet/index.js';
import { LoggingSystem } from '../../core/src/logging/index.js';

export interface Captured extends CliIO {
  out: string;
  err: string;
}

export function capture(): Captured {
  const io: Captured = {
    out: '',
    err: '',
    stdout: (t) => {
      io.out += t;
    },
    stderr: (t) => {
      io.err += t;
    },
  };
  return io;
}

export interface Net {
  dir: string;
  dev: RunningDevNetwork;
  peer: Peer;
  env: Record<string, string>;
  /** -o ... --tls --cafile ... as test-network's scripts pass them. */
  ordererFlags: string[];
  genesisFile: string;
  run(argv: string[], env?: Record<string, string>): Promise<{ code: number; out: string; err: string }>;
  stop(): Promise<void>;
}

export async function startNet(): Promise<Net> {
  const dir = mkdtempSync(join(tmpdir(), 'fabric-peer-cli-'));
  const dev = await startDevNetwork({
    dataDir: dir,
    ports: { peer: 0, chaincode: 0, orderer: 0, ordererAdmin: 0 },
  });
  const inputs = devPeerInputs(dev.network);
  const peer = await createPeer(
    { ...inputs.config, operations: { listenAddress: '127.0.0.1:0' } } as typeof inputs.config,
    { ...inputs.options, logging: new LoggingSystem({ spec: 'error', writer: { write: () => true } }) },
  );
  try {
    await peer.start();
  } catch (err) {
    await dev.stop();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const env: Record<string, string> = {
    CORE_PEER_LOCALMSPID: 'Org1MSP',
    CORE_PEER_MSPCONFIGPATH: join(dir, LAYOUT.admin, 'msp'),
    CORE_PEER_TLS_ENABLED: 'true',
    CORE_PEER_TLS_ROOTCERT_FILE: join(dir, LAYOUT.peerNode, 'tls', 'ca.crt'),
    CORE_PEER_ADDRESS: peer.address,
  };
  const ordererFlags = [
    '-o',
    dev.orderer.address,
    '--ordererTLSHostnameOverride',
    'orderer.example.com',
    '--tls',
    '--cafile',
    join(dir, LAYOUT.ordererNode, 'tls', 'ca.crt'),
  ];
  return {
    dir,
    dev,
    peer,
    env,
    ordererFlags,
    genesisFile: join(dir, 'channel-artifacts', `${dev.network.channelId}.block`),
    async run(argv, extra = {}) {
      const io = capture();
      const code = await main(argv, io, { env: { ...env, ...extra }, cwd: dir });
      return { code, out: io.out, err: io.err };
    },
    async stop() {
      await peer.stop();
      await dev.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
