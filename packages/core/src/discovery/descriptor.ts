// Endorsement descriptors (discovery's chaincode query) and the plan the gateway follows: layouts of
// each chaincode's policy, cut to peers that run the chaincode and, for collections read, belong to
// the collection's member orgs; several chaincodes in one interest need all their policies at once.
import { common, type discovery, type protos } from '@fabric-peer/protos';
import type { ChannelConfig } from '../channel/index.js';
import { type ChaincodeDefinition, LIFECYCLE_NAMESPACE } from '../lifecycle/index.js';
import { DISCOVERY_ERRORS, DiscoveryError } from './errors.js';
import { endorsementLayouts, type Layout, type PolicyLayouts } from './layouts.js';
import { aliveEnvelope, type ChannelPeer, stateInfoEnvelope } from './membership.js';
import { peersByPrincipal, satisfiableLayouts } from './peers.js';
import { lifecycleDefinition } from './syscc.js';
import { errorMessage } from '../errors/index.js';

export interface DescriptorChannel {
  readonly id: string;
  config(): ChannelConfig;
  readonly definitions: { get(name: string): Promise<ChaincodeDefinition | undefined> };
}

/** A plan: groups of peers and the layouts (group -> count) that satisfy every policy involved. */
export interface EndorsementPlan {
  groups: ChannelPeer[][];
  layouts: Layout[];
}

function collectionMembers(
  def: ChaincodeDefinition,
  names: readonly string[] | undefined,
): Set<string> | undefined {
  if (names === undefined || names.length === 0) return undefined;
  const members = new Set<string>();
  let first = true;
  for (const name of names) {
    const coll = def.collections.config.find((c) => c.staticCollectionConfig?.name === name);
    const ids = coll?.staticCollectionConfig?.memberOrgsPolicy?.signaturePolicy?.identities ?? [];
    const orgs = new Set(ids.map((p) => mspIdOfPrincipal(p)).filter((m): m is string => m !== undefined));
    if (first) for (const o of orgs) members.add(o);
    else for (const o of [...members]) if (!orgs.has(o)) members.delete(o);
    first = false;
  }
  return members;
}

function mspIdOfPrincipal(p: common.MSPPrincipal): string | undefined {
  if (p.principalClassification !== common.MSPPrincipal_Classification.ROLE) return undefined;
  try {
    return common.MSPRole.decode(p.principal).mspIdentifier;
  } catch {
    return undefined;
  }
}

/** Merges the layouts of several policies: every combination of one layout of each. */
function combine(parts: PolicyLayouts[]): PolicyLayouts {
  let principals: common.MSPPrincipal[] = [];
  let layouts: Layout[] = [new Map()];
  for (const part of parts) {
    const offset = principals.length;
    principals = [...principals, ...part.principals];
    const next: Layout[] = [];
    for (const a of layouts) {
      for (const b of part.layouts) {
        const m = new Map(a);
        for (const [k, v] of b) m.set(k + offset, v);
        next.push(m);
      }
    }
    layouts = next.slice(0, 256);
  }
  return { principals, layouts };
}

/** The plan for the chaincodes of `interest` over `peers`; throws when no layout can be satisfied. */
/** Plans per config bundle (a new config is a new object, so stale plans go with it): the policy
 * analysis and the principal checks run once per chaincode definition and peer set, not per call. */
const planCache = new WeakMap<ChannelConfig, Map<string, { groups: string[][]; layouts: Layout[] }>>();
const MAX_CACHED_PLANS = 1024;

export async function endorsementPlan(
  ch: DescriptorChannel,
  calls: readonly Pick<protos.ChaincodeCall, 'name' | 'collectionNames' | 'noPrivateReads'>[],
  peers: readonly ChannelPeer[],
): Promise<EndorsementPlan> {
  const config = ch.config();
  const defs: ChaincodeDefinition[] = [];
  for (const call of calls) {
    const def =
      call.name === LIFECYCLE_NAMESPACE ? lifecycleDefinition(config) : await ch.definitions.get(call.name);
    if (def === undefined) {
      throw new DiscoveryError(DISCOVERY_ERRORS.CHAINCODE_NOT_FOUND, {
        chaincode: call.name,
        channel: ch.id,
      });
    }
    defs.push(def);
  }
  let eligible = [...peers];
  calls.forEach((call, i) => {
    eligible = eligible.filter((p) => p.chaincodes.some((c) => c.name === call.name));
    const members = call.noPrivateReads ? undefined : collectionMembers(defs[i]!, call.collectionNames);
    if (members !== undefined) eligible = eligible.filter((p) => members.has(p.mspId));
  });
  const key = JSON.stringify([
    calls.map((c) => [c.name, c.collectionNames, c.noPrivateReads]),
    defs.map((d) => [d.sequence, Buffer.from(d.validationParameter).toString('base64')]),
    // Endpoint and org name a peer here; its identity is re-checked when the config bundle changes.
    eligible.map((p) => `${p.mspId}@${p.endpoint}#${p.identity.length}`),
  ]);
  let byKey = planCache.get(config);
  if (byKey === undefined) planCache.set(config, (byKey = new Map()));
  let cached = byKey.get(key);
  if (cached === undefined) {
    const all = combine(defs.map((d) => endorsementLayouts(d.validationParameter, config)));
    const groups = peersByPrincipal(all, eligible, config.mspManager);
    cached = {
      groups: groups.map((g) => g.map((p) => p.endpoint)),
      layouts: satisfiableLayouts(all.layouts, groups),
    };
    if (byKey.size >= MAX_CACHED_PLANS) byKey.clear();
    byKey.set(key, cached);
  }
  if (cached.layouts.length === 0) throw new DiscoveryError(DISCOVERY_ERRORS.NO_LAYOUT, {});
  // The cached plan names peers; today's peer objects carry today's ledger heights.
  const byEndpoint = new Map(eligible.map((p) => [p.endpoint, p]));
  return {
    groups: cached.groups.map((g) => g.map((e) => byEndpoint.get(e)!)),
    layouts: cached.layouts,
  };
}

/** discovery.EndorsementDescriptor for one ChaincodeInterest (Fabric's group names are opaque: G0, G1 ...). */
export async function chaincodeDescriptor(
  ch: DescriptorChannel,
  interest: protos.ChaincodeInterest,
  peers: readonly ChannelPeer[],
): Promise<discovery.EndorsementDescriptor> {
  const calls = interest.chaincodes;
  let plan: EndorsementPlan;
  try {
    plan = await endorsementPlan(ch, calls, peers);
  } catch (err) {
    const names = calls.map((c) => `name:"${c.name}" `).join('');
    throw new Error(`failed constructing descriptor for chaincodes:<${names}>: ${errorMessage(err)}`, {
      cause: err,
    });
  }
  const used = new Set<number>();
  for (const l of plan.layouts) for (const g of l.keys()) used.add(g);
  const endorsersByGroups: Record<string, discovery.Peers> = {};
  for (const g of [...used].sort((a, b) => a - b)) {
    endorsersByGroups[`G${g}`] = {
      peers: plan.groups[g]!.map((p) => ({
        stateInfo: stateInfoEnvelope(p),
        membershipInfo: aliveEnvelope(p),
        identity: p.identity,
      })),
    };
  }
  const layouts = plan.layouts.map((l) => ({
    quantitiesByGroup: Object.fromEntries([...l].map(([g, n]) => [`G${g}`, n])),
  }));
  return { chaincode: calls[0]?.name ?? '', endorsersByGroups, layouts };
}
