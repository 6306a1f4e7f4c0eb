// The client side of core.yaml and CORE_* (what the Go peer CLI reads in peer/common): the peer to
// dial, its TLS roots, the client certificate for mutual TLS, and the local MSP that signs.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadPeerConfig } from '../config/index.js';
import type { ClientTlsOptions } from '../server/index.js';
import { CLIENT_ERRORS, ClientError } from './errors.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface ClientSettings {
  /** CORE_PEER_ADDRESS / peer.address. */
  peerAddress: string;
  /** CORE_PEER_LOCALMSPID / peer.localMspId. */
  mspId: string;
  /** CORE_PEER_MSPCONFIGPATH / peer.mspConfigPath. */
  mspConfigPath: string;
  tls: {
    enabled: boolean;
    rootCertFile: string;
    clientAuthRequired: boolean;
    clientCertFile: string;
    clientKeyFile: string;
    serverHostOverride: string;
  };
  /** The core.yaml used, if any. */
  configFile: string | undefined;
  /** peer.fileSystemPath (for the offline node commands). */
  fileSystemPath: string;
}

export interface LoadClientSettingsOptions {
  env: Env;
  cwd?: string;
}

/** Reads core.yaml (FABRIC_CFG_PATH, else the current folder; optional) and CORE_* as the Go CLI does. */
export function loadClientSettings(o: LoadClientSettingsOptions): ClientSettings {
  const loaded = loadPeerConfig({ env: o.env, cwd: o.cwd ?? process.cwd(), fileOptional: true });
  const p = loaded.config.peer;
  return {
    peerAddress: p.address,
    mspId: p.localMspId,
    mspConfigPath: p.mspConfigPath,
    tls: {
      enabled: p.tls.enabled,
      rootCertFile: p.tls.rootcert.file,
      clientAuthRequired: p.tls.clientAuthRequired,
      clientCertFile: p.tls.clientCert.file,
      clientKeyFile: p.tls.clientKey.file,
      serverHostOverride: o.env.CORE_PEER_TLS_SERVERHOSTOVERRIDE ?? '',
    },
    configFile: loaded.configFile,
    fileSystemPath: p.fileSystemPath,
  };
}

/** Reads a file a command needs; the error names the setting that points at it. */
export function readSettingFile(file: string, what: string, cwd = process.cwd()): Buffer {
  try {
    return readFileSync(resolve(cwd, file));
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(err);
    throw new ClientError(CLIENT_ERRORS.FILE_NOT_FOUND, { what, file, reason });
  }
}

/** Where to dial and with which TLS: one peer (from settings or --peerAddresses/--tlsRootCertFiles). */
export interface Endpoint {
  address: string;
  tls?: ClientTlsOptions;
}

/** The endpoint of the settings' peer, or of `address` with `rootCertFile` (from flags). */
export function peerEndpoint(s: ClientSettings, address?: string, rootCertFile?: string): Endpoint {
  const addr = address ?? s.peerAddress;
  if (addr === '') {
    throw new ClientError(CLIENT_ERRORS.SETTING_MISSING, {
      what: 'the peer address',
      how: 'CORE_PEER_ADDRESS (e.g. localhost:7051) or --peerAddresses',
    });
  }
  if (!s.tls.enabled) return { address: addr };
  const root = rootCertFile ?? s.tls.rootCertFile;
  if (root === '') {
    throw new ClientError(CLIENT_ERRORS.SETTING_MISSING, {
      what: 'the peer TLS root certificate',
      how: 'CORE_PEER_TLS_ROOTCERT_FILE (or --tlsRootCertFiles), or CORE_PEER_TLS_ENABLED=false',
    });
  }
  const tls: ClientTlsOptions = {
    rootCerts: [
      readSettingFile(
        root,
        `the peer TLS root certificate (${rootCertFile === undefined ? 'CORE_PEER_TLS_ROOTCERT_FILE' : '--tlsRootCertFiles'})`,
      ),
    ],
  };
  if (s.tls.clientAuthRequired) {
    if (s.tls.clientCertFile === '' || s.tls.clientKeyFile === '') {
      throw new ClientError(CLIENT_ERRORS.SETTING_MISSING, {
        what: 'the client TLS certificate and key',
        how: 'CORE_PEER_TLS_CLIENTCERT_FILE and CORE_PEER_TLS_CLIENTKEY_FILE (mutual TLS is on)',
      });
    }
    tls.cert = readSettingFile(
      s.tls.clientCertFile,
      'the client TLS certificate (CORE_PEER_TLS_CLIENTCERT_FILE)',
    );
    tls.key = readSettingFile(s.tls.clientKeyFile, 'the client TLS key (CORE_PEER_TLS_CLIENTKEY_FILE)');
  }
  if (s.tls.serverHostOverride !== '') tls.serverNameOverride = s.tls.serverHostOverride;
  return { address: addr, tls };
}

/** The orderer flags of the Go CLI (-o, --tls, --cafile, --clientauth, --certfile, --keyfile, ...). */
export interface OrdererFlags {
  address: string;
  tls?: boolean;
  cafile?: string;
  clientauth?: boolean;
  certfile?: string;
  keyfile?: string;
  hostnameOverride?: string;
  /** Milliseconds. */
  connTimeoutMs?: number;
}

export function ordererEndpoint(f: OrdererFlags): Endpoint {
  if (f.address === '') {
    throw new ClientError(CLIENT_ERRORS.SETTING_MISSING, {
      what: 'the orderer address',
      how: '-o/--orderer host:port',
    });
  }
  if (f.tls !== true) return { address: f.address };
  if (f.cafile === undefined || f.cafile === '') {
    throw new ClientError(CLIENT_ERRORS.SETTING_MISSING, {
      what: "the orderer's TLS CA",
      how: '--cafile <PEM file> (TLS is on with --tls)',
    });
  }
  const tls: ClientTlsOptions = { rootCerts: [readSettingFile(f.cafile, "the orderer's TLS CA (--cafile)")] };
  if (f.clientauth === true) {
    if (!f.certfile || !f.keyfile) {
      throw new ClientError(CLIENT_ERRORS.SETTING_MISSING, {
        what: 'the client TLS certificate and key for the orderer',
        how: '--certfile and --keyfile (with --clientauth)',
      });
    }
    tls.cert = readSettingFile(f.certfile, 'the client TLS certificate (--certfile)');
    tls.key = readSettingFile(f.keyfile, 'the client TLS key (--keyfile)');
  }
  if (f.hostnameOverride) tls.serverNameOverride = f.hostnameOverride;
  return { address: f.address, tls };
}
