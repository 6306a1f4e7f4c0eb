// MSP folders as cryptogen and Fabric CA write them, read the way Fabric's msp.getMspConfig reads
// them (sorted file names, whole PEM files, config.yaml certificate paths relative to the folder),
// so the FabricMSPConfig we produce for a genesis block is byte-identical to configtxgen's.
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { msp } from '@fabric-peer/protos';
import { parse as parseYaml } from 'yaml';
import { MSPConfigError, MSPErrorCode, errorMessage } from '../errors.js';
import { PrivateKey } from '../crypto/keys.js';
import { Certificate } from '../x509/certificate.js';
import { decodePemBlocks } from '../x509/pem.js';

/** config.yaml as Fabric's msp.Configuration reads it (keys are case-sensitive). */
export interface MSPFolderConfiguration {
  OrganizationalUnitIdentifiers?: OUIdentifierConfiguration[];
  NodeOUs?: {
    Enable?: boolean;
    ClientOUIdentifier?: OUIdentifierConfiguration;
    PeerOUIdentifier?: OUIdentifierConfiguration;
    AdminOUIdentifier?: OUIdentifierConfiguration;
    OrdererOUIdentifier?: OUIdentifierConfiguration;
  };
}

export interface OUIdentifierConfiguration {
  Certificate?: string;
  OrganizationalUnitIdentifier?: string;
}

/** A local MSP's signing material: its signcert and the private key found in keystore/. */
export interface SignerMaterial {
  /** The signcert file as read (PEM). */
  readonly certificate: Uint8Array;
  readonly key: PrivateKey;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Every regular file of `dir` holding a PEM block, whole, in name order; undefined if `dir` is absent. */
async function pemFiles(dir: string): Promise<Uint8Array[] | undefined> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new MSPConfigError(MSPErrorCode.FOLDER_INVALID, `cannot read ${dir}: ${errorMessage(err)}`, {
      cause: err,
    });
  }
  const out: Uint8Array[] = [];
  for (const name of names) {
    const path = join(dir, name);
    if ((await stat(path)).isDirectory()) continue;
    const data = await readFile(path);
    if (decodePemBlocks(data).length === 0) continue; // Fabric skips non-PEM files with a warning
    out.push(new Uint8Array(data));
  }
  return out;
}

async function readConfiguration(dir: string): Promise<MSPFolderConfiguration | undefined> {
  const path = join(dir, 'config.yaml');
  if (!(await exists(path))) return undefined;
  try {
    return (parseYaml(await readFile(path, 'utf8')) ?? {}) as MSPFolderConfiguration;
  } catch (err) {
    throw new MSPConfigError(MSPErrorCode.FOLDER_INVALID, `cannot parse ${path}: ${errorMessage(err)}`, {
      cause: err,
    });
  }
}

async function nodeOU(
  dir: string,
  c: OUIdentifierConfiguration | undefined,
): Promise<msp.FabricOUIdentifier | undefined> {
  if (!c?.OrganizationalUnitIdentifier) return undefined;
  let certificate: Uint8Array = new Uint8Array(0);
  if (c.Certificate) {
    // Fabric only warns when a NodeOU certificate cannot be read, and then pins nothing.
    try {
      certificate = new Uint8Array(await readFile(join(dir, c.Certificate)));
    } catch {
      certificate = new Uint8Array(0);
    }
  }
  return { certificate, organizationalUnitIdentifier: c.OrganizationalUnitIdentifier };
}

/**
 * The FabricMSPConfig of an MSP folder without signing identity: what configtxgen puts in a
 * channel's MSP group (Fabric's msp.GetVerifyingMspConfig).
 */
