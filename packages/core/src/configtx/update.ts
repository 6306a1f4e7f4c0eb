// configtxlator compute_update and the envelopes `peer channel update` / `channel create` send: the
// read set / write set between two configs (Fabric's update.Compute, rule for rule), wrapped in a
// ConfigUpdateEnvelope, signed by the admins that must approve it, then in a CONFIG_UPDATE envelope.
import { common } from '@fabric-peer/protos';
import { CONFIGTX_ERRORS, ConfigtxError } from './errors.js';
import { type Signer, createSignedEnvelope, makeSignatureHeader } from './envelope.js';
import { buildConfig } from './genesis.js';
import { type ChannelProfile } from './profile.js';

type Map<T> = Record<string, T>;

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(a, b) === 0;
}

function policiesEqual(a: common.Policy | undefined, b: common.Policy | undefined): boolean {
  if (!a || !b) return a === b;
  return a.type === b.type && bytesEqual(a.value, b.value);
}

interface MapUpdate<T> {
  read: Map<T>;
  write: Map<T>;
  same: Map<T>;
  membersUpdated: boolean;
}

function policiesUpdate(
  orig: Map<common.ConfigPolicy>,
  upd: Map<common.ConfigPolicy>,
): MapUpdate<common.ConfigPolicy> {
  const r: MapUpdate<common.ConfigPolicy> = { read: {}, write: {}, same: {}, membersUpdated: false };
  for (const [name, o] of Object.entries(orig)) {
    const u = upd[name];
    if (!u) {
      r.membersUpdated = true;
      continue;
    }
    if (o.modPolicy === u.modPolicy && policiesEqual(o.policy, u.policy)) {
      r.same[name] = common.ConfigPolicy.create({ version: o.version });
      continue;
    }
    r.write[name] = common.ConfigPolicy.create({
      version: o.version + 1,
      modPolicy: u.modPolicy,
      policy: u.policy,
    });
  }
  for (const [name, u] of Object.entries(upd)) {
    if (name in orig) continue;
    r.membersUpdated = true;
    r.write[name] = common.ConfigPolicy.create({ version: 0, modPolicy: u.modPolicy, policy: u.policy });
  }
  return r;
}

function valuesUpdate(
  orig: Map<common.ConfigValue>,
  upd: Map<common.ConfigValue>,
): MapUpdate<common.ConfigValue> {
  const r: MapUpdate<common.ConfigValue> = { read: {}, write: {}, same: {}, membersUpdated: false };
  for (const [name, o] of Object.entries(orig)) {
    const u = upd[name];
    if (!u) {
      r.membersUpdated = true;
      continue;
    }
    if (o.modPolicy === u.modPolicy && bytesEqual(o.value, u.value)) {
      r.same[name] = common.ConfigValue.create({ version: o.version });
      continue;
    }
    r.write[name] = common.ConfigValue.create({
      version: o.version + 1,
      modPolicy: u.modPolicy,
      value: u.value,
    });
  }
  for (const [name, u] of Object.entries(upd)) {
    if (name in orig) continue;
    r.membersUpdated = true;
    r.write[name] = common.ConfigValue.create({ version: 0, modPolicy: u.modPolicy, value: u.value });
  }
  return r;
}

function groupsUpdate(
  orig: Map<common.ConfigGroup>,
  upd: Map<common.ConfigGroup>,
): MapUpdate<common.ConfigGroup> {
  const r: MapUpdate<common.ConfigGroup> = { read: {}, write: {}, same: {}, membersUpdated: false };
  for (const [name, o] of Object.entries(orig)) {
    const u = upd[name];
    if (!u) {
      r.membersUpdated = true;
      continue;
    }
    const g = groupUpdate(o, u);
    if (!g.updated) {
      r.same[name] = g.read;
      continue;
    }
    r.read[name] = g.read;
    r.write[name] = g.write;
  }
  for (const [name, u] of Object.entries(upd)) {
    if (name in orig) continue;
    r.membersUpdated = true;
    const g = groupUpdate(common.ConfigGroup.create(), u);
    r.write[name] = common.ConfigGroup.create({
      version: 0,
      modPolicy: u.modPolicy,
      policies: g.write.policies,
      values: g.write.values,
      groups: g.write.groups,
    });
  }
  return r;
}

function groupUpdate(
  orig: common.ConfigGroup,
  upd: common.ConfigGroup,
): { read: common.ConfigGroup; write: common.ConfigGroup; updated: boolean } {
  const p = policiesUpdate(orig.policies, upd.policies);
  const v = valuesUpdate(orig.values, upd.values);
  const g = groupsUpdate(orig.groups, upd.groups);
  const version = orig.version;
  if (!(p.membersUpdated || v.membersUpdated || g.membersUpdated || orig.modPolicy !== upd.modPolicy)) {
    const nothing = [p.read, p.write, v.read, v.write, g.read, g.write].every(
      (m) => Object.keys(m).length === 0,
    );
    if (nothing) {
      return {
        read: common.ConfigGroup.create({ version }),
        write: common.ConfigGroup.create({ version }),
        updated: false,
      };
    }
    return {
      read: common.ConfigGroup.create({ version, policies: p.read, values: v.read, groups: g.read }),
      write: common.ConfigGroup.create({ version, policies: p.write, values: v.write, groups: g.write }),
      updated: true,
    };
  }
  // A member was added or removed (or the mod policy changed): the group's own version moves, and
  // every unchanged member is named in both sets so the validator can see the full membership.
  return {
    read: common.ConfigGroup.create({
      version,
      policies: { ...p.read, ...p.same },
      values: { ...v.read, ...v.same },
      groups: { ...g.read, ...g.same },
    }),
    write: common.ConfigGroup.create({
      version: version + 1,
      policies: { ...p.write, ...p.same },
      values: { ...v.write, ...v.same },
      groups: { ...g.write, ...g.same },
      modPolicy: upd.modPolicy,
    }),
    updated: true,
  };
}

