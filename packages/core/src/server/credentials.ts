// TLS material for the peer's gRPC server and for clients that dial peers or orderers (the CLI, the
// deliver client). PEMs are read once, at construction, so a missing file fails start-up, not a call.
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { credentials, ServerCredentials, type ChannelCredentials } from '@grpc/grpc-js';
import { SERVER_ERRORS, ServerError } from './errors.js';
import type { PeerConfig } from '../config/index.js';

/** The server side of peer.tls.*: PEMs (or files) for the certificate, key, and client roots. */
export interface ServerTlsOptions {
  cert: string | Buffer;
  key: string | Buffer;
  /** peer.tls.clientAuthRequired: the client must present a certificate from clientRootCAs. */
  clientAuthRequired?: boolean;
  /** PEMs of the CAs client certificates must chain to (Fabric adds the channels' TLS roots too). */
  clientRootCAs?: (string | Buffer)[];
}

export interface ClientTlsOptions {
  /** PEMs of the server's TLS roots. */
  rootCerts: (string | Buffer)[];
  /** For mutual TLS. */
  cert?: string | Buffer;
  key?: string | Buffer;
  /** ssl-target-name-override when the dialled address is not in the certificate. */
  serverNameOverride?: string;
}

const readPem = (file: string, key: string): Buffer => {
  try {
    return readFileSync(file);
  } catch (cause) {
    throw new ServerError(SERVER_ERRORS.TLS_MATERIAL, { key, file, reason: String(cause) }, { cause });
  }
};

/** peer.tls.* as ServerTlsOptions, or undefined when TLS is off. */
export function serverTlsFromConfig(config: PeerConfig): ServerTlsOptions | undefined {
  const tls = config.peer.tls;
  if (!tls.enabled) return undefined;
  const roots = tls.clientRootCAs.files.map((f) => readPem(f, 'peer.tls.clientRootCAs.files'));
  if (tls.rootcert.file !== '' && tls.clientAuthRequired && roots.length === 0) {
    roots.push(readPem(tls.rootcert.file, 'peer.tls.rootcert.file'));
  }
  return {
    cert: readPem(tls.cert.file, 'peer.tls.cert.file'),
    key: readPem(tls.key.file, 'peer.tls.key.file'),
    clientAuthRequired: tls.clientAuthRequired,
    clientRootCAs: roots,
  };
}

const toBuf = (p: string | Buffer): Buffer => (typeof p === 'string' ? Buffer.from(p) : p);

export function serverCredentials(tls: ServerTlsOptions | undefined): ServerCredentials {
  if (tls === undefined) return ServerCredentials.createInsecure();
  const roots = (tls.clientRootCAs ?? []).map(toBuf);
  if (tls.clientAuthRequired === true && roots.length === 0) {
    throw new ServerError(SERVER_ERRORS.TLS_MATERIAL, {
      key: 'peer.tls.clientRootCAs.files',
      file: '',
      reason: 'client authentication is required but no client root CA is given',
    });
  }
  // No client roots: an empty bundle rather than null. With null, grpc-js falls back to the file in
  // GRPC_DEFAULT_SSL_ROOTS_FILE_PATH (the system's ~140 public roots when set) and OpenSSL parses it
  // on every bind (~20 ms); a server that asks for no client certificate never uses those roots.
  return ServerCredentials.createSsl(
    roots.length > 0
      ? Buffer.concat(roots.map((r) => Buffer.concat([r, Buffer.from('\n')])))
      : Buffer.alloc(0),
    [{ cert_chain: toBuf(tls.cert), private_key: toBuf(tls.key) }],
    tls.clientAuthRequired === true,
  );
}

/** Credentials a client (CLI, deliver client, tests) dials a peer or orderer with. */
export function clientCredentials(tls: ClientTlsOptions | undefined): ChannelCredentials {
  if (tls === undefined) return credentials.createInsecure();
  const roots = Buffer.concat(tls.rootCerts.map((r) => Buffer.concat([toBuf(r), Buffer.from('\n')])));
  return credentials.createSsl(
    roots,
    tls.key === undefined ? null : toBuf(tls.key),
    tls.cert === undefined ? null : toBuf(tls.cert),
  );
}

/** Channel options for a client: Fabric's 100 MB limits and the server name override. */
export function clientChannelOptions(tls?: ClientTlsOptions): Record<string, string | number> {
  const o: Record<string, string | number> = {
    'grpc.max_receive_message_length': 100 * 1024 * 1024,
    'grpc.max_send_message_length': 100 * 1024 * 1024,
  };
  if (tls?.serverNameOverride !== undefined) {
    o['grpc.ssl_target_name_override'] = tls.serverNameOverride;
    o['grpc.default_authority'] = tls.serverNameOverride;
  }
  return o;
}

/** SHA-256 of a certificate's DER (Fabric's TLS cert hash binding), from DER or PEM. */
export function certHash(cert: Uint8Array | string): Uint8Array {
  const der = typeof cert === 'string' ? new X509Certificate(cert).raw : cert;
  return createHash('sha256').update(der).digest();
}
