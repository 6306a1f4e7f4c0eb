// The dev network's ports: test-network's on disk (so scripts written for it work), free ones in
// memory so tests can run side by side. A requested 0 becomes a free port now, because the genesis
// block must name the orderer's real endpoint before the orderer listens.
import { createServer } from 'node:net';

export interface DevPorts {
  peer: number;
  chaincode: number;
  orderer: number;
  ordererAdmin: number;
}

const TEST_NETWORK: DevPorts = { peer: 7051, chaincode: 7052, orderer: 7050, ordererAdmin: 7053 };

/** A port the OS reports free right now (bound on 127.0.0.1, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export async function resolvePorts(requested: Partial<DevPorts> = {}, inMemory: boolean): Promise<DevPorts> {
  const out = { ...TEST_NETWORK };
  for (const k of Object.keys(out) as (keyof DevPorts)[]) {
    const want = requested[k] ?? (inMemory ? 0 : TEST_NETWORK[k]);
    out[k] = want === 0 ? await freePort() : want;
  }
  return out;
}
