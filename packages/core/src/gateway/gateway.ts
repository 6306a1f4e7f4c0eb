// gateway.Gateway's logic (Fabric internal/pkg/gateway/api.go): Evaluate, Endorse, Submit,
// CommitStatus and ChaincodeEvents over this peer's Endorser, channels and ledgers, the peers known on
// each channel and the channel's orderers. Every failure is a GatewayError with Fabric's gRPC code.
import { status as grpcStatus } from '@grpc/grpc-js';
import type { SignedData } from '@fabric-peer/msp';
import { gateway, type protos } from '@fabric-peer/protos';
import {
  type ChannelPeer,
  type DescriptorChannel,
  type MembershipChannel,
  type PeerDirectory,
} from '../discovery/index.js';
import type { ClientTlsOptions } from '../server/index.js';
import { type CommitChannel, CommitNotifier } from './commit.js';
import {
  callWithTimeout,
  type EndorseContext,
  endorseByPolicy,
  endorseForOrgs,
  isTimeout,
} from './endorse.js';
import {
  type GatewayEndorser,
  type LocalEndorser,
  localEndorser,
  RemoteEndorser,
  responseStatus,
} from './endorsers.js';
import { GATEWAY_ERRORS, GatewayError, errorDetail } from './errors.js';
import { type EventsLedger, streamChaincodeEvents } from './events.js';
import type { Broadcaster } from './orderers.js';
import { checkPreparedTransaction, prepareTransaction, resultOf, unpackForGateway } from './proposal.js';
import { errorMessage } from '../errors/index.js';
import { isSystemChaincode } from '../scc/index.js';

export interface GatewayChannel extends MembershipChannel, DescriptorChannel, CommitChannel {
  readonly ledger: MembershipChannel['ledger'] & CommitChannel['ledger'] & EventsLedger;
}

export interface GatewayOptions {
  channels: { getChannel(id: string): GatewayChannel | undefined };
  /** This peer's Endorser (Endorser.processProposal). */
  endorser: LocalEndorser;
  directory: PeerDirectory;
  acl: { checkACL(resource: string, channelId: string, signed: readonly SignedData[]): void };
  broadcaster: Broadcaster;
  /** peer.gateway.endorsementTimeout (ms). */
  endorsementTimeoutMs: number;
  /** peer.gateway.dialTimeout (ms): connecting to another peer. */
  dialTimeoutMs?: number;
  /** Client TLS towards other peers (their roots come from RemotePeer.tlsRootCerts). */
  peerClientCert?: { cert: string; key: string };
}

const invalid = (reason: string): GatewayError => new GatewayError(GATEWAY_ERRORS.INVALID_ARGUMENT, reason);

export class Gateway {
  readonly commits: CommitNotifier;
  private readonly local: GatewayEndorser;
  private readonly remotes = new Map<string, RemoteEndorser>();

  constructor(private readonly o: GatewayOptions) {
    this.commits = new CommitNotifier(o.channels);
    this.local = localEndorser(o.directory.local, o.endorser);
  }

  private channel(id: string): GatewayChannel {
    const ch = this.o.channels.getChannel(id);
    if (ch === undefined) throw new GatewayError(GATEWAY_ERRORS.NOT_FOUND, `channel ${id} not found`);
    return ch;
  }

  private endorserFor = (p: ChannelPeer): GatewayEndorser => {
    if (p.endpoint === this.o.directory.local.endpoint) return this.local;
    let r = this.remotes.get(p.endpoint);
    if (r === undefined) {
      const roots = this.o.directory.remote().find((x) => x.endpoint === p.endpoint)?.tlsRootCerts;
      const tls: ClientTlsOptions | undefined =
        roots === undefined ? undefined : { rootCerts: roots, ...(this.o.peerClientCert ?? {}) };
      this.remotes.set(p.endpoint, (r = new RemoteEndorser(p.endpoint, p.mspId, tls, this.o.dialTimeoutMs)));
    }
    return r;
  };

  private async peersOf(channelId: string): Promise<ChannelPeer[]> {
    return (await this.o.directory.channelPeers(channelId)) ?? [];
  }

  async evaluate(req: gateway.EvaluateRequest | undefined): Promise<gateway.EvaluateResponse> {
    if (req === undefined) throw invalid('an evaluate request is required');
    const p = unpackForGateway(req.proposedTransaction, req);
    this.channel(p.channelId);
    let targets = req.targetOrganizations;
    const transientProtected = p.hasTransientData && targets.length === 0;
    if (transientProtected) targets = [this.o.directory.local.mspId];
    // Every peer runs the system chaincodes (Fabric's registry.hasChaincode).
    const runs = (x: ChannelPeer, i: number): boolean =>
      i === 0 || isSystemChaincode(p.chaincodeName) || x.chaincodes.some((c) => c.name === p.chaincodeName);
    const peers = (await this.peersOf(p.channelId)).filter(
      (x, i) => (targets.length === 0 || targets.includes(x.mspId)) && runs(x, i),
    );
    if (peers.length === 0) {
      const reason = `no peers available to evaluate chaincode ${p.chaincodeName} in channel ${p.channelId}`;
      throw new GatewayError(
        GATEWAY_ERRORS.FAILED_PRECONDITION,
        transientProtected
          ? `no endorsers found in the gateway's organization; retry specifying target organization(s) to protect transient data: ${reason}`
          : reason,
      );
    }
    const details = [];
    let code: number = grpcStatus.UNAVAILABLE;
    for (const peer of peers) {
      const e = this.endorserFor(peer);
      let pr: protos.ProposalResponse | undefined;
      let err: unknown;
      try {
        const r = await callWithTimeout(e, p.signedProposal, this.o.endorsementTimeoutMs);
        if (isTimeout(r))
          throw new GatewayError(GATEWAY_ERRORS.DEADLINE_EXCEEDED, 'evaluate timeout expired');
        pr = r;
      } catch (x) {
        if (x instanceof GatewayError) throw x;
        err = x;
      }
      const st = responseStatus(pr, err);
      if (st.code === grpcStatus.OK && pr !== undefined) {
        const result = { ...pr.response!, payload: resultOf(pr) ?? pr.response!.payload };
        return { result };
      }
      details.push(errorDetail(e.address, e.mspId, st.message));
      code = st.code;
      if (!st.retry)
        throw this.coded(code, `evaluate call to endorser returned error: ${st.message}`, details);
    }
    throw this.coded(code, 'failed to evaluate transaction, see attached details for more info', details);
  }

