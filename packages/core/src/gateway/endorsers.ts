// The endorsers the gateway asks: this peer's own Endorser (called in process, no extra hop), and other
// peers over protos.Endorser/ProcessProposal. responseStatus is Fabric's: how a proposal response or a
// transport error is reported to the client, and whether another peer of the same group may be tried.
import { type Client, makeGenericClientConstructor, status as grpcStatus } from '@grpc/grpc-js';
import { protos } from '@fabric-peer/protos';
import { clientChannelOptions, clientCredentials, type ClientTlsOptions } from '../server/index.js';
import { errorMessage } from '../errors/index.js';

export interface GatewayEndorser {
  readonly address: string;
  readonly mspId: string;
  /** Resolves with the peer's response; rejects on transport failure (no response at all). */
  processProposal(sp: protos.SignedProposal, timeoutMs: number): Promise<protos.ProposalResponse>;
}

/** The local Endorser as the gateway needs it (Endorser.processProposal). */
export interface LocalEndorser {
  processProposal(sp: protos.SignedProposal): Promise<protos.ProposalResponse>;
}

/** Marks a failure that came with no response from the peer (Fabric's "response == nil"). */
export class NoResponseError extends Error {}

/** `where.endpoint` is read at each use: the peer's port may be known only once it serves. */
export function localEndorser(
  where: { readonly endpoint: string; readonly mspId: string },
  e: LocalEndorser,
): GatewayEndorser {
  return {
    get address() {
      return where.endpoint;
    },
    get mspId() {
      return where.mspId;
    },
    async processProposal(sp) {
      try {
        return await e.processProposal(sp);
      } catch (err) {
        // The endorser refused before answering (an auth filter, an unreadable proposal): a client
        // error, which Fabric's gateway reports as FAILED_PRECONDITION without trying another peer.
        const r = protos.ProposalResponse.create({
          response: { status: 500, message: errorMessage(err) },
        });
        Object.defineProperty(r, 'refused', { value: true });
        return r;
      }
    },
  };
}

const EndorserClient = makeGenericClientConstructor(protos.EndorserService, 'Endorser');

/** A remote peer's Endorser over gRPC; the connection is made on first use, within `dialTimeoutMs`. */
export class RemoteEndorser implements GatewayEndorser {
  private client: Client | undefined;
  private ready: Promise<void> | undefined;

  constructor(
    readonly address: string,
    readonly mspId: string,
    private readonly tls?: ClientTlsOptions,
    private readonly dialTimeoutMs = 30_000,
  ) {}

  private connect(): Promise<void> {
    if (this.ready !== undefined) return this.ready;
    const client = new EndorserClient(
      this.address,
      clientCredentials(this.tls),
      clientChannelOptions(this.tls),
    );
    this.client = client;
    this.ready = new Promise<void>((resolve, reject) => {
      client.waitForReady(Date.now() + this.dialTimeoutMs, (err) => {
        if (err === undefined || err === null) return resolve();
        // Dial again next time (peer.gateway.dialTimeout each attempt), as Fabric's registry does.
        this.close();
        reject(new NoResponseError(`failed to connect to ${this.address}: ${err.message}`));
      });
    });
    return this.ready;
  }

  async processProposal(sp: protos.SignedProposal, timeoutMs: number): Promise<protos.ProposalResponse> {
    await this.connect();
    const c = this.client as unknown as {
      processProposal(
        req: protos.SignedProposal,
        opts: object,
        cb: (err: Error | null, r?: protos.ProposalResponse) => void,
      ): void;
    };
    return new Promise((resolve, reject) => {
      c.processProposal(sp, { deadline: Date.now() + timeoutMs }, (err, r) => {
        if (err !== null || r === undefined) reject(new NoResponseError(err?.message ?? 'no response'));
        else resolve(r);
      });
    });
  }

  close(): void {
    this.client?.close();
    this.client = undefined;
    this.ready = undefined;
  }
}

export interface ResponseStatus {
  code: number;
  message: string;
  /** Another peer of the same group may do better. */
  retry: boolean;
}

/** Fabric's gateway responseStatus. */
export function responseStatus(pr: protos.ProposalResponse | undefined, err?: unknown): ResponseStatus {
  if (err !== undefined || pr === undefined) {
    const message = errorMessage(err);
    return { code: grpcStatus.UNAVAILABLE, message, retry: true };
  }
  if ((pr as { refused?: boolean }).refused === true) {
    return { code: grpcStatus.FAILED_PRECONDITION, message: pr.response?.message ?? '', retry: false };
  }
  const st = pr.response?.status ?? 0;
  const message = pr.response?.message ?? '';
  if (st < 200 || st >= 400) {
    if (pr.payload.length === 0 && st === 500) {
      // Made by the peer rather than the chaincode: another peer may succeed.
      return { code: grpcStatus.ABORTED, message, retry: true };
    }
    return { code: grpcStatus.UNKNOWN, message: `chaincode response ${st}, ${message}`, retry: false };
  }
  return { code: grpcStatus.OK, message: '', retry: false };
}
