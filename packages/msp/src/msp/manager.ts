// A channel's MSPs: deserializes by the mspid inside the SerializedIdentity.
import type { common } from '@fabric-peer/protos';
import { IdentityError, MSPConfigError, MSPErrorCode } from '../errors.js';
import type { Identity } from '../identity/identity.js';
import { type IdentityDeserializer, MSP, type MSPOptions, decodeSerializedIdentity } from './msp.js';
import { rawKey } from './setup.js';

const DEFAULT_CACHE = 8192;

export class MSPManager implements IdentityDeserializer {
  private readonly byId = new Map<string, MSP>();
  private readonly cache = new Map<string, Identity>();

  constructor(
    msps: Iterable<MSP>,
    private readonly cacheSize: number = DEFAULT_CACHE,
  ) {
    for (const m of msps) {
      if (this.byId.has(m.id))
        throw new MSPConfigError(MSPErrorCode.CONFIG_INVALID, `duplicate MSP ${m.id}`, { mspId: m.id });
      this.byId.set(m.id, m);
    }
  }

  /**
   * The MSPs of a channel config: the `MSP` value of every org group under Application and
   * Orderer (and Consortiums), as Fabric's channelconfig collects them.
   */
  static fromChannelGroup(channelGroup: common.ConfigGroup, options: MSPOptions = {}): MSPManager {
    const found = new Map<string, MSP>();
    const visitOrgs = (group: common.ConfigGroup | undefined): void => {
      for (const org of Object.values(group?.groups ?? {})) {
        const value = org.values['MSP'];
        if (!value) continue;
        const m = MSP.fromMSPConfigBytes(value.value, options);
        if (!found.has(m.id)) found.set(m.id, m);
      }
    };
    visitOrgs(channelGroup.groups['Application']);
    visitOrgs(channelGroup.groups['Orderer']);
    for (const consortium of Object.values(channelGroup.groups['Consortiums']?.groups ?? {}))
      visitOrgs(consortium);
    return new MSPManager(found.values());
  }

  get msps(): ReadonlyMap<string, MSP> {
    return this.byId;
  }

  getMSP(mspId: string): MSP | undefined {
    return this.byId.get(mspId);
  }

  /** Fabric's IsWellFormed by the identity's MSP; throws MSP_IDENTITY_MALFORMED / MSP_IDENTITY_UNKNOWN_MSP. */
  checkWellFormed(serialized: Uint8Array): void {
    const sid = decodeSerializedIdentity(serialized);
    const m = this.mspFor(sid.mspid);
    m.checkWellFormed(sid);
  }

  private mspFor(mspId: string): MSP {
    const m = this.byId.get(mspId);
    if (!m) throw new IdentityError(MSPErrorCode.IDENTITY_UNKNOWN_MSP, `MSP ${mspId} is unknown`, { mspId });
    return m;
  }

  deserializeIdentity(serialized: Uint8Array): Identity {
    const key = rawKey(serialized);
    const hit = this.cache.get(key);
    if (hit) return hit;
    const sid = decodeSerializedIdentity(serialized);
    const m = this.mspFor(sid.mspid);
    const identity = m.deserializeIdentity(serialized);
    if (this.cache.size >= this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, identity);
    return identity;
  }
}
