// Turning a FabricMSPConfig into the trust state of an MSP, in Fabric's order (setupV142):
// crypto config, CAs (sanitized), admins, CRLs, CA checks, OUs, TLS CAs, NodeOUs.
import { createHash } from 'node:crypto';
import type { msp } from '@fabric-peer/protos';
import { MSPConfigError, MSPErrorCode, errorMessage } from '../errors.js';
import type { HashAlgorithm } from '../crypto/keys.js';
import { Certificate } from '../x509/certificate.js';
import { CRL } from '../x509/crl.js';
import { sanitizeCertificate } from '../x509/sanitize.js';
import { CertPool, buildChains } from './chain.js';

export type NodeRole = 'client' | 'peer' | 'admin' | 'orderer';

export interface NodeOUIdentifier {
  readonly organizationalUnitIdentifier: string;
  /** When set, the OU only counts for identities certified by this chain. */
  readonly certifiersIdentifier: Uint8Array | undefined;
}

export interface TrustState {
  readonly signatureHash: HashAlgorithm;
  readonly identityHash: string;
  readonly roots: Certificate[];
  readonly intermediates: Certificate[];
  readonly rootPool: CertPool;
  readonly intermediatePool: CertPool;
  /** Raw (latin1) of CAs that issued another CA in this MSP: identities must not hang off them. */
  readonly internalNodes: Set<string>;
  readonly crls: CRL[];
  /** OrganizationalUnitIdentifiers: OU name -> accepted certifier ids (hex). */
  readonly ouIdentifiers: Map<string, Set<string>>;
  /** Undefined when NodeOUs are off. */
  readonly nodeOUs: Partial<Record<NodeRole, NodeOUIdentifier>> | undefined;
  readonly tlsRoots: Certificate[];
  readonly tlsIntermediates: Certificate[];
}

export function rawKey(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
}

function fail(mspId: string, message: string, cause?: unknown): never {
  throw new MSPConfigError(MSPErrorCode.CONFIG_INVALID, `MSP ${mspId}: ${message}`, { cause, mspId });
}

function parseCerts(mspId: string, what: string, list: readonly Uint8Array[]): Certificate[] {
  return list.map((pem, i) => {
    try {
      return Certificate.fromPem(pem);
    } catch (err) {
      fail(mspId, `${what} ${i} does not parse: ${errorMessage(err)}`, err);
    }
  });
}

export function hashFunctions(
  mspId: string,
  cc: msp.FabricCryptoConfig | undefined,
): { signatureHash: HashAlgorithm; identityHash: string } {
  const family = cc?.signatureHashFamily || 'SHA2';
  const idFn = cc?.identityIdentifierHashFunction || 'SHA256';
  const signatureHash: HashAlgorithm | undefined =
    family === 'SHA2' ? 'sha256' : family === 'SHA3' ? 'sha3-256' : undefined;
  const identityHash = { SHA256: 'sha256', SHA384: 'sha384', SHA3_256: 'sha3-256', SHA3_384: 'sha3-384' }[
    idFn
  ];
  if (!signatureHash) fail(mspId, `unsupported signature hash family ${family}`);
  if (!identityHash) fail(mspId, `unsupported identity identifier hash function ${idFn}`);
  return { signatureHash, identityHash };
}

export function chainIdentifier(hash: string, chain: readonly Certificate[]): Uint8Array {
  const h = createHash(hash);
  for (const c of chain) h.update(c.raw);
  return h.digest();
}

/** The chain of a CA of this MSP (root: itself; intermediate: up to its root). */
function caChain(mspId: string, cert: Certificate, roots: CertPool, intermediates: CertPool): Certificate[] {
  const chains = buildChains(cert, roots, intermediates, cert.notBefore.getTime() + 1000);
  if (chains.length !== 1)
    fail(mspId, `CA certificate CN=${cert.commonName} has ${chains.length} validation chains, expected 1`);
  return chains[0]!;
}

