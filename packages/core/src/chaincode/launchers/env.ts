// The environment of programs the runtime starts. Like Fabric's containers, they do not inherit the
// peer's whole environment (which may hold secrets): only what a program needs to run, plus what
// the operator lists (an external builder's propagateEnvironment).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type PeerConnectionInfo } from '../launcher.js';

/** Always passed on (Fabric propagates LD_LIBRARY_PATH, LIBPATH, PATH, TMPDIR to builders). */
const BASE_VARIABLES = [
  'LD_LIBRARY_PATH',
  'LIBPATH',
  'PATH',
  'TMPDIR',
  'HOME',
  'LANG',
  'SystemRoot',
  'TEMP',
  'TMP',
];

export function baseEnvironment(
  extra: readonly string[] = [],
  from: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of [...BASE_VARIABLES, ...extra]) {
    const v = from[name];
    if (v !== undefined) env[name] = v;
  }
  return env;
}

/**
 * The variables the Node shim reads to dial back (Fabric's node container env). TLS files go in
 * `dir`: the root as PEM, the client key and certificate as base64 of their PEM, which is what
 * fabric-shim decodes.
 */
export async function shimEnvironment(
  packageId: string,
  conn: PeerConnectionInfo,
  dir: string,
  logLevel?: string,
): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = {
    CORE_CHAINCODE_ID_NAME: packageId,
    CORE_PEER_TLS_ENABLED: conn.tls ? 'true' : 'false',
    CORE_PEER_LOCALMSPID: conn.mspId,
  };
  if (logLevel) env.CORE_CHAINCODE_LOGGING_LEVEL = logLevel;
  if (conn.tls) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const root = join(dir, 'peer.crt');
    const key = join(dir, 'client.key');
    const cert = join(dir, 'client.crt');
    await writeFile(root, conn.tls.rootCertPem, { mode: 0o600 });
    await writeFile(key, Buffer.from(conn.tls.clientKeyPem).toString('base64'), { mode: 0o600 });
    await writeFile(cert, Buffer.from(conn.tls.clientCertPem).toString('base64'), { mode: 0o600 });
    env.CORE_PEER_TLS_ROOTCERT_FILE = root;
    env.CORE_TLS_CLIENT_KEY_PATH = key;
    env.CORE_TLS_CLIENT_CERT_PATH = cert;
  }
  return env;
}

/** A package id as a folder name (':' and path separators are not safe everywhere). */
export const packageDirName = (packageId: string): string => packageId.replace(/[^A-Za-z0-9_.+-]/g, '-');
