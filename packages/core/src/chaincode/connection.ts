// Dialling a chaincode server (Fabric's extcc.ConnectionHandler): a gRPC client to
// protos.Chaincode/Connect, with TLS (and a client certificate) when connection.json asks for it.
// The stream is then driven by the same Handler as a chaincode that dialled us.
import * as grpc from '@grpc/grpc-js';
import { protos } from '@fabric-peer/protos';
import { clientCredentials } from '../server/index.js';
import { type ChaincodeStream } from './handler.js';
import { type ChaincodeServerInfo } from './launcher.js';

const ChaincodeClient = grpc.makeGenericClientConstructor(protos.ChaincodeService, 'Chaincode');

export interface ChaincodeConnection {
  stream: ChaincodeStream;
  /** Closes the client channel (after the stream, or instead of it). */
  close(): void;
}

/** Channel options shared by both directions: Fabric's default 100 MiB message limits. */
export const CHAINCODE_GRPC_OPTIONS: grpc.ChannelOptions = {
  'grpc.max_send_message_length': 100 * 1024 * 1024,
  'grpc.max_receive_message_length': 100 * 1024 * 1024,
};

export async function dialChaincode(info: ChaincodeServerInfo): Promise<ChaincodeConnection> {
  // The peer's own TLS client credentials: an IP address is not sent as the TLS server name (DEP0123).
  const creds = clientCredentials(
    info.tls && {
      rootCerts: [info.tls.rootCertPem],
      ...(info.tls.clientKeyPem && { key: info.tls.clientKeyPem }),
      ...(info.tls.clientCertPem && { cert: info.tls.clientCertPem }),
    },
  );
  const client = new ChaincodeClient(info.address, creds, CHAINCODE_GRPC_OPTIONS);
  try {
    await new Promise<void>((resolve, reject) =>
      client.waitForReady(Date.now() + info.dialTimeoutMs, (err) => (err ? reject(err) : resolve())),
    );
  } catch (err) {
    client.close();
    throw new Error(`could not connect to chaincode server at ${info.address}: ${(err as Error).message}`);
  }
  const call = (
    client as unknown as {
      connect(): grpc.ClientDuplexStream<protos.ChaincodeMessage, protos.ChaincodeMessage>;
    }
  ).connect();
  call.on('close', () => client.close());
  call.on('error', () => client.close());
  return { stream: call, close: () => client.close() };
}
