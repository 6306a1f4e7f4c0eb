// Endorsement layouts from an endorsement policy: the ways the policy can be satisfied, each a set of
// principals with how many distinct signers of each it needs (Fabric's discovery "layouts" over
// principal groups). Both the gateway's endorsement plan and discovery's chaincode query use this, so
// the gateway asks exactly the peers a Fabric client would be told to ask.
import { common } from '@fabric-peer/protos';
import type { ChannelConfig } from '../channel/index.js';
import { DISCOVERY_ERRORS, DiscoveryError } from './errors.js';
import { errorMessage } from '../errors/index.js';

/** One way to satisfy the policy: principal index -> number of distinct signers needed. */
export type Layout = Map<number, number>;

export interface PolicyLayouts {
  /** Distinct principals the layouts refer to (by index). */
  principals: common.MSPPrincipal[];
  /** Smallest first; at most MAX_LAYOUTS. */
  layouts: Layout[];
}

/** Combinations explode with n-out-of-m over many orgs; Fabric's discovery caps them too. */
const MAX_LAYOUTS = 256;
const MAX_DEPTH = 16;

class PrincipalTable {
  readonly principals: common.MSPPrincipal[] = [];
  private readonly byKey = new Map<string, number>();

  index(p: common.MSPPrincipal): number {
    const key = Buffer.from(common.MSPPrincipal.encode(p)).toString('base64');
    let i = this.byKey.get(key);
    if (i === undefined) {
      i = this.principals.length;
      this.principals.push(p);
      this.byKey.set(key, i);
    }
    return i;
  }
}

const size = (l: Layout): number => [...l.values()].reduce((a, b) => a + b, 0);
const layoutKey = (l: Layout): string =>
  [...l.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([k, v]) => `${k}:${v}`)
    .join(',');

function merge(a: Layout, b: Layout): Layout {
  const out = new Map(a);
  for (const [k, v] of b) out.set(k, (out.get(k) ?? 0) + v);
  return out;
}

function dedupe(ls: Layout[]): Layout[] {
  const seen = new Map<string, Layout>();
  for (const l of ls) seen.set(layoutKey(l), l);
  return [...seen.values()].sort((a, b) => size(a) - size(b)).slice(0, MAX_LAYOUTS);
}

/** Every way to pick `n` of the alternatives, each alternative a list of layouts, merged. */
function nOutOf(n: number, alternatives: Layout[][]): Layout[] {
  if (n <= 0) return [new Map()];
  const out: Layout[] = [];
  const pick = (start: number, left: number, acc: Layout): void => {
    if (out.length >= MAX_LAYOUTS * 4) return;
    if (left === 0) {
      out.push(acc);
      return;
    }
    for (let i = start; i <= alternatives.length - left; i++) {
      for (const l of alternatives[i]!) pick(i + 1, left - 1, merge(acc, l));
    }
  };
  pick(0, n, new Map());
  return dedupe(out);
}

function ruleLayouts(
  rule: common.SignaturePolicy | undefined,
  identities: common.MSPPrincipal[],
  table: PrincipalTable,
  depth: number,
): Layout[] {
  if (depth > MAX_DEPTH || rule === undefined) return [];
  if (rule.signedBy !== undefined) {
    const p = identities[rule.signedBy];
    return p === undefined ? [] : [new Map([[table.index(p), 1]])];
  }
  if (rule.nOutOf !== undefined) {
    const alts = rule.nOutOf.rules.map((r) => ruleLayouts(r, identities, table, depth + 1));
    return nOutOf(rule.nOutOf.n, alts);
  }
  return [];
}

function signatureLayouts(env: common.SignaturePolicyEnvelope, table: PrincipalTable): Layout[] {
  return ruleLayouts(env.rule, env.identities, table, 0);
}

/** A policy of the channel config tree by absolute path (/Channel/Application/Endorsement). */
function configPolicy(config: common.Config, path: string): common.Policy | undefined {
  const parts = path.split('/').filter((p) => p !== '');
  if (parts[0] !== 'Channel') return undefined;
  let group = config.channelGroup;
  for (const g of parts.slice(1, -1)) group = group?.groups[g];
  return group?.policies[parts[parts.length - 1]!]?.policy;
}

function groupOf(config: common.Config, path: string): common.ConfigGroup | undefined {
  const parts = path.split('/').filter((p) => p !== '');
  let group = config.channelGroup;
  for (const g of parts.slice(1, -1)) group = group?.groups[g];
  return group;
}

function policyLayouts(
  config: common.Config,
  path: string,
  policy: common.Policy | undefined,
  table: PrincipalTable,
): Layout[] {
  if (policy === undefined) return [];
  const T = common.Policy_PolicyType;
  if (policy.type === T.SIGNATURE) {
    return signatureLayouts(common.SignaturePolicyEnvelope.decode(policy.value), table);
  }
  if (policy.type === T.IMPLICIT_META) {
    const meta = common.ImplicitMetaPolicy.decode(policy.value);
    const group = groupOf(config, path);
    const subs = Object.entries(group?.groups ?? {}).map(([name, g]) =>
      policyLayouts(
        config,
        `${path.replace(/\/[^/]+$/, '')}/${name}/${meta.subPolicy}`,
        g.policies[meta.subPolicy]?.policy,
        table,
      ),
    );
    const R = common.ImplicitMetaPolicy_Rule;
    const n = meta.rule === R.ANY ? 1 : meta.rule === R.ALL ? subs.length : Math.floor(subs.length / 2) + 1;
    return nOutOf(n, subs);
  }
  return [];
}

/** Layouts of a chaincode's ApplicationPolicy (signature policy or channel policy reference). */
export function endorsementLayouts(
  policyBytes: Uint8Array,
  channel: Pick<ChannelConfig, 'config'>,
): PolicyLayouts {
  const table = new PrincipalTable();
  let layouts: Layout[];
  try {
    // An empty validation parameter means the channel's default: /Channel/Application/Endorsement.
    const app =
      policyBytes.length === 0
        ? { channelConfigPolicyReference: '/Channel/Application/Endorsement' }
        : common.ApplicationPolicy.decode(policyBytes);
    if (app.signaturePolicy !== undefined) {
      layouts = signatureLayouts(app.signaturePolicy, table);
    } else if (app.channelConfigPolicyReference !== undefined) {
      const ref = app.channelConfigPolicyReference;
      const path = ref.startsWith('/') ? ref : `/Channel/Application/${ref}`;
      layouts = policyLayouts(channel.config, path, configPolicy(channel.config, path), table);
    } else layouts = [];
  } catch (err) {
    throw new DiscoveryError(DISCOVERY_ERRORS.POLICY_UNREADABLE, {
      reason: errorMessage(err),
    });
  }
  return { principals: table.principals, layouts: dedupe(layouts) };
}
