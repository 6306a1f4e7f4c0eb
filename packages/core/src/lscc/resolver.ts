// Which installed legacy package runs an lscc-defined chaincode (Fabric 1.x's ccprovider lookup and
// its fingerprint check at launch): the ChaincodeData under <name> in namespace `lscc` names the
// version; the package installed as <name>.<version> runs it under the id `name:version`, provided it
// is the very package the definition was made from (same CDS data as the ChaincodeData records).
import type { QueryExecutor } from '@fabric-peer/ledger';
import { type ChaincodeData, decodeChaincodeData } from './chaincodedata.js';
import { LSCC_NAMESPACE } from './deploy.js';
import { LSCC_ERRORS, LsccError } from './errors.js';
import type { LegacyPackage, LegacyPackageStore } from './store.js';

/** What the resolver reads state through: a TxSimulator or QueryExecutor (getState is all it needs). */
export interface LegacyStateReader {
  getState(ns: string, key: string): Promise<Uint8Array | undefined>;
}

export interface LegacyResolverChannels {
  getChannel(id: string): { readonly ledger: { newQueryExecutor(): Promise<QueryExecutor> } } | undefined;
}

export interface LegacyResolution {
  /** Fabric 1.x's chaincode id: `name:version`. */
  packageId: string;
  definition: ChaincodeData;
  /** The installed package; undefined when this peer does not have it. */
  installed: LegacyPackage | undefined;
}

/** The ChaincodeData of `name`, read through `reader`; undefined when lscc does not define it. */
export async function legacyChaincodeData(
  reader: LegacyStateReader,
  name: string,
): Promise<ChaincodeData | undefined> {
  const bytes = await reader.getState(LSCC_NAMESPACE, name);
  if (bytes === undefined || bytes.length === 0) return undefined;
  const cd = decodeChaincodeData(bytes);
  return cd.name === name ? cd : undefined;
}

export class LegacyResolver {
  /** Installed packages by name:version (an installed package never changes: lscc has no uninstall). */
  private readonly installed = new Map<string, LegacyPackage>();

  constructor(
    private readonly o: {
      channels: LegacyResolverChannels;
      store: LegacyPackageStore;
    },
  ) {}

  /** The package installed as `name:version` (cached once found). */
  async package(nameVersion: string): Promise<LegacyPackage | undefined> {
    const hit = this.installed.get(nameVersion);
    if (hit) return hit;
    const p = await this.o.store.get(nameVersion);
    if (p) this.installed.set(nameVersion, p);
    return p;
  }

  /**
   * `name`'s lscc definition on `channelId` and the package that runs it; undefined when lscc does not
   * define `name` there. Read through `reader` (the transaction's simulator) when given, so the read is
   * part of the transaction as in Fabric; else through a query executor of the channel's ledger.
   */
  async resolve(
    channelId: string,
    name: string,
    reader?: LegacyStateReader,
  ): Promise<LegacyResolution | undefined> {
    if (name === LSCC_NAMESPACE) return undefined;
    let cd: ChaincodeData | undefined;
    if (reader) cd = await legacyChaincodeData(reader, name);
    else {
      const ch = this.o.channels.getChannel(channelId);
      if (ch === undefined) return undefined;
      const qe = await ch.ledger.newQueryExecutor();
      try {
        cd = await legacyChaincodeData(qe, name);
      } finally {
        await qe.done();
      }
    }
    if (cd === undefined) return undefined;
    const packageId = `${cd.name}:${cd.version}`;
    return { packageId, definition: cd, installed: await this.package(packageId) };
  }

  /**
   * The package id to launch for `name` on `channelId`, or undefined when lscc does not define it.
   * Throws Fabric's errors when the package is not installed or is not the one the definition names.
   */
  async packageIdFor(
    channelId: string,
    name: string,
    reader?: LegacyStateReader,
  ): Promise<{ packageId: string } | undefined> {
    const r = await this.resolve(channelId, name, reader);
    if (r === undefined) return undefined;
    if (r.installed === undefined)
      throw new LsccError(LSCC_ERRORS.FAILED, {
        reason: `cannot get package for chaincode (${r.packageId}): it is not installed on this peer`,
      });
    if (!Buffer.from(r.installed.data).equals(Buffer.from(r.definition.data)))
      throw new LsccError(LSCC_ERRORS.FINGERPRINT_MISMATCH, {
        reason: `data mismatch for chaincode ${r.packageId}`,
      });
    return { packageId: r.packageId };
  }
}
