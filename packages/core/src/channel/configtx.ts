// Fabric's configtx validator: a CONFIG_UPDATE is checked against the current config (channel id,
// read-set versions, version bumps, the mod_policy of every changed element satisfied by the update's
// signatures) and yields the next Config. The orderer calls applyConfigUpdate on Broadcast; the
// committer calls validateConfigEnvelope on every CONFIG transaction it commits.
import { type EvaluateOptions, type SignedData } from '@fabric-peer/msp';
import { common } from '@fabric-peer/protos';
import { type ChannelConfig } from './channelconfig.js';
import { type ConfigElement, configFromMap, configGroupsEqual, elementKey, mapConfig } from './configmap.js';
import { CHANNEL_ERRORS, type ChannelError, channelError, errorMessage } from './errors.js';

export interface ApplyOptions {
  /** Identity validity-period checks on the signers (default: none, as Fabric's configtx). */
  evaluate?: EvaluateOptions;
}

type Invalid = ChannelError<typeof CHANNEL_ERRORS.CONFIG_UPDATE_INVALID>;

function invalid(current: ChannelConfig, reason: string): Invalid {
  return channelError(
    CHANNEL_ERRORS.CONFIG_UPDATE_INVALID,
    { channel: current.channelId, reason },
    { channel: current.channelId },
  );
}

/** The ConfigUpdateEnvelope inside a CONFIG_UPDATE envelope (what a client Broadcasts, what last_update holds). */
export function configUpdateEnvelopeFrom(
  current: ChannelConfig,
  envelope: common.Envelope,
): common.ConfigUpdateEnvelope {
  let payload: common.Payload;
  try {
    payload = common.Payload.decode(envelope.payload);
  } catch (err) {
    throw invalid(current, `bad payload: ${errorMessage(err)}`);
  }
  if (!payload.header) throw invalid(current, 'missing header');
  const ch = common.ChannelHeader.decode(payload.header.channelHeader);
  if (ch.type !== common.HeaderType.CONFIG_UPDATE)
    throw invalid(current, `envelope is of type ${ch.type}, not CONFIG_UPDATE`);
  try {
    return common.ConfigUpdateEnvelope.decode(payload.data);
  } catch (err) {
    throw invalid(current, `bad config update envelope: ${errorMessage(err)}`);
  }
}

/** ConfigUpdateEnvelope.AsSignedData: data = signature_header ++ config_update. */
export function configUpdateSignedData(cue: common.ConfigUpdateEnvelope): SignedData[] {
  return cue.signatures.map((s) => {
    const sh = common.SignatureHeader.decode(s.signatureHeader);
    return {
      data: Buffer.concat([s.signatureHeader, cue.configUpdate]),
      identity: sh.creator,
      signature: s.signature,
    };
  });
}

/** Fabric's validateModPolicy: each path element a valid config id ([a-zA-Z0-9.-_]{1,249}, not . or ..). */
function checkModPolicy(current: ChannelConfig, key: string, modPolicy: string): void {
  if (modPolicy === '') throw invalid(current, `invalid mod_policy for element ${key}: mod_policy not set`);
  const trimmed = modPolicy.startsWith('/') ? modPolicy.slice(1) : modPolicy;
  trimmed.split('/').forEach((p, i) => {
    if (p.length > 249 || p === '.' || p === '..' || !/^[a-zA-Z0-9.\-_]+$/.test(p)) {
      throw invalid(current, `invalid mod_policy for element ${key}: path element at ${i} is invalid`);
    }
  });
}

/** Fabric's policyForItem: relative mod policies resolve in the element's group (a group's own, for groups). */
function evaluateModPolicy(
  current: ChannelConfig,
  el: ConfigElement,
  signed: SignedData[],
  opts: ApplyOptions,
): string | undefined {
  let manager = current.policies;
  if (!el.modPolicy.startsWith('/') && el.path.length > 0) {
    const sub = [...el.path.slice(1), ...(el.kind === 'Group' ? [el.name] : [])];
    const m = current.policies.manager(sub);
    if (!m) return `no policy manager for ${sub.join('/')}`;
    manager = m;
  }
  const policy = manager.getPolicy(el.modPolicy);
  if (!policy) return `unexpected missing policy ${el.modPolicy}`;
  const r = policy.evaluateSignedData(signed, opts.evaluate ?? { checkExpiry: false });
  return r.satisfied
    ? undefined
    : r.error.message + (r.error.details.length ? ` [${r.error.details.join('; ')}]` : '');
}

