// Fabric's built-in auth filters (peer.handlers.authFilters): DefaultAuth (no-op here: the endorser
// validates everything itself) and ExpirationCheck, which refuses a proposal whose creator's
// certificate has expired before the endorser spends any work on it.
import { X509Certificate } from 'node:crypto';
import { common, msp, protos } from '@fabric-peer/protos';
import { ENDORSER_ERRORS, EndorserError } from './errors.js';
import type { AuthFilter } from './types.js';

/** The creator certificate's NotAfter, or undefined when there is none to read (the endorser refuses those later). */
export function creatorExpiresAt(sp: protos.SignedProposal): Date | undefined {
  try {
    const prop = protos.Proposal.decode(sp.proposalBytes);
    const sh = common.SignatureHeader.decode(common.Header.decode(prop.header).signatureHeader);
    const id = msp.SerializedIdentity.decode(sh.creator);
    return new Date(new X509Certificate(Buffer.from(id.idBytes)).validTo);
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
