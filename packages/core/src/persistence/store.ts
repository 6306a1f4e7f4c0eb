// Fabric's chaincode install package store (core/chaincode/persistence.Store): packages kept as
// `<label>.<sha256hex>.tar.gz` under peer.fileSystemPath/lifecycle/chaincodes, or in memory. The
// package id is `label:sha256hex(whole file)`. Also serves as chaincode/'s PackageStore (load by id).
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PERSISTENCE_ERRORS, PersistenceError } from './errors.js';

/** One installed package as the store lists it (Fabric's chaincode.InstalledChaincode). */
export interface InstalledPackage {
  packageId: string;
  label: string;
  /** SHA-256 of the package file. */
  hash: Uint8Array;
}

export const packageIdFor = (label: string, pkg: Uint8Array): string =>
  `${label}:${createHash('sha256').update(pkg).digest('hex')}`;

/** Fabric's CCFileName: the first ':' of the package id becomes '.', plus `.tar.gz`. */
export const packageFileName = (packageId: string): string => `${packageId.replace(':', '.')}.tar.gz`;

const FILE_NAME = /^(.+)[.]([0-9a-f]{64})[.]tar[.]gz$/;

/** The installed package a file name stands for, or undefined when it is not one. */
export function installedPackageFromFileName(fileName: string): InstalledPackage | undefined {
  const m = FILE_NAME.exec(fileName);
  if (!m) return undefined;
  const [, label, hex] = m as unknown as [string, string, string];
  return { packageId: `${label}:${hex}`, label, hash: Buffer.from(hex, 'hex') };
}

export interface ChaincodePackageStore {
  /** Stores the package under its id; storing the same bytes again is a no-op. Returns the id. */
  save(label: string, pkg: Uint8Array): Promise<string>;
  /** The package bytes, or undefined when not installed (chaincode/'s PackageStore contract). */
  load(packageId: string): Promise<Uint8Array | undefined>;
  /** The package bytes; throws PERSISTENCE_PACKAGE_NOT_FOUND (Fabric's CodePackageNotFoundErr). */
  loadOrThrow(packageId: string): Promise<Uint8Array>;
  delete(packageId: string): Promise<void>;
  listInstalledChaincodes(): Promise<InstalledPackage[]>;
}

const notFound = (packageId: string): PersistenceError =>
  new PersistenceError(PERSISTENCE_ERRORS.PACKAGE_NOT_FOUND, { packageId });

export class FileChaincodeStore implements ChaincodePackageStore {
  constructor(readonly path: string) {}

  async save(label: string, pkg: Uint8Array): Promise<string> {
    const packageId = packageIdFor(label, pkg);
    const file = join(this.path, packageFileName(packageId));
    if (await exists(file)) return packageId;
    try {
      await mkdir(this.path, { recursive: true, mode: 0o750 });
      // Written aside, then renamed: a reader never sees half a package.
      // A unique temp name: two concurrent installs of one package must not write the same temp file.
      const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
      await writeFile(tmp, pkg, { mode: 0o600 });
      await rename(tmp, file);
    } catch (err) {
      throw new PersistenceError(
        PERSISTENCE_ERRORS.STORE_FAILED,
        { reason: `error writing chaincode install package to ${file}: ${String((err as Error).message)}` },
        { cause: err },
      );
    }
    return packageId;
  }

  async load(packageId: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(join(this.path, packageFileName(packageId)));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async loadOrThrow(packageId: string): Promise<Uint8Array> {
    const pkg = await this.load(packageId);
    if (pkg === undefined) throw notFound(packageId);
    return pkg;
  }

  async delete(packageId: string): Promise<void> {
    await rm(join(this.path, packageFileName(packageId)), { force: true });
  }

  async listInstalledChaincodes(): Promise<InstalledPackage[]> {
    let names: string[];
    try {
      names = await readdir(this.path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new PersistenceError(
        PERSISTENCE_ERRORS.STORE_FAILED,
        { reason: `error reading chaincode directory at ${this.path}: ${String((err as Error).message)}` },
        { cause: err },
      );
    }
    // readdir order is the file system's; Go's ReadDir sorts by name.
    return names
      .sort()
      .map(installedPackageFromFileName)
      .filter((p) => p !== undefined);
  }
}

export class MemoryChaincodeStore implements ChaincodePackageStore {
  private readonly packages = new Map<string, Uint8Array>();

  async save(label: string, pkg: Uint8Array): Promise<string> {
    const packageId = packageIdFor(label, pkg);
    if (!this.packages.has(packageId)) this.packages.set(packageId, Uint8Array.from(pkg));
    return packageId;
  }

  async load(packageId: string): Promise<Uint8Array | undefined> {
    return this.packages.get(packageId);
  }

  async loadOrThrow(packageId: string): Promise<Uint8Array> {
    const pkg = this.packages.get(packageId);
    if (pkg === undefined) throw notFound(packageId);
    return pkg;
  }

  async delete(packageId: string): Promise<void> {
    this.packages.delete(packageId);
  }

  async listInstalledChaincodes(): Promise<InstalledPackage[]> {
    return [...this.packages.keys()]
      .map((id) => installedPackageFromFileName(packageFileName(id)))
      .filter((p) => p !== undefined)
      .sort((a, b) => (packageFileName(a.packageId) < packageFileName(b.packageId) ? -1 : 1));
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
