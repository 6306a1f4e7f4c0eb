// Which installed package runs a chaincode on a channel (Fabric's lifecycle Cache, without the cache):
// the committed definition, this org's approval of exactly it, and the hash of the PackageID this org
// approved with it. Only hashes are needed - as Fabric does, the installed package is found by the
// hash of StateData{String: packageId} - so it works before (or without) this peer's private data.
import { createHash } from 'node:crypto';
import type { KVLedger, QueryExecutor } from '@fabric-peer/ledger';
import { lifecycle, protos } from '@fabric-peer/protos';
import {
  LIFECYCLE_NAMESPACE,
  fieldKey,
  lifecycleV20 as channelLifecycleV20,
  readChaincodeDefinition,
} from '../lifecycle/index.js';
import type { ChaincodePackageStore } from '../persistence/index.js';
import {
  CHAINCODE_SOURCES_NAME,
  type Definition,
  localPackageStructure,
  parametersStructure,
  privateName,
} from './definition.js';
import { LIFECYCLE_ERRORS, lifecycleError } from './errors.js';
import { type LifecycleChannelConfig, queryNamespaceDefinitions } from './functions.js';
import { isMetadataSerialized, isSerialized } from './serializer.js';
import { opaqueOrgState, publicQueryState } from './states.js';
import { NAMESPACES_NAME } from '../lifecycle/index.js';

export interface LifecycleChannel {
  readonly id: string;
  readonly ledger: KVLedger;
  config(): LifecycleChannelConfig;
  /** Bumped by the committer after a block that touched `_lifecycle`; enables the org view cache. */
  readonly definitions?: { readonly generation: number };
}
export interface LifecycleChannels {
  getChannel(id: string): LifecycleChannel | undefined;
  channelIds(): string[];
}

export const lifecycleV20 = (cfg: LifecycleChannelConfig): boolean => channelLifecycleV20(cfg.capabilities);

/** The hash under which an org's approval records a package id (Fabric's hashOfCCHash). */
export const packageIdHash = (packageId: string): string =>
  createHash('sha256')
    .update(lifecycle.StateData.encode({ string: packageId }))
    .digest('hex');

/** The committed definition in the proto shape the lifecycle functions use. */
export async function committedDefinition(qe: QueryExecutor, name: string): Promise<Definition | undefined> {
  const def = await readChaincodeDefinition(qe, name);
  if (def === undefined) return undefined;
  return {
    sequence: def.sequence,
    endorsementInfo: {
      version: def.version,
      initRequired: def.initRequired,
      endorsementPlugin: def.endorsementPlugin,
    },
    validationInfo: { validationPlugin: def.validationPlugin, validationParameter: def.validationParameter },
    // lifecycle/ decodes with common's (deprecated) twin of the message; same wire format.
    collections: protos.CollectionConfigPackage.decode(
      protos.CollectionConfigPackage.encode(def.collections),
    ),
  };
}

export interface OrgView {
  definition: Definition;
  approved: boolean;
  /** Hex hash of the approved PackageID value; undefined when not approved or no local package. */
  packageHash?: string;
}

/** This org's view of `name`: the committed definition, whether it approved it, and the package hash. */
export async function orgView(qe: QueryExecutor, mspId: string, name: string): Promise<OrgView | undefined> {
  const definition = await committedDefinition(qe, name);
  if (definition === undefined) return undefined;
  const org = opaqueOrgState(qe, mspId);
  const pname = privateName(name, definition.sequence);
  if (!(await isSerialized(NAMESPACES_NAME, pname, parametersStructure(name, definition), org)))
    return { definition, approved: false };
  if (
    !(await isMetadataSerialized(
      CHAINCODE_SOURCES_NAME,
      pname,
      localPackageStructure(name, definition, ''),
      org,
    ))
  )
    return { definition, approved: true };
  const h = await org.getStateHash(fieldKey(CHAINCODE_SOURCES_NAME, pname, 'PackageID'));
  return h === undefined
    ? { definition, approved: true }
    : { definition, approved: true, packageHash: Buffer.from(h).toString('hex') };
}

// Org views per channel ledger, valid while its `_lifecycle` generation stands (Fabric keeps the
// same in its lifecycle Cache). Without it every proposal re-read the definition, the approval
// hashes and the package hash: several state reads and a serialization check each time.
const ORG_VIEW_CACHE_SIZE = 256;
const orgViews = new WeakMap<KVLedger, { generation: number; views: Map<string, OrgView | undefined> }>();

