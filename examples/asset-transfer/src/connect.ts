// Connecting the fabric-gateway client to a peer named in a Fabric connection profile (the
// connection-org1.json shape that test-network and fabric-peer's dev network write), as an identity
// given by its certificate and private key PEMs.
import { createPrivateKey } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { connect, type Gateway, hash, signers } from '@hyperledger/fabric-gateway';

export interface ProfilePeer {
  url: string;
  tlsCACerts: { pem: string };
  grpcOptions?: Record<string, string>;
}

export interface ConnectionProfileLike {
  organizations: Record<string, { mspid: string; peers: string[] }>;
  peers: Record<string, ProfilePeer>;
}

export interface UserIdentity {
  mspId: string;
  certificate: string;
  privateKey: string;
}

/** A gRPC client for the profile's first peer: TLS with the profile's CA, its host name override. */
export function grpcClientFor(profile: ConnectionProfileLike): grpc.Client {
  const [name, peer] = Object.entries(profile.peers)[0] ?? [];
  if (name === undefined || peer === undefined) throw new Error('the connection profile names no peer');
  const target = peer.url.replace(/^grpcs?:\/\//, '');
  const tls = peer.url.startsWith('grpcs://');
  const credentials = tls
    ? grpc.credentials.createSsl(Buffer.from(peer.tlsCACerts.pem))
    : grpc.credentials.createInsecure();
  const override = peer.grpcOptions?.['ssl-target-name-override'] ?? name;
  return new grpc.Client(target, credentials, tls ? { 'grpc.ssl_target_name_override': override } : {});
}

/** A Gateway over `client`, signing as `identity`. Close the gateway, then the client. */
export function connectGateway(client: grpc.Client, identity: UserIdentity): Gateway {
  return connect({
    client,
    identity: { mspId: identity.mspId, credentials: Buffer.from(identity.certificate) },
    signer: signers.newPrivateKeySigner(createPrivateKey(identity.privateKey)),
    hash: hash.sha256,
    evaluateOptions: () => ({ deadline: Date.now() + 5_000 }),
    endorseOptions: () => ({ deadline: Date.now() + 15_000 }),
    submitOptions: () => ({ deadline: Date.now() + 5_000 }),
    commitStatusOptions: () => ({ deadline: Date.now() + 60_000 }),
  });
}
