// Chaincode packages as `peer lifecycle chaincode package` writes them: a .tar.gz holding
// metadata.json ({type, label, path}) and code.tar.gz. The package id is label + ":" + the hex
// SHA-256 of the whole file; installed packages are kept as <label>.<hash>.tar.gz (Fabric's
// persistence store). Reading uses node-tar, which knows every header variant Go's archive/tar writes.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Parser, x as extract, type ReadEntry } from 'tar';
import { protos } from '@fabric-peer/protos';
import { CHAINCODE_ERRORS, ChaincodeError, messageOf } from './errors.js';

export interface ChaincodePackageMetadata {
  /** "ccaas", "node", "golang", "java", "external"... as written (compare case-insensitively). */
  type: string;
  label: string;
  path?: string;
}

export interface ChaincodePackage {
  packageId: string;
  metadata: ChaincodePackageMetadata;
  /** metadata.json as found in the package (handed to external builders untouched). */
  metadataJson: Buffer;
  codeTarGz: Buffer;
}

const LABEL = /^[A-Za-z0-9][A-Za-z0-9_.+-]*$/;

export function packageIdOf(label: string, packageBytes: Uint8Array): string {
  return `${label}:${createHash('sha256').update(packageBytes).digest('hex')}`;
}

/** Reads the entries of a (gzipped) tar held in memory. */
async function readTar(bytes: Uint8Array, onEntry: (e: ReadEntry, data: Buffer) => void): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const parser = new Parser({
      strict: true,
      onReadEntry: (entry: ReadEntry) => {
        const chunks: Buffer[] = [];
        entry.on('data', (c: Buffer) => chunks.push(c));
        entry.on('end', () => {
          try {
            onEntry(entry, Buffer.concat(chunks));
          } catch (err) {
            reject(err);
          }
        });
      },
    });
    parser.on('error', reject);
    parser.on('end', () => resolve());
    parser.on('close', () => resolve());
    parser.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });
}

/** Parses a lifecycle package; `packageId` defaults to the one its label and bytes give. */
export async function parseChaincodePackage(
  bytes: Uint8Array,
  packageId?: string,
): Promise<ChaincodePackage> {
  let metadataJson: Buffer | undefined;
  let codeTarGz: Buffer | undefined;
  const bad = (reason: string): ChaincodeError =>
    new ChaincodeError(CHAINCODE_ERRORS.BAD_PACKAGE, { packageId: packageId ?? '(new)', reason });
  try {
    await readTar(bytes, (entry, data) => {
      if (entry.type !== 'File' && entry.type !== 'OldFile') return;
      if (entry.path === 'metadata.json') metadataJson = data;
      else if (entry.path === 'code.tar.gz') codeTarGz = data;
      else throw bad(`found unexpected file '${entry.path}' in package`);
    });
  } catch (err) {
    if (err instanceof ChaincodeError) throw err;
    throw bad(`not a gzipped tar: ${messageOf(err)}`);
  }
  if (!metadataJson) throw bad('did not find any package metadata (missing metadata.json)');
  let metadata: ChaincodePackageMetadata;
  try {
    metadata = JSON.parse(metadataJson.toString('utf8')) as ChaincodePackageMetadata;
  } catch (err) {
    throw bad(`could not unmarshal metadata.json: ${messageOf(err)}`);
  }
  if (typeof metadata.label !== 'string' || !LABEL.test(metadata.label)) {
    throw bad(
      `invalid label '${String(metadata.label)}'. Label must be non-empty, can only consist of alphanumerics, symbols from '.+-_', and can only begin with alphanumerics`,
    );
  }
  if (typeof metadata.type !== 'string') throw bad('metadata.json has no type');
  return {
    packageId: packageId ?? packageIdOf(metadata.label, bytes),
    metadata,
    metadataJson,
    codeTarGz: codeTarGz ?? Buffer.alloc(0),
  };
}

/** ChaincodeSpec.Type as a package's metadata names it (Fabric's platform names, lower case). */
const SPEC_TYPES: Partial<Record<protos.ChaincodeSpec_Type, string>> = {
  [protos.ChaincodeSpec_Type.GOLANG]: 'golang',
  [protos.ChaincodeSpec_Type.NODE]: 'node',
  [protos.ChaincodeSpec_Type.CAR]: 'car',
  [protos.ChaincodeSpec_Type.JAVA]: 'java',
};