/** orgView through the cache of `ch` (read directly when the channel has no generation to key on). */
export async function cachedOrgView(
  ch: LifecycleChannel,
  mspId: string,
  name: string,
): Promise<OrgView | undefined> {
  const generation = ch.definitions?.generation;
  const key = `${mspId}\u0000${name}`;
  const entry = orgViews.get(ch.ledger);
  if (generation !== undefined && entry?.generation === generation && entry.views.has(key))
    return entry.views.get(key);
  const qe = await ch.ledger.newQueryExecutor();
  let view: OrgView | undefined;
  try {
    view = await orgView(qe, mspId, name);
  } finally {
    await qe.done();
  }
  // A commit during the read may have changed what was read: keep it only if none happened.
  if (generation !== undefined && ch.definitions?.generation === generation) {
    let e = orgViews.get(ch.ledger);
    if (e?.generation !== generation) {
      e = { generation, views: new Map() };
      orgViews.set(ch.ledger, e);
    }
    if (e.views.size >= ORG_VIEW_CACHE_SIZE) e.views.delete(e.views.keys().next().value!);
    e.views.set(key, view);
  }
  return view;
}

export interface ResolverDeps {
  channels: LifecycleChannels;
  mspId: string;
  store: ChaincodePackageStore;
  /** Installed packages by hash; without it the store is listed on every call. */
  index?: InstalledIndex;
}

/**
 * Installed package ids by their approval hash (Fabric's localChaincodes map). Listing the store
 * (a readdir) on every transaction would be wasteful: a miss reloads it once, so packages installed
 * since are found; a removed package only shows up when chaincode/ fails to load it.
 */
export class InstalledIndex {
  private byHash: Map<string, string> | undefined;

  constructor(private readonly store: ChaincodePackageStore) {}

  async find(hash: string): Promise<string | undefined> {
    const hit = this.byHash?.get(hash);
    if (hit !== undefined) return hit;
    const list = await this.store.listInstalledChaincodes();
    this.byHash = new Map(list.map((p) => [packageIdHash(p.packageId), p.packageId]));
    return this.byHash.get(hash);
  }
}

/**
 * chaincode/'s resolver: the package id that runs `name` on `channelId`. undefined when `name` has no
 * _lifecycle definition there; Fabric's errors when this org has not approved it or it is not installed.
 */
export async function resolveChaincodePackage(
  deps: ResolverDeps,
  channelId: string,
  name: string,
): Promise<{ packageId: string } | undefined> {
  const ch = deps.channels.getChannel(channelId);
  if (ch === undefined || !lifecycleV20(ch.config()) || name === LIFECYCLE_NAMESPACE) return undefined;
  const view = await cachedOrgView(ch, deps.mspId, name);
  if (view === undefined) return undefined;
  if (!view.approved)
    throw lifecycleError(
      LIFECYCLE_ERRORS.NOT_APPROVED_BY_ORG,
      `chaincode definition for '${name}' at sequence ${view.definition.sequence} on channel '${channelId}' has not yet been approved by this org`,
    );
  const packageId =
    view.packageHash === undefined
      ? undefined
      : await (deps.index ?? new InstalledIndex(deps.store)).find(view.packageHash);
  if (packageId === undefined)
    throw lifecycleError(
      LIFECYCLE_ERRORS.NOT_INSTALLED,
      `chaincode definition for '${name}' exists, but chaincode is not installed`,
    );
  return { packageId };
}

/** The resolver function ChaincodeSupportOptions.resolve takes. */
export function chaincodeResolver(
  deps: ResolverDeps,
): (channelId: string, name: string) => Promise<{ packageId: string } | undefined> {
  const withIndex = { ...deps, index: deps.index ?? new InstalledIndex(deps.store) };
  return (channelId, name) => resolveChaincodePackage(withIndex, channelId, name);
}

/** Per package hash: channel -> chaincodes (name, version) whose approved definition uses it. */
export async function packageReferences(
  deps: Omit<ResolverDeps, 'store'>,
): Promise<Map<string, Map<string, { name: string; version: string }[]>>> {
  const out = new Map<string, Map<string, { name: string; version: string }[]>>();
  for (const id of deps.channels.channelIds()) {
    const ch = deps.channels.getChannel(id);
    if (ch === undefined || !lifecycleV20(ch.config())) continue;
    const qe = await ch.ledger.newQueryExecutor();
    try {
      for (const [name, type] of await queryNamespaceDefinitions(publicQueryState(qe))) {
        if (type !== 'Chaincode') continue;
        const view = await orgView(qe, deps.mspId, name);
        if (view?.packageHash === undefined) continue;
        const byChannel = out.get(view.packageHash) ?? new Map<string, { name: string; version: string }[]>();
        const list = byChannel.get(id) ?? [];
        list.push({ name, version: view.definition.endorsementInfo.version });
        byChannel.set(id, list);
        out.set(view.packageHash, byChannel);
      }
    } finally {
      await qe.done();
    }
  }
  return out;
}