export function setupTrust(config: msp.FabricMSPConfig): TrustState {
  const mspId = config.name;
  if (!mspId) fail('(unnamed)', 'the MSP name is empty');
  const { signatureHash, identityHash } = hashFunctions(mspId, config.cryptoConfig);

  // CAs: parse, then sanitize each against its parent and rebuild the pools with sanitized bytes.
  if (config.rootCerts.length === 0) fail(mspId, 'expected at least one CA certificate');
  const rawRoots = parseCerts(mspId, 'root certificate', config.rootCerts);
  const rawMids = parseCerts(mspId, 'intermediate certificate', config.intermediateCerts);
  for (const c of [...rawRoots, ...rawMids]) {
    if (!c.basicConstraintsValid || !c.isCA)
      fail(mspId, `CA certificate CN=${c.commonName} is not a CA certificate`);
  }
  const rootPool0 = new CertPool(rawRoots);
  const midPool0 = new CertPool(rawMids);
  const roots = rawRoots.map((c) => sanitizeCertificate(c, c));
  const intermediates = rawMids.map((c) => {
    const chain = caChain(mspId, c, rootPool0, midPool0);
    return sanitizeCertificate(c, chain[1] ?? c);
  });
  const rootPool = new CertPool(roots);
  const intermediatePool = new CertPool(intermediates);

  const crls = config.revocationList.map((raw, i) => {
    try {
      return CRL.parse(raw);
    } catch (err) {
      fail(mspId, `CRL ${i} does not parse: ${errorMessage(err)}`, err);
    }
  });

  // Every intermediate must chain; its parents are internal nodes of the certification tree.
  const internalNodes = new Set<string>();
  for (const mid of intermediates) {
    const chain = caChain(mspId, mid, rootPool, intermediatePool);
    if (chain.length < 2) fail(mspId, `intermediate CN=${mid.commonName} does not chain to a root`);
    for (let i = 1; i < chain.length; i++) internalNodes.add(rawKey(chain[i]!.raw));
  }

  const certifiers = (pem: Uint8Array, what: string): Uint8Array => {
    let cert: Certificate;
    try {
      cert = Certificate.fromPem(pem);
    } catch (err) {
      fail(mspId, `${what} certificate does not parse: ${errorMessage(err)}`, err);
    }
    const isRoot = rawRoots.findIndex((r) => Buffer.from(r.raw).equals(Buffer.from(cert.raw)));
    const isMid = rawMids.findIndex((r) => Buffer.from(r.raw).equals(Buffer.from(cert.raw)));
    if (isRoot < 0 && isMid < 0)
      fail(mspId, `${what} certificate [CN=${cert.commonName}] not in root or intermediate certs`);
    const chain =
      isRoot >= 0 ? [roots[isRoot]!] : caChain(mspId, intermediates[isMid]!, rootPool, intermediatePool);
    return chainIdentifier(identityHash, chain);
  };

  const ouIdentifiers = new Map<string, Set<string>>();
  for (const ou of config.organizationalUnitIdentifiers) {
    const id = Buffer.from(
      certifiers(ou.certificate, `OrganizationalUnitIdentifier ${ou.organizationalUnitIdentifier}`),
    ).toString('hex');
    const set = ouIdentifiers.get(ou.organizationalUnitIdentifier) ?? new Set<string>();
    set.add(id);
    ouIdentifiers.set(ou.organizationalUnitIdentifier, set);
  }

  const tlsRoots = parseCerts(mspId, 'TLS root certificate', config.tlsRootCerts);
  const tlsIntermediates = parseCerts(mspId, 'TLS intermediate certificate', config.tlsIntermediateCerts);
  const tlsRootPool = new CertPool(tlsRoots);
  const tlsMidPool = new CertPool(tlsIntermediates);
  for (const c of [...tlsRoots, ...tlsIntermediates]) {
    if (!c.basicConstraintsValid || !c.isCA)
      fail(mspId, `TLS CA certificate CN=${c.commonName} is not a CA certificate`);
    if (buildChains(c, tlsRootPool, tlsMidPool, c.notBefore.getTime() + 1000).length === 0) {
      fail(mspId, `TLS CA certificate CN=${c.commonName} does not chain to a TLS root`);
    }
  }

  let nodeOUs: Partial<Record<NodeRole, NodeOUIdentifier>> | undefined;
  const n = config.fabricNodeOus;
  if (n?.enable) {
    nodeOUs = {};
    const entries: [NodeRole, msp.FabricOUIdentifier | undefined][] = [
      ['client', n.clientOuIdentifier],
      ['peer', n.peerOuIdentifier],
      ['admin', n.adminOuIdentifier],
      ['orderer', n.ordererOuIdentifier],
    ];
    for (const [role, ou] of entries) {
      if (!ou) continue;
      nodeOUs[role] = {
        organizationalUnitIdentifier: ou.organizationalUnitIdentifier,
        certifiersIdentifier:
          ou.certificate.length > 0 ? certifiers(ou.certificate, `NodeOU ${role}`) : undefined,
      };
    }
  }

  return {
    signatureHash,
    identityHash,
    roots,
    intermediates,
    rootPool,
    intermediatePool,
    internalNodes,
    crls,
    ouIdentifiers,
    nodeOUs,
    tlsRoots,
    tlsIntermediates,
  };
}
