// TLS material for the peer's gRPC server and for clients that dial peers or orderers (the CLI, the
// deliver client). PEMs are read once, at construction, so a missing file fails start-up, not a call.
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { type PeerCertificate, checkServerIdentity } from 'node:tls';
import { ChannelCredentials, credentials, ServerCredentials } from '@grpc/grpc-js';
import { ipBytes } from '@fabric-peer/msp';
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

/**
 * Credentials a client (CLI, deliver client, gateway, tests) dials a peer or orderer with. Towards an
 * IP-literal address (and no ssl_target_name_override), the TLS server name sent is the IP's
 * reverse-DNS name (d.c.b.a.in-addr.arpa, or the ip6.arpa nibbles) instead of the IP, which RFC 6066
 * forbids there (Node warns, DEP0123; Go's clients send no server name for an IP). The certificate
 * is still checked against the IP itself, as before and as Go's TLS does.
 */
export function clientCredentials(tls: ClientTlsOptions | undefined): ChannelCredentials {
  if (tls === undefined) return credentials.createInsecure();
  const roots = Buffer.concat(tls.rootCerts.map((r) => Buffer.concat([toBuf(r), Buffer.from('\n')])));
  const inner = credentials.createSsl(
    roots,
    tls.key === undefined ? null : toBuf(tls.key),
    tls.cert === undefined ? null : toBuf(tls.cert),
    {
      checkServerIdentity: (host: string, cert: PeerCertificate) =>
        checkServerIdentity(ipOfReverseName(host) ?? host, cert),
    },
  );
  return new IpTargetCredentials(inner);
}

type ConnectorArgs = Parameters<ChannelCredentials['_createSecureConnector']>;

/** TLS credentials that give grpc-js a host name for an IP-literal target (see clientCredentials). */
class IpTargetCredentials extends ChannelCredentials {
  constructor(private readonly inner: ChannelCredentials) {
    super();
  }
  _isSecure(): boolean {
    return this.inner._isSecure();
  }
  _equals(other: ChannelCredentials): boolean {
    return other instanceof IpTargetCredentials && this.inner._equals(other.inner);
  }
  _createSecureConnector(
    target: ConnectorArgs[0],
    options: ConnectorArgs[1],
    callCredentials?: ConnectorArgs[2],
  ): ReturnType<ChannelCredentials['_createSecureConnector']> {
    const ip = options['grpc.ssl_target_name_override'] ? undefined : ipHostOf(target.path);
    const o = ip === undefined ? options : { ...options, 'grpc.ssl_target_name_override': reverseName(ip) };
    return this.inner._createSecureConnector(target, o, callCredentials);
  }
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

/** The host of a target path ("host:port", "[v6]:port", a bare IPv6) when it is an IP literal. */
function ipHostOf(target: string): string | undefined {
  const m = /^\[([^\]]+)\](?::\d+)?$/.exec(target) ?? /^([^:]+)(?::\d+)?$/.exec(target);
  const host = m?.[1] ?? target; // a bare IPv6 literal has no port
  return isIP(host) !== 0 ? host : undefined;
}

function reverseName(ip: string): string {
  // isIP accepted it; a zone (fe80::1%eth0) is not part of the address.
  const bytes = ipBytes(ip.replace(/%.*$/, ''))!;
  if (bytes.length === 4) return `${[...bytes].reverse().join('.')}.in-addr.arpa`;
  return `${[...Buffer.from(bytes).toString('hex')].reverse().join('.')}.ip6.arpa`;
}

function ipOfReverseName(name: string): string | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.in-addr\.arpa$/i.exec(name);
  if (v4) return `${v4[4]}.${v4[3]}.${v4[2]}.${v4[1]}`;
  if (!/^([0-9a-f]\.){32}ip6\.arpa$/i.test(name)) return undefined;
  const hex = name.slice(0, 63).split('.').reverse().join('');
  return hex.match(/.{4}/g)!.join(':');
}

/** SHA-256 of a certificate's DER (Fabric's TLS cert hash binding), from DER or PEM. */
export function certHash(cert: Uint8Array | string): Uint8Array {
  const der = typeof cert === 'string' ? new X509Certificate(cert).raw : cert;
  return createHash('sha256').update(der).digest();
}
