// One gRPC connection to a peer or an orderer, opened with the client's TLS settings and a
// connection timeout (--connTimeout, Fabric's 3 s default), closed by the caller.
import { Channel, type Client, makeGenericClientConstructor, type ServiceDefinition } from '@grpc/grpc-js';
import { clientChannelOptions, clientCredentials } from '../server/index.js';
import { CLIENT_ERRORS, ClientError } from './errors.js';
import type { Endpoint } from './settings.js';

export const DEFAULT_CONN_TIMEOUT_MS = 3_000;

const constructors = new Map<ServiceDefinition, ReturnType<typeof makeGenericClientConstructor>>();

function ctorFor(service: ServiceDefinition, name: string): ReturnType<typeof makeGenericClientConstructor> {
  let c = constructors.get(service);
  if (c === undefined) {
    c = makeGenericClientConstructor(service, name);
    constructors.set(service, c);
  }
  return c;
}

/**
 * Connected clients of `services`, all on one channel (one TCP/TLS connection), or a
 * CLIENT_CONNECT_FAILED error after `timeoutMs`.
 */
export async function connect(
  services: [ServiceDefinition, string][],
  endpoint: Endpoint,
  role: 'peer' | 'orderer',
  timeoutMs = DEFAULT_CONN_TIMEOUT_MS,
): Promise<Client[]> {
  const channel = new Channel(
    endpoint.address,
    clientCredentials(endpoint.tls),
    clientChannelOptions(endpoint.tls),
  );
  const clients = services.map(([service, name]) => {
    const Ctor = ctorFor(service, name);
    return new Ctor(endpoint.address, clientCredentials(endpoint.tls), { channelOverride: channel });
  });
  await new Promise<void>((resolve, reject) => {
    clients[0]!.waitForReady(Date.now() + timeoutMs, (err) => {
      if (err === undefined || err === null) resolve();
      else {
        channel.close();
        reject(
          new ClientError(CLIENT_ERRORS.CONNECT, {
            role,
            address: endpoint.address,
            reason: `${err.message} (is it running? check the address${endpoint.tls ? ' and the TLS root certificate' : ' and whether it needs TLS'})`,
          }),
        );
      }
    });
  });
  return clients;
}

type Callback<R> = (err: Error | null, res?: R) => void;

/** Calls a unary method on a generic client. */
export function unary<Req, Res>(
  client: Client,
  method: string,
  req: Req,
  address: string,
  timeoutMs = 300_000,
): Promise<Res> {
  const fn = (client as unknown as Record<string, (r: Req, o: object, cb: Callback<Res>) => void>)[method];
  if (fn === undefined) throw new Error(`no method ${method}`);
  return new Promise((resolve, reject) => {
    fn.call(client, req, { deadline: Date.now() + timeoutMs }, (err, res) => {
      if (err !== null && err !== undefined) {
        const details = (err as { details?: string }).details ?? err.message;
        reject(
          new ClientError(CLIENT_ERRORS.RPC, { call: method, address, reason: details }, { cause: err }),
        );
      } else resolve(res as Res);
    });
  });
}
