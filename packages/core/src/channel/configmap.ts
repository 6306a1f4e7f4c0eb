// A config tree flattened into path-keyed elements and rebuilt from them, as Fabric's configtx
// (configmap.go) does: the validator compares versions element by element and the next config is
// the current map overlaid with the update's changed elements.
import { type common } from '@fabric-peer/protos';

export type ElementKind = 'Group' | 'Value' | 'Policy';

export interface ConfigElement {
  kind: ElementKind;
  /** Path of the parent group, from the root ("Channel"); empty for the root group. */
  path: string[];
  name: string;
  version: number;
  modPolicy: string;
  group?: common.ConfigGroup;
  value?: common.ConfigValue;
  policy?: common.ConfigPolicy;
}

export function elementKey(kind: ElementKind, path: readonly string[], name: string): string {
  return `[${kind}] /${[...path, name].join('/')}`;
}

/** Every element of a group tree, keyed by kind and full path. */
export function mapConfig(root: common.ConfigGroup, rootName = 'Channel'): Map<string, ConfigElement> {
  const out = new Map<string, ConfigElement>();
  const walk = (group: common.ConfigGroup, path: string[], name: string): void => {
    out.set(elementKey('Group', path, name), {
      kind: 'Group',
      path,
      name,
      version: group.version,
      modPolicy: group.modPolicy,
      group,
    });
    const here = [...path, name];
    for (const [k, v] of Object.entries(group.values)) {
      out.set(elementKey('Value', here, k), {
        kind: 'Value',
        path: here,
        name: k,
        version: v.version,
        modPolicy: v.modPolicy,
        value: v,
      });
    }
    for (const [k, p] of Object.entries(group.policies)) {
      out.set(elementKey('Policy', here, k), {
        kind: 'Policy',
        path: here,
        name: k,
        version: p.version,
        modPolicy: p.modPolicy,
        policy: p,
      });
    }
    for (const [k, g] of Object.entries(group.groups)) walk(g, here, k);
  };
  walk(root, [], rootName);
  return out;
}

/** Rebuilds the tree from a map: each group keeps the children its own element lists. */
export function configFromMap(
  map: ReadonlyMap<string, ConfigElement>,
  rootName = 'Channel',
): common.ConfigGroup {
  const build = (path: string[], name: string): common.ConfigGroup => {
    const key = elementKey('Group', path, name);
    const el = map.get(key);
    if (!el?.group) throw new Error(`missing group ${key}`);
    const here = [...path, name];
    const src = el.group;
    const out: common.ConfigGroup = {
      version: src.version,
      modPolicy: src.modPolicy,
      groups: {},
      values: {},
      policies: {},
    };
    for (const k of Object.keys(src.values)) {
      const v = map.get(elementKey('Value', here, k));
      if (!v?.value) throw new Error(`missing value ${elementKey('Value', here, k)}`);
      out.values[k] = v.value;
    }
    for (const k of Object.keys(src.policies)) {
      const p = map.get(elementKey('Policy', here, k));
      if (!p?.policy) throw new Error(`missing policy ${elementKey('Policy', here, k)}`);
      out.policies[k] = p.policy;
    }
    for (const k of Object.keys(src.groups)) out.groups[k] = build(here, k);
    return out;
  };
  return build([], rootName);
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}

function sameKeys(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => k in b);
}

/** proto.Equal of two config groups (maps compared by content, not order). */
export function configGroupsEqual(a: common.ConfigGroup, b: common.ConfigGroup): boolean {
  if (a.version !== b.version || a.modPolicy !== b.modPolicy) return false;
  if (!sameKeys(a.values, b.values) || !sameKeys(a.policies, b.policies) || !sameKeys(a.groups, b.groups))
    return false;
  for (const [k, v] of Object.entries(a.values)) {
    const w = b.values[k]!;
    if (v.version !== w.version || v.modPolicy !== w.modPolicy || !bytesEqual(v.value, w.value)) return false;
  }
  for (const [k, p] of Object.entries(a.policies)) {
    const q = b.policies[k]!;
    if (p.version !== q.version || p.modPolicy !== q.modPolicy) return false;
    if ((p.policy === undefined) !== (q.policy === undefined)) return false;
    if (
      p.policy &&
      q.policy &&
      (p.policy.type !== q.policy.type || !bytesEqual(p.policy.value, q.policy.value))
    )
      return false;
  }
  return Object.entries(a.groups).every(([k, g]) => configGroupsEqual(g, b.groups[k]!));
}
