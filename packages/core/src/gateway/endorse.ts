// Collecting endorsements (Fabric gateway's Endorse): this peer first, then the plan computed from the
// chaincode's endorsement policy over the peers known on the channel, preferring layouts this peer's
// endorsement already counts in; or exactly one peer per organisation the client names.
import { status as grpcStatus } from '@grpc/grpc-js';
import type { gateway, protos } from '@fabric-peer/protos';
import { type ChannelPeer, type DescriptorChannel, endorsementPlan } from '../discovery/index.js';
import type { GatewayEndorser } from './endorsers.js';
import { responseStatus } from './endorsers.js';
import { GATEWAY_ERRORS, GatewayError, errorDetail } from './errors.js';
import { errorMessage } from '../errors/index.js';

export interface EndorseContext {
  channel: DescriptorChannel;
  chaincode: string;
  sp: protos.SignedProposal;
  peers: ChannelPeer[];
  /** The endorser client for a known peer (the local one for this peer's endpoint). */
  endorserFor: (p: ChannelPeer) => GatewayEndorser;
  timeoutMs: number;
}

interface Endorsed {
  peer: ChannelPeer;
  response: protos.ProposalResponse;
}

const TIMEOUT = Symbol('timeout');

export async function callWithTimeout(
  e: GatewayEndorser,
  sp: protos.SignedProposal,
  timeoutMs: number,
): Promise<protos.ProposalResponse | typeof TIMEOUT> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<typeof TIMEOUT>((r) => (timer = setTimeout(() => r(TIMEOUT), timeoutMs)));
  try {
    return await Promise.race([e.processProposal(sp, timeoutMs), expired]);
  } finally {
    clearTimeout(timer);
  }
}

export const isTimeout = (r: unknown): r is typeof TIMEOUT => r === TIMEOUT;

class Collector {
  readonly details: gateway.ErrorDetail[] = [];
  readonly done = new Map<string, Endorsed>();
  timedOut = false;
  private payload: Uint8Array | undefined;
  private readonly failed = new Set<string>();
  private readonly pending = new Map<string, Promise<boolean>>();

  constructor(private readonly ctx: EndorseContext) {}

  /** Asks `peer`; true when it endorsed. */
  async ask(peer: ChannelPeer): Promise<boolean> {
    if (this.done.has(peer.endpoint)) return true;
    // A peer that failed is not asked again for a later layout (Fabric drops it from the plan).
    if (this.failed.has(peer.endpoint)) return false;
    // A peer in two groups of one layout is asked once.
    let pending = this.pending.get(peer.endpoint);
    if (pending === undefined) {
      pending = this.tryPeer(peer).then((ok) => {
        if (!ok) this.failed.add(peer.endpoint);
        this.pending.delete(peer.endpoint);
        return ok;
      });
      this.pending.set(peer.endpoint, pending);
    }
    return pending;
  }

  private async tryPeer(peer: ChannelPeer): Promise<boolean> {
    const e = this.ctx.endorserFor(peer);
    let r: protos.ProposalResponse | typeof TIMEOUT;
    try {
      r = await callWithTimeout(e, this.ctx.sp, this.ctx.timeoutMs);
    } catch (err) {
      this.details.push(errorDetail(e.address, e.mspId, responseStatus(undefined, err).message));
      return false;
    }
    if (isTimeout(r)) {
      this.timedOut = true;
      this.details.push(errorDetail(e.address, e.mspId, 'endorsement timeout expired'));
      return false;
    }
    const st = responseStatus(r);
    if (st.code !== grpcStatus.OK || r.endorsement === undefined) {
      this.details.push(errorDetail(e.address, e.mspId, st.message || 'no endorsement in response'));
      return false;
    }
    // As Fabric's plan.processEndorsement: a result differing from the first one collected does not
    // count; the plan goes on to another peer of the group or another layout.
    if (this.payload === undefined) this.payload = r.payload;
    else if (Buffer.compare(r.payload, this.payload) !== 0) {
      this.details.push(errorDetail(e.address, e.mspId, 'ProposalResponsePayloads do not match'));
      return false;
    }
    this.done.set(peer.endpoint, { peer, response: r });
    return true;
  }