  private coded(code: number, message: string, details: gateway.ErrorDetail[]): GatewayError {
    const d = Object.values(GATEWAY_ERRORS).find((x) => x.grpcCode === code) ?? GATEWAY_ERRORS.ABORTED;
    return new GatewayError(d, message, details);
  }

  async endorse(req: gateway.EndorseRequest | undefined): Promise<gateway.EndorseResponse> {
    if (req === undefined) throw invalid('an endorse request is required');
    if (req.proposedTransaction === undefined || req.proposedTransaction.proposalBytes.length === 0) {
      throw invalid('the proposed transaction must contain a signed proposal');
    }
    const p = unpackForGateway(req.proposedTransaction, req);
    const channel = this.channel(p.channelId);
    let peers = await this.peersOf(p.channelId);
    const named = req.endorsingOrganizations.length > 0;
    // Transient data (private data inputs) leaves this peer's org only for orgs the client names.
    const protectTransient = p.hasTransientData && !named;
    if (protectTransient) peers = peers.filter((x) => x.mspId === this.o.directory.local.mspId);
    if (protectTransient && peers[0] === undefined) {
      throw new GatewayError(
        GATEWAY_ERRORS.FAILED_PRECONDITION,
        "no endorsers found in the gateway's organization; retry specifying endorsing organization(s) to protect transient data",
      );
    }
    const ctx: EndorseContext = {
      channel,
      chaincode: p.chaincodeName,
      sp: p.signedProposal,
      peers,
      endorserFor: this.endorserFor,
      timeoutMs: this.o.endorsementTimeoutMs,
    };
    let action: protos.ChaincodeEndorsedAction;
    try {
      action = named ? await endorseForOrgs(ctx, req.endorsingOrganizations) : await endorseByPolicy(ctx);
    } catch (err) {
      if (
        protectTransient &&
        err instanceof GatewayError &&
        err.code === GATEWAY_ERRORS.FAILED_PRECONDITION.code
      ) {
        throw new GatewayError(
          GATEWAY_ERRORS.FAILED_PRECONDITION,
          `requires endorsement from organisation(s) outside the gateway's organization: ${err.message}; retry specifying trusted endorsing organizations to protect transient data`,
        );
      }
      throw err;
    }
    return { preparedTransaction: prepareTransaction(p, action) };
  }

  async submit(req: gateway.SubmitRequest | undefined): Promise<gateway.SubmitResponse> {
    if (req === undefined) throw invalid('a submit request is required');
    const env = checkPreparedTransaction(req.preparedTransaction, req);
    this.channel(req.channelId);
    await this.o.broadcaster.submit(req.channelId, env);
    return {};
  }

  async commitStatus(
    signed: gateway.SignedCommitStatusRequest | undefined,
    signal?: AbortSignal,
  ): Promise<gateway.CommitStatusResponse> {
    if (signed === undefined || signed.request.length === 0)
      throw invalid('a commit status request is required');
    let req: gateway.CommitStatusRequest;
    try {
      req = gateway.CommitStatusRequest.decode(signed.request);
    } catch (err) {
      throw invalid(`invalid status request: ${errorMessage(err)}`);
    }
    this.checkSigned('gateway/CommitStatus', req.channelId, signed, req.identity);
    const s = await this.commits.status(req.channelId, req.transactionId, signal);
    return { result: s.code, blockNumber: s.blockNumber };
  }

  async chaincodeEvents(
    signed: gateway.SignedChaincodeEventsRequest | undefined,
    send: (r: gateway.ChaincodeEventsResponse) => Promise<void>,
    signal: AbortSignal,
  ): Promise<void> {
    if (signed === undefined || signed.request.length === 0)
      throw invalid('a chaincode events request is required');
    let req: gateway.ChaincodeEventsRequest;
    try {
      req = gateway.ChaincodeEventsRequest.decode(signed.request);
    } catch (err) {
      throw invalid(`invalid chaincode events request: ${errorMessage(err)}`);
    }
    this.checkSigned('gateway/ChaincodeEvents', req.channelId, signed, req.identity);
    await streamChaincodeEvents(this.channel(req.channelId).ledger, req, send, signal);
  }

  private checkSigned(
    resource: string,
    channelId: string,
    signed: { request: Uint8Array; signature: Uint8Array },
    identity: Uint8Array,
  ): void {
    this.channel(channelId);
    try {
      this.o.acl.checkACL(resource, channelId, [
        { data: signed.request, identity, signature: signed.signature },
      ]);
    } catch (err) {
      throw new GatewayError(GATEWAY_ERRORS.PERMISSION_DENIED, errorMessage(err));
    }
  }

  close(): void {
    this.commits.close();
    for (const r of this.remotes.values()) r.close();
    this.remotes.clear();
    this.o.broadcaster.close();
  }
}
