// A Broadcast client for any orderer (ours or Fabric's): what `peer channel update` and the gateway's
// submit need. One stream per envelope (write, half-close, one response), as fabric-common does.
import { type Client, type ClientDuplexStream, makeGenericClientConstructor } from '@grpc/grpc-js';
import { type common, orderer } from '@fabric-peer/protos';
import { type ClientTlsOptions, clientChannelOptions, clientCredentials } from '../server/index.js';

const AtomicBroadcastClient = makeGenericClientConstructor(orderer.AtomicBroadcastService, 'AtomicBroadcast');

export class BroadcastClient {
  private readonly client: Client;

  /** `tls` omitted = plaintext. */
  constructor(address: string, tls?: ClientTlsOptions) {
    this.client = new AtomicBroadcastClient(address, clientCredentials(tls), clientChannelOptions(tls));
  }

  /** Sends one envelope; resolves with the orderer's BroadcastResponse (any status), rejects on transport errors. */
  broadcast(env: common.Envelope, timeoutMs = 30_000): Promise<orderer.BroadcastResponse> {
    const call = (
      this.client as unknown as {
        broadcast(o: object): ClientDuplexStream<common.Envelope, orderer.BroadcastResponse>;
      }
    ).broadcast({ deadline: Date.now() + timeoutMs });
    return new Promise((resolve, reject) => {
      let answered = false;
      call.on('data', (r: orderer.BroadcastResponse) => {
        answered = true;
        resolve(r);
        call.cancel();
      });
      call.on('error', (err) => {
        if (!answered) reject(err);
      });
      call.on('end', () => {
        if (!answered) reject(new Error('broadcast stream ended without a response'));
      });
      call.write(env);
      call.end();
    });
  }

  close(): void {
    this.client.close();
  }
}
