// OrdererClient: Broadcast (channel create/update, endorsed transactions) and Deliver (fetch blocks,
// the new channel's genesis block) on any orderer, with the -o/--tls/--cafile/--clientauth flags.
import type { Client } from '@grpc/grpc-js';
import { common, orderer } from '@fabric-peer/protos';
import type { Signer } from '../configtx/index.js';
import { BroadcastClient } from '../orderer/index.js';
import { certHash } from '../server/index.js';
import { connect } from './connection.js';
import { seekBlocks, seekEnvelope, type SeekOptions } from './deliver.js';
import { CLIENT_ERRORS, ClientError } from './errors.js';
import type { Endpoint } from './settings.js';

export class OrdererClient {
  private readonly broadcaster: BroadcastClient;

  private constructor(
    private readonly endpoint: Endpoint,
    private readonly deliverClient: Client,
    readonly signer: Signer,
  ) {
    this.broadcaster = new BroadcastClient(endpoint.address, endpoint.tls);
  }

  get address(): string {
    return this.endpoint.address;
  }

  static async connect(endpoint: Endpoint, signer: Signer, timeoutMs?: number): Promise<OrdererClient> {
    const client = (
      await connect([[orderer.AtomicBroadcastService, 'AtomicBroadcast']], endpoint, 'orderer', timeoutMs)
    )[0]!;
    return new OrdererClient(endpoint, client, signer);
  }

  /** Sends one envelope; anything but SUCCESS is an error with the orderer's status and info. */
  async broadcast(env: common.Envelope): Promise<void> {
    let r: orderer.BroadcastResponse;
    try {
      r = await this.broadcaster.broadcast(env);
    } catch (err) {
      const e = err as Error & { details?: string };
      throw new ClientError(
        CLIENT_ERRORS.RPC,
        { call: 'Broadcast', address: this.address, reason: e.details ?? e.message },
        { cause: err },
      );
    }
    if (r.status !== common.Status.SUCCESS) {
      throw new ClientError(CLIENT_ERRORS.BROADCAST, {
        status: common.Status[r.status] ?? String(r.status),
        info: r.info,
      });
    }
  }

  fetch(o: SeekOptions): Promise<common.Block[]> {
    const cert = this.endpoint.tls?.cert;
    const env = seekEnvelope(
      { ...o, ...(cert !== undefined && { tlsCertHash: certHash(cert.toString()) }) },
      this.signer,
    );
    return seekBlocks(this.deliverClient, env, this.address);
  }

  close(): void {
    this.broadcaster.close();
    this.deliverClient.close();
  }
}
