// Legacy (lscc) installed packages: ChaincodeDeploymentSpec bytes kept as `<name>.<version>` under
// peer.fileSystemPath/chaincodes (Fabric's chaincodeInstallPath), or in memory.
import { mkdir, readFile, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { protos } from '@fabric-peer/protos';
import { cdsFingerprint } from './chaincodedata.js';

export interface LegacyPackage {
  cds: protos.ChaincodeDeploymentSpec;
  bytes: Uint8Array;
  /** The fingerprint (Fabric's ccpack.GetId()). */
  id: Uint8Array;
  data: Uint8Array;
}

export interface LegacyPackageStore {
  /** Stores a package; throws when `<name>.<version>` exists (Fabric's "chaincode <path> exists"). */
  put(bytes: Uint8Array): Promise<LegacyPackage>;
  /** By `name:version`; undefined when not installed. */
  get(nameVersion: string): Promise<LegacyPackage | undefined>;
  /** Installed packages in file-name order (getinstalledchaincodes). */
  list(): Promise<LegacyPackage[]>;
}

/** Parses CDS bytes (Fabric's CDSPackage.InitFromBuffer). */
export function legacyPackage(bytes: Uint8Array): LegacyPackage {
  let cds: protos.ChaincodeDeploymentSpec;
  try {
    cds = protos.ChaincodeDeploymentSpec.decode(bytes);
  } catch {
    throw new Error('failed to unmarshal deployment spec from bytes');
  }
  return { cds, bytes, ...cdsFingerprint(cds) };
}

const fileName = (cds: protos.ChaincodeDeploymentSpec): string =>
  `${cds.chaincodeSpec?.chaincodeId?.name ?? ''}.${cds.chaincodeSpec?.chaincodeId?.version ?? ''}`;

/** The package, if its spec names what the file name says (Fabric skips files renamed on disk). */
const matching = (name: string, bytes: Uint8Array): LegacyPackage | undefined => {
  try {
    const p = legacyPackage(bytes);
    return fileName(p.cds) === name ? p : undefined;
  } catch {
    return undefined;
  }
};

export class FileLegacyPackageStore implements LegacyPackageStore {
  constructor(readonly path: string) {}

  async put(bytes: Uint8Array): Promise<LegacyPackage> {
    const p = legacyPackage(bytes);
    const file = join(this.path, fileName(p.cds));
    const exists = await stat(file).then(
      () => true,
      () => false,
    );
    if (exists) throw new Error(`chaincode ${file} exists`);
    await mkdir(this.path, { recursive: true });
    await writeFile(`${file}.tmp`, bytes, { mode: 0o644 });
    await rename(`${file}.tmp`, file);
    return p;
  }

  async get(nameVersion: string): Promise<LegacyPackage | undefined> {
    const name = nameVersion.replaceAll(':', '.');
    try {
      return matching(name, await readFile(join(this.path, name)));
    } catch {
      return undefined;
    }
  }

  async list(): Promise<LegacyPackage[]> {
    let names: string[];
    try {
      names = await readdir(this.path);
    } catch {
      return [];
    }
    const out: LegacyPackage[] = [];
    for (const n of names.sort()) {
      // Fabric splits the file name at its first '.' (name.version); anything else is not a package.
      if (!n.includes('.') || n.endsWith('.tmp')) continue;
      const p = await this.get(n);
      if (p) out.push(p);
    }
    return out;
  }
}

export class MemoryLegacyPackageStore implements LegacyPackageStore {
  private readonly packages = new Map<string, Uint8Array>();

  async put(bytes: Uint8Array): Promise<LegacyPackage> {
    const p = legacyPackage(bytes);
    const name = fileName(p.cds);
    if (this.packages.has(name)) throw new Error(`chaincode ${name} exists`);
    this.packages.set(name, Uint8Array.from(bytes));
    return p;
  }

  async get(nameVersion: string): Promise<LegacyPackage | undefined> {
    const name = nameVersion.replaceAll(':', '.');
    const b = this.packages.get(name);
    return b === undefined ? undefined : matching(name, b);
  }

  async list(): Promise<LegacyPackage[]> {
    return [...this.packages.keys()].sort().map((n) => legacyPackage(this.packages.get(n)!));
  }
}
