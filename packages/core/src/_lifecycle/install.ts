// _lifecycle's channel-less functions on the installed package store (Fabric's ExternalFunctions
// InstallChaincode / GetInstalledChaincodePackage and the cache's installed-chaincode listing, with
// references: which channels' approved definitions use each package).
import { type lifecycle } from '@fabric-peer/protos';
import {
  type ChaincodePackageStore,
  type ParsedInstallPackage,
  PersistenceError,
  parseInstallPackage,
  packageIdFor,
} from '../persistence/index.js';
import { LIFECYCLE_ERRORS, lifecycleError, withMessage } from './errors.js';
import { type LifecycleChannels, packageIdHash, packageReferences } from './resolver.js';

export interface InstallDeps {
  store: ChaincodePackageStore;
  channels: LifecycleChannels;
  mspId: string;
  /** Builds the package (Fabric's ChaincodeBuilder.Build); a failure removes it from the store again. */
  build?: (packageId: string, pkg: ParsedInstallPackage) => Promise<void>;
  /** Package ids built by this process (Fabric's BuildRegistry): installing one again is refused. */
  built: Set<string>;
}

export async function installChaincode(
  deps: InstallDeps,
  input: lifecycle.InstallChaincodeArgs,
): Promise<lifecycle.InstallChaincodeResult> {
  let pkg: ParsedInstallPackage;
  try {
    pkg = await parseInstallPackage(input.chaincodeInstallPackage);
  } catch (err) {
    throw withMessage(err, 'could not parse as a chaincode install package');
  }
  const label = pkg.metadata.label;
  const id = packageIdFor(label, input.chaincodeInstallPackage);
  // Fabric refuses a package this process already built; one found on disk after a restart is rebuilt.
  if (deps.built.has(id))
    throw lifecycleError(
      LIFECYCLE_ERRORS.INSTALL_FAILED,
      `chaincode already successfully installed (package ID '${id}')`,
    );
  let packageId: string;
  try {
    packageId = await deps.store.save(label, input.chaincodeInstallPackage);
  } catch (err) {
    throw withMessage(err, 'could not save cc install package');
  }
  if (deps.build) {
    try {
      await deps.build(packageId, pkg);
    } catch (err) {
      await deps.store.delete(packageId);
      throw withMessage(err, 'could not build chaincode');
    }
  }
  deps.built.add(packageId);
  return { packageId, label };
}

type Refs = Record<string, { chaincodes: { name: string; version: string }[] }>;

async function referencesByHash(deps: InstallDeps): Promise<Map<string, Refs>> {
  const out = new Map<string, Refs>();
  for (const [hash, byChannel] of await packageReferences(deps)) {
    const refs: Refs = {};
    for (const [ch, chaincodes] of byChannel) refs[ch] = { chaincodes };
    out.set(hash, refs);
  }
  return out;
}

export async function queryInstalledChaincode(
  deps: InstallDeps,
  input: lifecycle.QueryInstalledChaincodeArgs,
): Promise<lifecycle.QueryInstalledChaincodeResult> {
  const installed = (await deps.store.listInstalledChaincodes()).find((p) => p.packageId === input.packageId);
  if (installed === undefined)
    throw lifecycleError(
      LIFECYCLE_ERRORS.NOT_INSTALLED,
      `could not find chaincode with package id '${input.packageId}'`,
    );
  const refs = (await referencesByHash(deps)).get(packageIdHash(installed.packageId)) ?? {};
  return { packageId: installed.packageId, label: installed.label, references: refs };
}

export async function queryInstalledChaincodes(
  deps: InstallDeps,
): Promise<lifecycle.QueryInstalledChaincodesResult> {
  const refs = await referencesByHash(deps);
  return {
    installedChaincodes: (await deps.store.listInstalledChaincodes()).map((p) => ({
      packageId: p.packageId,
      label: p.label,
      references: refs.get(packageIdHash(p.packageId)) ?? {},
    })),
  };
}

export async function getInstalledChaincodePackage(
  deps: InstallDeps,
  input: lifecycle.GetInstalledChaincodePackageArgs,
): Promise<lifecycle.GetInstalledChaincodePackageResult> {
  try {
    return { chaincodeInstallPackage: await deps.store.loadOrThrow(input.packageId) };
  } catch (err) {
    if (err instanceof PersistenceError) throw withMessage(err, 'could not load cc install package');
    throw err;
  }
}
