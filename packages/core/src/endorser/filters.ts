// Fabric's built-in auth filters (peer.handlers.authFilters): DefaultAuth (no-op here: the endorser
// validates everything itself) and ExpirationCheck, which refuses a proposal whose creator's
// certificate has expired before the endorser spends any work on it.
import { X509Certificate } from 'node:crypto';
import { common, msp, protos } from '@fabric-peer/protos';
import { ENDORSER_ERRORS, EndorserError } from './errors.js';
import type { AuthFilter } from './types.js';

// NotAfter by creator certificate bytes: parsing X.509 on every proposal cost more than the
// endorser's signature check. Bounded; clients are few and reuse their certificates.
const notAfterByCert = new Map<string, number>();
const NOT_AFTER_CACHE_SIZE = 1024;

function notAfterOf(cert: Uint8Array): number {
  const key = Buffer.from(cert.buffer, cert.byteOffset, cert.byteLength).toString('latin1');
  let t = notAfterByCert.get(key);
  if (t === undefined) {
    t = new Date(new X509Certificate(Buffer.from(cert)).validTo).getTime();
    notAfterByCert.set(key, t);
    if (notAfterByCert.size > NOT_AFTER_CACHE_SIZE)
      notAfterByCert.delete(notAfterByCert.keys().next().value!);
  }
  return t;
}

/** The creator certificate's NotAfter, or undefined when there is none to read (the endorser refuses those later). */
export function creatorExpiresAt(sp: protos.SignedProposal): Date | undefined {
  try {
    const prop = protos.Proposal.decode(sp.proposalBytes);
    const sh = common.SignatureHeader.decode(common.Header.decode(prop.header).signatureHeader);
    const id = msp.SerializedIdentity.decode(sh.creator);
    return new Date(notAfterOf(id.idBytes));
  } catch {
    return undefined;
  }
}

export function expirationCheckFilter(now: () => number = Date.now): AuthFilter {
  return (sp) => {
    const expires = creatorExpiresAt(sp);
    if (expires !== undefined && now() > expires.getTime()) {
      throw new EndorserError(ENDORSER_ERRORS.EXPIRED, {});
    }
  };
}

/** peer.handlers.authFilters by name (Fabric's DefaultAuth, ExpirationCheck); unknown names are refused. */
export function authFiltersFromConfig(names: readonly string[], now?: () => number): AuthFilter[] {
  const out: AuthFilter[] = [];
  for (const name of names) {
    if (name === 'DefaultAuth') continue;
    if (name === 'ExpirationCheck') out.push(expirationCheckFilter(now));
    else throw new Error(`auth filter ${name} is not built in (plugins from libraries are not supported)`);
  }
  return out;
}