/** Checks a ConfigUpdateEnvelope against `current` and returns the resulting channel group. */
export function authorizeUpdate(
  current: ChannelConfig,
  cue: common.ConfigUpdateEnvelope,
  opts: ApplyOptions = {},
): common.ConfigGroup {
  let update: common.ConfigUpdate;
  try {
    update = common.ConfigUpdate.decode(cue.configUpdate);
  } catch (err) {
    throw invalid(current, `bad config update: ${errorMessage(err)}`);
  }
  if (update.channelId !== current.channelId) {
    throw invalid(
      current,
      `ConfigUpdate for channel '${update.channelId}' but envelope for channel '${current.channelId}'`,
    );
  }
  if (!update.writeSet) throw invalid(current, 'config update has no write set');
  const existing = mapConfig(current.config.channelGroup!);
  const readSet = update.readSet ? mapConfig(update.readSet) : new Map<string, ConfigElement>();
  for (const [key, el] of readSet) {
    const cur = existing.get(key);
    if (!cur)
      throw invalid(current, `existing config does not contain element for ${key} but was in the read set`);
    if (cur.version !== el.version) {
      throw invalid(
        current,
        `proposed update requires that key ${key} be at version ${el.version}, but it is currently at version ${cur.version}`,
      );
    }
  }
  const writeSet = mapConfig(update.writeSet);
  const delta = new Map<string, ConfigElement>();
  for (const [key, el] of writeSet) {
    const read = readSet.get(key);
    if (read && read.version === el.version) continue;
    delta.set(key, el);
  }
  if (delta.size === 0) throw invalid(current, 'delta set was empty -- update would have no effect');
  const signed = configUpdateSignedData(cue);
  for (const [key, el] of delta) {
    checkModPolicy(current, key, el.modPolicy);
    const cur = existing.get(key);
    if (!cur) {
      if (el.version !== 0)
        throw invalid(
          current,
          `attempted to set key ${key} to version ${el.version}, but key does not exist`,
        );
      // A new element only lands in the config through its parent group's new child list.
      const parent = elementKey('Group', el.path.slice(0, -1), el.path[el.path.length - 1] ?? '');
      if (el.path.length > 0 && !delta.has(parent)) {
        throw invalid(current, `attempted to add key ${key} without updating its parent group`);
      }
      continue;
    }
    if (el.version !== cur.version + 1) {
      throw invalid(
        current,
        `attempt to set key ${key} to version ${el.version}, but key is at version ${cur.version}`,
      );
    }
    const failure = evaluateModPolicy(current, cur, signed, opts);
    if (failure !== undefined) {
      throw channelError(
        CHANNEL_ERRORS.CONFIG_UPDATE_FORBIDDEN,
        { channel: current.channelId, reason: `policy for ${key} not satisfied: ${failure}` },
        { channel: current.channelId },
      );
    }
  }
  const next = new Map(existing);
  for (const [key, el] of delta) next.set(key, el);
  try {
    return configFromMap(next);
  } catch (err) {
    throw invalid(current, errorMessage(err));
  }
}

/** The next Config a CONFIG_UPDATE envelope yields (sequence + 1); throws CHANNEL_CONFIG_UPDATE_INVALID / _FORBIDDEN. */
export function applyConfigUpdate(
  current: ChannelConfig,
  envelope: common.Envelope,
  opts: ApplyOptions = {},
): common.Config {
  const cue = configUpdateEnvelopeFrom(current, envelope);
  return { sequence: current.sequence + 1, channelGroup: authorizeUpdate(current, cue, opts) };
}

/**
 * Fabric's configtx Validate for a committed CONFIG transaction: the sequence is the next one and
 * replaying last_update over the current config gives exactly the supplied config.
 */
export function validateConfigEnvelope(
  current: ChannelConfig,
  configEnvelope: common.ConfigEnvelope,
  opts: ApplyOptions = {},
): common.Config {
  const config = configEnvelope.config;
  if (!config?.channelGroup) throw invalid(current, 'config envelope has no config');
  if (config.sequence !== current.sequence + 1) {
    throw invalid(
      current,
      `config currently at sequence ${current.sequence}, cannot validate config at sequence ${config.sequence}`,
    );
  }
  if (!configEnvelope.lastUpdate) throw invalid(current, 'config envelope has no last_update');
  const group = authorizeUpdate(current, configUpdateEnvelopeFrom(current, configEnvelope.lastUpdate), opts);
  if (!configGroupsEqual(group, config.channelGroup)) {
    throw invalid(current, 'ConfigEnvelope LastUpdate did not produce the supplied config result');
  }
  return config;
}