/**
 * A legacy (lscc) package - a ChaincodeDeploymentSpec, whose code package is the same code.tar.gz a
 * lifecycle package holds (sources under src/) - seen as a lifecycle package, so that every launcher
 * runs it unchanged. Its id is Fabric 1.x's `name:version`.
 */
export function packageFromDeploymentSpec(
  packageId: string,
  cds: protos.ChaincodeDeploymentSpec,
): ChaincodePackage {
  const spec = cds.chaincodeSpec;
  const type = SPEC_TYPES[spec?.type ?? protos.ChaincodeSpec_Type.UNDEFINED] ?? 'undefined';
  const metadata: ChaincodePackageMetadata = {
    type,
    label: packageId.replace(/[^A-Za-z0-9_.+-]/g, '_'),
    path: spec?.chaincodeId?.path ?? '',
  };
  return {
    packageId,
    metadata,
    metadataJson: Buffer.from(JSON.stringify(metadata)),
    codeTarGz: Buffer.from(cds.codePackage),
  };
}

/** Reads one file of code.tar.gz (e.g. connection.json of a ccaas package). */
export async function readCodeFile(pkg: ChaincodePackage, path: string): Promise<Buffer | undefined> {
  let found: Buffer | undefined;
  await readTar(pkg.codeTarGz, (entry, data) => {
    if (entry.path.replace(/^\.\//, '') === path) found = data;
  });
  return found;
}

/**
 * Unpacks code.tar.gz into `dir`. As Fabric requires, only regular files and directories, and no
 * entry may land outside `dir` (node-tar refuses absolute paths and `..` in strict mode).
 */
export async function extractCode(pkg: ChaincodePackage, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  if (pkg.codeTarGz.length === 0) return;
  let illegal: string | undefined;
  const tmp = join(dir, `.code-${process.pid}-${Date.now()}.tar.gz`);
  await writeFile(tmp, pkg.codeTarGz);
  try {
    await extract({
      file: tmp,
      cwd: dir,
      strict: true,
      preservePaths: false,
      filter: (path, entry) => {
        const type = (entry as ReadEntry).type;
        if (type !== 'File' && type !== 'OldFile' && type !== 'Directory')
          illegal ??= `illegal file mode in ${path}`;
        return illegal === undefined;
      },
    });
  } catch (err) {
    throw new ChaincodeError(CHAINCODE_ERRORS.BAD_PACKAGE, {
      packageId: pkg.packageId,
      reason: messageOf(err),
    });
  } finally {
    await rm(tmp, { force: true });
  }
  if (illegal)
    throw new ChaincodeError(CHAINCODE_ERRORS.BAD_PACKAGE, { packageId: pkg.packageId, reason: illegal });
}

/** Where installed packages are found by package id. */
export interface PackageStore {
  /** The package's bytes, or undefined when it is not installed. */
  load(packageId: string): Promise<Uint8Array | undefined>;
}

/** Fabric's file name for a package id: the first ':' becomes '.'. */
export const packageFileName = (packageId: string): string => `${packageId.replace(':', '.')}.tar.gz`;

/** Installed packages in a folder, named as Fabric names them (peer.fileSystemPath/lifecycle/chaincodes). */
export class FilePackageStore implements PackageStore {
  constructor(readonly dir: string) {}

  async load(packageId: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(join(this.dir, packageFileName(packageId)));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  /** Stores a package (written aside, then renamed, so a reader never sees half a file). */
  async save(bytes: Uint8Array): Promise<string> {
    const { packageId } = await parseChaincodePackage(bytes);
    await mkdir(this.dir, { recursive: true });
    const file = join(this.dir, packageFileName(packageId));
    await writeFile(`${file}.tmp`, bytes);
    await rename(`${file}.tmp`, file);
    return packageId;
  }

  async list(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    return names
      .filter((n) => n.endsWith('.tar.gz'))
      .map((n) => n.slice(0, -'.tar.gz'.length))
      .map((n) => {
        const dot = n.lastIndexOf('.');
        return dot < 0 ? n : `${n.slice(0, dot)}:${n.slice(dot + 1)}`;
      });
  }
}

/** Packages held in memory (in-memory peers, tests). */
export class MemoryPackageStore implements PackageStore {
  private readonly packages = new Map<string, Uint8Array>();

  async load(packageId: string): Promise<Uint8Array | undefined> {
    return this.packages.get(packageId);
  }

  async save(bytes: Uint8Array): Promise<string> {
    const { packageId } = await parseChaincodePackage(bytes);
    this.packages.set(packageId, bytes);
    return packageId;
  }
}
