// The chaincode listener: the gRPC endpoint chaincode dials (protos.ChaincodeSupport/Register),
// Fabric's peer.chaincodeListenAddress (default: the peer's host, port 7052). With TLS on, only
// clients holding a certificate from the peer's chaincode CA get in (mutual TLS), as in Fabric.
// The service can also be added to a server the peer composition owns (addChaincodeSupportService).
import * as grpc from '@grpc/grpc-js';
import { protos } from '@fabric-peer/protos';
import { CHAINCODE_GRPC_OPTIONS } from './connection.js';
import { CHAINCODE_ERRORS, ChaincodeError, messageOf } from './errors.js';
import { type ChaincodeSupport, type ChaincodeTLSMaterial } from './support.js';
import { TLSCA } from './tlsca.js';

/** Adds protos.ChaincodeSupport to `server`: every Register stream is served by `support`. */
export function addChaincodeSupportService(server: grpc.Server, support: ChaincodeSupport): void {
  server.addService(protos.ChaincodeSupportService, {
    register: (call: grpc.ServerDuplexStream<protos.ChaincodeMessage, protos.ChaincodeMessage>) => {
      support.handleStream(call);
    },
  });
}

/** Server credentials of the listener: mutual TLS against the chaincode CA, or plaintext. */
export function chaincodeServerCredentials(tls: ChaincodeTLSMaterial | undefined): grpc.ServerCredentials {
  if (!tls) return grpc.ServerCredentials.createInsecure();
  return grpc.ServerCredentials.createSsl(
    Buffer.from(tls.ca.certPem),
    [{ private_key: Buffer.from(tls.serverKeyPem), cert_chain: Buffer.from(tls.serverCertPem) }],
    true,
  );
}

/** An unbound gRPC server carrying only protos.ChaincodeSupport (bind it with chaincodeServerCredentials). */
export function createChaincodeServer(support: ChaincodeSupport): grpc.Server {
  const server = new grpc.Server({
    ...CHAINCODE_GRPC_OPTIONS,
    // The Node shim pings (keepalive) every 110 s even with no call in flight: let it.
    'grpc.keepalive_permit_without_calls': 1,
  });
  addChaincodeSupportService(server, support);
  return server;
}

export interface ChaincodeTLSOptions {
  /** The peer's TLS server pair and its root (peer.tls.*); without them the chaincode CA issues one. */
  serverCertPem?: string;
  serverKeyPem?: string;
  rootCertPem?: string;
  /** Names and IPs for a generated server certificate; default localhost and 127.0.0.1. */
  hosts?: string[];
}

/** Makes the chaincode CA (fresh on every start, as Fabric's) and the listener's server pair. */
export async function createChaincodeTLS(opts: ChaincodeTLSOptions = {}): Promise<ChaincodeTLSMaterial> {
  const ca = await TLSCA.create();
  if (opts.serverCertPem && opts.serverKeyPem) {
    return {
      ca,
      serverCertPem: opts.serverCertPem,
      serverKeyPem: opts.serverKeyPem,
      rootCertPem: opts.rootCertPem ?? ca.certPem,
    };
  }
  const server = await ca.newServerCert(opts.hosts ?? ['localhost', '127.0.0.1', '::1']);
  return { ca, serverCertPem: server.certPem, serverKeyPem: server.keyPem, rootCertPem: ca.certPem };
}

export interface ChaincodeListenerOptions {
  support: ChaincodeSupport;
  /** host:port; port 0 picks a free one. */
  address: string;
  /** Default: the support's TLS material. */
  tls?: ChaincodeTLSMaterial | undefined;
}

/** A gRPC server of its own for chaincode (Fabric's separate chaincode port). */
export class ChaincodeListener {
  private constructor(
    private readonly server: grpc.Server,
    /** host:port as bound (the real port when 0 was asked). */
    readonly address: string,
  ) {}

  static async start(opts: ChaincodeListenerOptions): Promise<ChaincodeListener> {
    const server = createChaincodeServer(opts.support);
    const creds = chaincodeServerCredentials(opts.tls ?? opts.support.tls);
    let port: number;
    try {
      port = await new Promise<number>((resolve, reject) =>
        server.bindAsync(opts.address, creds, (err, p) => (err ? reject(err) : resolve(p))),
      );
    } catch (err) {
      server.forceShutdown();
      throw new ChaincodeError(CHAINCODE_ERRORS.LISTEN_FAILED, {
        address: opts.address,
        reason: messageOf(err),
      });
    }
    const host = opts.address.slice(0, opts.address.lastIndexOf(':'));
    const dialHost = host === '0.0.0.0' || host === '' ? '127.0.0.1' : host === '[::]' ? '[::1]' : host;
    const listener = new ChaincodeListener(server, `${dialHost}:${port}`);
    if (opts.support.chaincodeAddress === '') opts.support.setPeerAddress(listener.address);
    return listener;
  }

  /** Stops accepting; streams still open are cut after `graceMs`. */
  async close(graceMs = 2000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => this.server.tryShutdown(() => resolve())),
      new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          this.server.forceShutdown();
          resolve();
        }, graceMs);
      }),
    ]);
    clearTimeout(timer);
  }
}