export async function loadVerifyingMSPConfig(dir: string, mspId: string): Promise<msp.FabricMSPConfig> {
  const rootCerts = await pemFiles(join(dir, 'cacerts'));
  if (!rootCerts || rootCerts.length === 0) {
    throw new MSPConfigError(
      MSPErrorCode.FOLDER_INVALID,
      `could not load a valid ca certificate from directory ${join(dir, 'cacerts')}`,
      {
        mspId,
      },
    );
  }
  const admins = (await pemFiles(join(dir, 'admincerts'))) ?? [];
  const intermediateCerts = (await pemFiles(join(dir, 'intermediatecerts'))) ?? [];
  const tlsRootCerts = (await pemFiles(join(dir, 'tlscacerts'))) ?? [];
  // Fabric reads TLS intermediates only when there are TLS roots.
  const tlsIntermediateCerts =
    tlsRootCerts.length > 0 ? ((await pemFiles(join(dir, 'tlsintermediatecerts'))) ?? []) : [];
  const revocationList = (await pemFiles(join(dir, 'crls'))) ?? [];

  const organizationalUnitIdentifiers: msp.FabricOUIdentifier[] = [];
  let fabricNodeOus: msp.FabricNodeOUs | undefined;
  const conf = await readConfiguration(dir);
  if (conf) {
    for (const ou of conf.OrganizationalUnitIdentifiers ?? []) {
      const path = join(dir, ou.Certificate ?? '');
      let certificate: Uint8Array;
      try {
        certificate = new Uint8Array(await readFile(path));
      } catch (err) {
        throw new MSPConfigError(
          MSPErrorCode.FOLDER_INVALID,
          `failed loading OrganizationalUnit certificate at [${path}]`,
          {
            cause: err,
            mspId,
          },
        );
      }
      organizationalUnitIdentifiers.push({
        certificate,
        organizationalUnitIdentifier: ou.OrganizationalUnitIdentifier ?? '',
      });
    }
    const n = conf.NodeOUs;
    if (n?.Enable) {
      fabricNodeOus = {
        enable: true,
        clientOuIdentifier: await nodeOU(dir, n.ClientOUIdentifier),
        peerOuIdentifier: await nodeOU(dir, n.PeerOUIdentifier),
        adminOuIdentifier: await nodeOU(dir, n.AdminOUIdentifier),
        ordererOuIdentifier: await nodeOU(dir, n.OrdererOUIdentifier),
      };
    }
  }

  return {
    name: mspId,
    rootCerts,
    intermediateCerts,
    admins,
    revocationList,
    signingIdentity: undefined,
    organizationalUnitIdentifiers,
    cryptoConfig: { signatureHashFamily: 'SHA2', identityIdentifierHashFunction: 'SHA256' },
    tlsRootCerts,
    tlsIntermediateCerts,
    fabricNodeOus,
  };
}

/** The MSPConfig (type FABRIC) wrapping a folder's verifying FabricMSPConfig, as configtxgen writes it. */
export async function loadMSPConfigBytes(dir: string, mspId: string): Promise<Uint8Array> {
  const config = await loadVerifyingMSPConfig(dir, mspId);
  return msp.MSPConfig.encode({ type: 0, config: msp.FabricMSPConfig.encode(config) });
}

/**
 * The signer of a local MSP folder: the first signcert, and the key in keystore/ whose public
 * key matches it (named `<ski>_sk` by Fabric CA and the BCCSP keystore, `priv_sk` by cryptogen).
 */
export async function loadSignerMaterial(dir: string, mspId: string): Promise<SignerMaterial> {
  const signcerts = await pemFiles(join(dir, 'signcerts'));
  const certificate = signcerts?.[0];
  if (!certificate) {
    throw new MSPConfigError(
      MSPErrorCode.FOLDER_INVALID,
      `could not load a valid signer certificate from directory ${join(dir, 'signcerts')}`,
      {
        mspId,
      },
    );
  }
  const cert = Certificate.fromPem(certificate);
  const pub = cert.publicKey;
  const ski = Buffer.from(pub.ski).toString('hex');
  const keystore = join(dir, 'keystore');
  const named = join(keystore, `${ski}_sk`);
  const candidates: string[] = [];
  if (await exists(named)) candidates.push(named);
  try {
    for (const name of (await readdir(keystore)).sort())
      if (join(keystore, name) !== named) candidates.push(join(keystore, name));
  } catch {
    // no keystore folder: reported below
  }
  for (const path of candidates) {
    let key: PrivateKey;
    try {
      key = PrivateKey.fromPem(await readFile(path, 'utf8'));
    } catch {
      continue;
    }
    if (Buffer.from(key.publicKey.point).equals(Buffer.from(pub.point))) return { certificate, key };
  }
  throw new MSPConfigError(
    MSPErrorCode.KEY_NOT_FOUND,
    `no private key matching the signcert (SKI ${ski}) in ${keystore}`,
    { mspId },
  );
}
