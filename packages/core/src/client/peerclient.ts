// PeerClient: what the peer CLI asks of one peer. Endorser.ProcessProposal (cscc, qscc, _lifecycle,
// lscc, user chaincode), Deliver (fetch blocks; DeliverFiltered to wait for a transaction's commit)
// and Admin (log levels), every request signed by the local MSP's identity.
import type { Client, ClientDuplexStream } from '@grpc/grpc-js';
import { common, protos } from '@fabric-peer/protos';
import { createSignedEnvelope, type Signer } from '../configtx/index.js';
import { certHash } from '../server/index.js';
import { connect, unary } from './connection.js';
import { seekBlocks, seekEnvelope, type SeekOptions } from './deliver.js';
import { CLIENT_ERRORS, ClientError } from './errors.js';
import type { Endpoint } from './settings.js';

/** Fabric 1.4's HeaderType PEER_ADMIN_OPERATION (no longer in 2.x's enum). */
const PEER_ADMIN_OPERATION = 8 as common.HeaderType;

export class PeerClient {
  private constructor(
    readonly address: string,
    private readonly endorser: Client,
    private readonly deliverClient: Client,
    private readonly adminClient: Client,
    readonly signer: Signer,
    private readonly tlsCertHash: Uint8Array | undefined,
  ) {}

  static async connect(endpoint: Endpoint, signer: Signer, timeoutMs?: number): Promise<PeerClient> {
    const [endorser, deliver, admin] = await connect(
      [
        [protos.EndorserService, 'Endorser'],
        [protos.DeliverService, 'Deliver'],
        [protos.AdminService, 'Admin'],
      ],
      endpoint,
      'peer',
      timeoutMs,
    );
    const cert = endpoint.tls?.cert;
    return new PeerClient(
      endpoint.address,
      endorser!,
      deliver!,
      admin!,
      signer,
      cert === undefined ? undefined : certHash(cert.toString()),
    );
  }

  processProposal(signed: protos.SignedProposal): Promise<protos.ProposalResponse> {
    return unary(this.endorser, 'processProposal', signed, this.address);
  }

  /** Blocks from the peer's Deliver service. */
  fetch(o: SeekOptions): Promise<common.Block[]> {
    const env = seekEnvelope(
      { ...o, ...(this.tlsCertHash !== undefined && { tlsCertHash: this.tlsCertHash }) },
      this.signer,
    );
    return seekBlocks(this.deliverClient, env, this.address);
  }

  /**
   * Listens on DeliverFiltered from the newest block for `txId`; `ready` resolves once the peer has
   * answered (so a broadcast after it cannot be missed), `result` with the transaction's validation code.
   */
  waitForTx(
    channelId: string,
    txId: string,
    timeoutMs: number,
  ): { ready: Promise<void>; result: Promise<protos.TxValidationCode> } {
    const env = seekEnvelope(
      {
        channelId,
        start: 'newest',
        stop: 'forever',
        ...(this.tlsCertHash !== undefined && { tlsCertHash: this.tlsCertHash }),
      },
      this.signer,
    );
    const call = (
      this.deliverClient as unknown as {
        deliverFiltered(o: object): ClientDuplexStream<common.Envelope, protos.DeliverResponse>;
      }
    ).deliverFiltered({
      deadline: Date.now() + timeoutMs,
    });
    let markReady!: () => void;
    const ready = new Promise<void>((r) => (markReady = r));
    const result = new Promise<protos.TxValidationCode>((resolve, reject) => {
      let done = false;
      const finish = (code?: protos.TxValidationCode, err?: Error): void => {
        if (done) return;
        done = true;
        markReady();
        call.cancel();
        if (err) reject(err);
        else resolve(code!);
      };
      call.on('data', (r: protos.DeliverResponse) => {
        markReady();
        if (r.filteredBlock !== undefined) {
          const tx = r.filteredBlock.filteredTransactions.find((t) => t.txid === txId);
          if (tx !== undefined) finish(tx.txValidationCode);
        } else if (r.status !== undefined && r.status !== common.Status.SUCCESS) {
          finish(
            undefined,
            new ClientError(CLIENT_ERRORS.DELIVER, {
              reason: `deliver completed with status (${common.Status[r.status] ?? r.status}) before txid received`,
            }),
          );
        }
      });
      call.on('error', (err: Error & { code?: number; details?: string }) => {
        // DEADLINE_EXCEEDED (4) is the wait's own timeout.
        if (err.code === 4) finish(undefined, new ClientError(CLIENT_ERRORS.TX_TIMEOUT, {}, { txId }));
        else
          finish(
            undefined,
            new ClientError(CLIENT_ERRORS.RPC, {
              call: 'DeliverFiltered',
              address: this.address,
              reason: err.details ?? err.message,
            }),
          );
      });
      call.write(env);
    });
    return { ready, result };
  }

  /** A call on protos.Admin (Fabric 1.4's, kept for `peer logging`): the operation in a signed envelope. */
  admin<R>(
    method:
      | 'getModuleLogLevel'
      | 'setModuleLogLevel'
      | 'revertLogLevels'
      | 'getLogSpec'
      | 'setLogSpec'
      | 'getStatus',
    op: protos.AdminOperation,
  ): Promise<R> {
    const env = createSignedEnvelope(PEER_ADMIN_OPERATION, '', this.signer, protos.AdminOperation.encode(op));
    return unary<common.Envelope, R>(this.adminClient, method, env, this.address);
  }

  close(): void {
    this.endorser.close();
    this.deliverClient.close();
    this.adminClient.close();
  }
}