  /** Asks the peers of a group in turn until `n` of them (beyond those done) endorsed. */
  async fill(group: readonly ChannelPeer[], n: number): Promise<boolean> {
    let have = group.filter((p) => this.done.has(p.endpoint)).length;
    for (const p of group) {
      if (have >= n) break;
      if (this.done.has(p.endpoint)) continue;
      if (await this.ask(p)) have++;
    }
    return have >= n;
  }
}

function action(endorsed: Endorsed[]): protos.ChaincodeEndorsedAction {
  const first = endorsed[0]!.response.payload;
  for (const e of endorsed) {
    if (Buffer.compare(e.response.payload, first) !== 0) {
      throw new GatewayError(GATEWAY_ERRORS.ABORTED, 'ProposalResponsePayloads do not match', [
        errorDetail(
          e.peer.endpoint,
          e.peer.mspId,
          'proposal response payload differs from the first endorser',
        ),
      ]);
    }
  }
  const seen = new Set<string>();
  const endorsements: protos.Endorsement[] = [];
  for (const e of endorsed) {
    const key = Buffer.from(e.response.endorsement!.endorser).toString('base64');
    if (seen.has(key)) continue;
    seen.add(key);
    endorsements.push(e.response.endorsement!);
  }
  return { proposalResponsePayload: first, endorsements };
}

function failed(c: Collector, what: string): GatewayError {
  if (c.timedOut)
    return new GatewayError(
      GATEWAY_ERRORS.DEADLINE_EXCEEDED,
      `endorsement timeout expired while ${what}`,
      c.details,
    );
  return new GatewayError(
    GATEWAY_ERRORS.ABORTED,
    what === 'collecting first endorsement'
      ? 'failed to endorse transaction, see attached details for more info'
      : 'failed to collect enough transaction endorsements, see attached details for more info',
    c.details,
  );
}

/** The client chose the organisations: one endorsement from each. */
export async function endorseForOrgs(
  ctx: EndorseContext,
  orgs: readonly string[],
): Promise<protos.ChaincodeEndorsedAction> {
  const missing = orgs.filter((o) => !ctx.peers.some((p) => p.mspId === o));
  if (missing.length > 0) {
    throw new GatewayError(
      GATEWAY_ERRORS.UNAVAILABLE,
      `failed to find any endorsing peers for org(s): ${missing.join(', ')}`,
    );
  }
  const c = new Collector(ctx);
  const ok = await Promise.all(
    orgs.map((o) =>
      c.fill(
        ctx.peers.filter((p) => p.mspId === o),
        1,
      ),
    ),
  );
  if (ok.some((x) => !x)) throw failed(c, 'collecting endorsements');
  return action([...c.done.values()]);
}

/** The gateway chooses: this peer first, then whatever the policy still needs. */
export async function endorseByPolicy(ctx: EndorseContext): Promise<protos.ChaincodeEndorsedAction> {
  const c = new Collector(ctx);
  const local = ctx.peers[0]!;
  if (!(await c.ask(local))) throw failed(c, 'collecting first endorsement');
  let plan;
  try {
    plan = await endorsementPlan(
      ctx.channel,
      [{ name: ctx.chaincode, collectionNames: [], noPrivateReads: true }],
      ctx.peers,
    );
  } catch (err) {
    throw new GatewayError(GATEWAY_ERRORS.FAILED_PRECONDITION, errorMessage(err));
  }
  const inGroup = (g: number): boolean => plan.groups[g]?.some((p) => p.endpoint === local.endpoint) ?? false;
  // Layouts this peer's endorsement counts in first, then the smallest.
  const layouts = [...plan.layouts].sort(
    (a, b) => Number([...b.keys()].some(inGroup)) - Number([...a.keys()].some(inGroup)),
  );
  for (const layout of layouts) {
    const ok = await Promise.all([...layout].map(([g, n]) => c.fill(plan.groups[g] ?? [], n)));
    if (ok.every((x) => x)) {
      const used = new Set([...layout.keys()].flatMap((g) => (plan.groups[g] ?? []).map((p) => p.endpoint)));
      return action([...c.done.values()].filter((e) => used.has(e.peer.endpoint)));
    }
  }
  throw failed(c, 'collecting endorsements');
}