/** configtxlator compute_update: the ConfigUpdate turning `original` into `updated`. */
export function computeUpdate(
  channelId: string,
  original: common.Config,
  updated: common.Config,
): common.ConfigUpdate {
  const g = groupUpdate(
    original.channelGroup ?? common.ConfigGroup.create(),
    updated.channelGroup ?? common.ConfigGroup.create(),
  );
  if (!g.updated) throw ConfigtxError.of(CONFIGTX_ERRORS.NO_DIFFERENCES, {});
  return common.ConfigUpdate.create({ channelId, readSet: g.read, writeSet: g.write });
}

/** A ConfigSignature by `signer` over signature_header ++ config_update (peer channel signconfigtx). */
export function signConfigUpdate(configUpdate: Uint8Array, signer: Signer): common.ConfigSignature {
  const signatureHeader = common.SignatureHeader.encode(makeSignatureHeader(signer.serialize()));
  const signature = signer.sign(Buffer.concat([signatureHeader, configUpdate]));
  return common.ConfigSignature.create({ signatureHeader, signature });
}

/**
 * The CONFIG_UPDATE envelope `peer channel update` broadcasts: the update signed by every signer
 * in `signers` (the admins its mod policies need), the envelope itself signed by `submitter`.
 */
export function createConfigUpdateEnvelope(
  update: common.ConfigUpdate,
  signers: readonly Signer[],
  submitter: Signer | undefined = signers[0],
): common.Envelope {
  const configUpdate = common.ConfigUpdate.encode(update);
  const signatures = signers.map((s) => signConfigUpdate(configUpdate, s));
  const data = common.ConfigUpdateEnvelope.encode({ configUpdate, signatures });
  return createSignedEnvelope(common.HeaderType.CONFIG_UPDATE, update.channelId, submitter, data);
}

/**
 * `peer channel signconfigtx` / `peer channel update -f` (SanityCheckAndSignConfigTx): adds `signer`'s
 * ConfigSignature to a CONFIG_UPDATE envelope (configtxlator's output, usually unsigned) and wraps it
 * in a new CONFIG_UPDATE envelope signed by `signer`.
 */
export function signConfigTx(envelope: common.Envelope, signer: Signer): common.Envelope {
  const fail = (reason: string): never => {
    throw ConfigtxError.of(CONFIGTX_ERRORS.ENVELOPE_INVALID, { reason });
  };
  let channelId = '';
  let cue: common.ConfigUpdateEnvelope | undefined;
  try {
    const payload = common.Payload.decode(envelope.payload);
    const ch = common.ChannelHeader.decode(payload.header?.channelHeader ?? new Uint8Array());
    if (ch.type !== common.HeaderType.CONFIG_UPDATE) fail(`header type ${ch.type} is not CONFIG_UPDATE`);
    channelId = ch.channelId;
    cue = common.ConfigUpdateEnvelope.decode(payload.data);
    if (common.ConfigUpdate.decode(cue.configUpdate).channelId !== channelId) {
      fail('the config update names another channel than its header');
    }
  } catch (err) {
    if (err instanceof ConfigtxError) throw err;
    fail((err as Error).message);
  }
  cue!.signatures.push(signConfigUpdate(cue!.configUpdate, signer));
  return createSignedEnvelope(
    common.HeaderType.CONFIG_UPDATE,
    channelId,
    signer,
    common.ConfigUpdateEnvelope.encode(cue!),
  );
}

/**
 * configtxgen -outputCreateChannelTx (encoder.MakeChannelCreationTransaction): the update from the
 * profile's template (its Application group without values and policies) to its full channel group,
 * plus the Consortium value, signed by `signer` if given. Only an orderer with a system channel takes
 * it; Fabric 2.5 networks (and this orderer) join channels from a genesis block instead.
 */
export async function createChannelCreateTx(
  channelId: string,
  profile: ChannelProfile,
  signer?: Signer,
): Promise<common.Envelope> {
  if (!profile.application) {
    throw ConfigtxError.of(CONFIGTX_ERRORS.PROFILE_INVALID, {
      reason: 'cannot define a new channel with no Application section',
    });
  }
  if (!profile.consortium) {
    throw ConfigtxError.of(CONFIGTX_ERRORS.PROFILE_INVALID, {
      reason: 'cannot define a new channel with no Consortium value',
    });
  }
  const full = await buildConfig(profile);
  const template = common.Config.decode(common.Config.encode(full));
  const app = template.channelGroup!.groups.Application!;
  app.values = {};
  app.policies = {};
  const update = computeUpdate(channelId, template, full);
  update.readSet!.values.Consortium = common.ConfigValue.create({ version: 0 });
  update.writeSet!.values.Consortium = common.ConfigValue.create({
    version: 0,
    value: common.Consortium.encode({ name: profile.consortium }),
  });
  return createConfigUpdateEnvelope(update, signer ? [signer] : [], signer);
}
