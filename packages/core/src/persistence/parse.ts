// Install packages as `peer lifecycle chaincode package` writes them (Fabric's ChaincodePackageParser):
// a gzipped tar with metadata.json ({type, path, label}) and code.tar.gz. The tar reading is
// chaincode/'s; here the checks and wording Fabric applies at install time.
import { gunzipSync } from 'node:zlib';
import { ChaincodeError, parseChaincodePackage } from '../chaincode/index.js';
import { PERSISTENCE_ERRORS, PersistenceError } from './errors.js';
import { errorMessage } from '../errors/index.js';

export interface ChaincodePackageMetadata {
  type: string;
  path: string;
  label: string;
}

export interface ParsedInstallPackage {
  metadata: ChaincodePackageMetadata;
  /** metadata.json as found in the package. */
  metadataJson: Uint8Array;
  /** code.tar.gz as found in the package. */
  codePackage: Uint8Array;
}

/** Fabric's persistence.LabelRegexp (`^[[:alnum:]][[:alnum:]_.+-]*$`, ASCII classes as in Go). */
export const LABEL_REGEXP = /^[A-Za-z0-9][A-Za-z0-9_.+-]*$/;

export function validateLabel(label: string): void {
  if (!LABEL_REGEXP.test(label)) {
    throw new PersistenceError(PERSISTENCE_ERRORS.BAD_PACKAGE, {
      reason: `invalid label '${label}'. Label must be non-empty, can only consist of alphanumerics, symbols from '.+-_', and can only begin with alphanumerics`,
    });
  }
}

const bad = (reason: string): PersistenceError =>
  new PersistenceError(PERSISTENCE_ERRORS.BAD_PACKAGE, { reason });

/** Parses and validates an install package; throws PERSISTENCE_BAD_PACKAGE with Fabric's reason. */
export async function parseInstallPackage(bytes: Uint8Array): Promise<ParsedInstallPackage> {
  let parsed;
  try {
    parsed = await parseChaincodePackage(bytes);
  } catch (err) {
    // chaincode/ words its reasons as Fabric does; keep the reason, drop its "chaincode package x:" prefix.
    if (err instanceof ChaincodeError) throw bad(String(err.args.reason ?? err.message));
    throw bad(errorMessage(err));
  }
  // Fabric refuses a package without code.tar.gz (an empty gzip stream cannot be a code package either).
  if (parsed.codeTarGz.length === 0) throw bad('did not find a code package inside the package');
  const md = parsed.metadata;
  validateLabel(md.label);
  // Fabric reads code.tar.gz for statedb artifacts at install: a code package that is no gzip stream fails there.
  try {
    gunzipSync(parsed.codeTarGz);
  } catch (err) {
    const gz = parsed.codeTarGz[0] === 0x1f && parsed.codeTarGz[1] === 0x8b;
    throw bad(
      `error retrieving DB artifacts from code package: ${gz ? String((err as Error).message) : 'gzip: invalid header'}`,
    );
  }
  return {
    metadata: { type: md.type, path: md.path ?? '', label: md.label },
    metadataJson: parsed.metadataJson,
    codePackage: parsed.codeTarGz,
  };
}
