// Certification chains the way Go's x509.Verify builds them for Fabric's MSP: parents found by
// subject (and key identifier), checked by signature, every certificate valid at the given time,
// intermediates must be CAs, and (because Fabric passes no KeyUsages, so Go asks for serverAuth)
// any certificate that lists extended key usages must allow serverAuth or any.
import { IdentityError, MSPErrorCode } from '../errors.js';
import { type Certificate, OID } from '../x509/certificate.js';

const MAX_DEPTH = 10;

function bytesKey(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
}

export class CertPool {
  private readonly bySubject = new Map<string, Certificate[]>();
  private readonly byRaw = new Set<string>();

  constructor(certs: readonly Certificate[] = []) {
    for (const c of certs) this.add(c);
  }

  add(cert: Certificate): void {
    const key = bytesKey(cert.subjectRaw);
    const list = this.bySubject.get(key);
    if (list) list.push(cert);
    else this.bySubject.set(key, [cert]);
    this.byRaw.add(bytesKey(cert.raw));
  }

  contains(cert: Certificate): boolean {
    return this.byRaw.has(bytesKey(cert.raw));
  }

  /** Candidates whose subject is `cert`'s issuer, skipping those whose SKI contradicts its AKI. */
  parentsOf(cert: Certificate): Certificate[] {
    const list = this.bySubject.get(bytesKey(cert.issuerRaw));
    if (!list) return [];
    const aki = cert.authorityKeyId;
    if (!aki) return list;
    return list.filter((p) => !p.subjectKeyId || Buffer.from(p.subjectKeyId).equals(Buffer.from(aki)));
  }
}

function validAt(cert: Certificate, at: number): boolean {
  return cert.notBefore.getTime() <= at && at <= cert.notAfter.getTime();
}

function allowsServerAuth(cert: Certificate): boolean {
  const eku = cert.extKeyUsage;
  return eku.length === 0 || eku.includes(OID.ekuAny) || eku.includes(OID.ekuServerAuth);
}

/**
 * Every chain [cert, ..., root] valid at `at` (ms since epoch). Fabric validates at
 * cert.notBefore + 1s, i.e. independently of the wall clock (FAB-3678).
 */
export function buildChains(
  cert: Certificate,
  roots: CertPool,
  intermediates: CertPool,
  at: number,
): Certificate[][] {
  if (!validAt(cert, at)) return [];
  if (roots.contains(cert)) return [[cert]];
  const out: Certificate[][] = [];
  const walk = (chain: Certificate[]): void => {
    const tip = chain[chain.length - 1]!;
    if (chain.length > MAX_DEPTH) return;
    for (const root of roots.parentsOf(tip)) {
      if (validAt(root, at) && tip.isSignedBy(root)) out.push([...chain, root]);
    }
    for (const mid of intermediates.parentsOf(tip)) {
      if (chain.includes(mid) || !mid.basicConstraintsValid || !mid.isCA || !validAt(mid, at)) continue;
      // path length: the number of intermediates below `mid`
      if (mid.maxPathLen !== undefined && chain.length - 1 > mid.maxPathLen) continue;
      if (tip.isSignedBy(mid)) walk([...chain, mid]);
    }
  };
  walk([cert]);
  return out;
}

/** The one chain Fabric accepts, or a typed error saying why not. */
export function uniqueChain(
  cert: Certificate,
  roots: CertPool,
  intermediates: CertPool,
  mspId: string,
): Certificate[] {
  const at = cert.notBefore.getTime() + 1000;
  const all = buildChains(cert, roots, intermediates, at);
  const chains = all.filter((c) => c.every(allowsServerAuth));
  if (all.length > 0 && chains.length === 0) {
    throw new IdentityError(
      MSPErrorCode.IDENTITY_INVALID_CHAIN,
      'the supplied identity is not valid: certificate specifies an incompatible key usage',
      {
        mspId,
      },
    );
  }
  if (chains.length === 1) return chains[0]!;
  if (chains.length > 1) {
    throw new IdentityError(
      MSPErrorCode.IDENTITY_INVALID_CHAIN,
      `this MSP only supports a single validation chain, got ${chains.length}`,
      {
        mspId,
      },
    );
  }
  throw new IdentityError(
    MSPErrorCode.IDENTITY_UNKNOWN_AUTHORITY,
    `the supplied identity is not valid: certificate signed by unknown authority (subject CN=${cert.commonName}, MSP ${mspId})`,
    { mspId },
  );
}
