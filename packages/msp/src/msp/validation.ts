// Fabric's validateIdentity for X.509 identities, the part that does not depend on the clock:
// not a CA, issued by a leaf CA of the MSP, not revoked, OUs as configured, exactly one NodeOU.
import type { msp } from '@fabric-peer/protos';
import { IdentityError, MSPErrorCode, errorMessage } from '../errors.js';
import { encodeSignature, parseSignature } from '../crypto/signature.js';
import { Certificate } from '../x509/certificate.js';
import type { Identity } from '../identity/identity.js';
import { type TrustState, rawKey } from './setup.js';

export function validateIdentity(mspId: string, trust: TrustState, identity: Identity): IdentityError | null {
  const err = (code: (typeof MSPErrorCode)[keyof typeof MSPErrorCode], message: string): IdentityError =>
    new IdentityError(code, `MSP ${mspId}: ${message}`, { mspId: mspId });
  const cert = identity.certificate;
  if (cert.basicConstraintsValid && cert.isCA) {
    return err(
      MSPErrorCode.IDENTITY_IS_CA,
      'an X509 certificate with Basic Constraint: Certificate Authority equals true cannot be used as an identity',
    );
  }
  const chain = identity.chain;
  if (chain.length < 2)
    return err(
      MSPErrorCode.IDENTITY_INVALID_CHAIN,
      `expected a chain of length at least 2, got ${chain.length}`,
    );
  const parent = chain[1]!;
  if (trust.internalNodes.has(rawKey(parent.raw))) {
    return err(
      MSPErrorCode.IDENTITY_INVALID_CHAIN,
      'invalid validation chain: parent certificate should be a leaf of the certification tree',
    );
  }
  // Revocation: a CRL whose AKI is the issuing CA's SKI, signed by that CA, listing the serial.
  const ski = parent.subjectKeyId;
  if (!ski)
    return err(
      MSPErrorCode.IDENTITY_INVALID_CHAIN,
      'could not obtain Subject Key Identifier for signer cert',
    );
  for (const crl of trust.crls) {
    if (!crl.authorityKeyId || !Buffer.from(crl.authorityKeyId).equals(Buffer.from(ski))) continue;
    if (crl.revokedSerials.has(cert.serialNumber) && crl.isSignedBy(parent)) {
      return err(
        MSPErrorCode.IDENTITY_REVOKED,
        `the certificate CN=${cert.commonName} (serial ${cert.serialNumber}) has been revoked`,
      );
    }
  }
  return checkOUs(mspId, trust, identity, err);
}

function checkOUs(
  mspId: string,
  trust: TrustState,
  identity: Identity,
  err: (code: MSPErrorCode, message: string) => IdentityError,
): IdentityError | null {
  const ous = identity.organizationalUnits;
  const { ouIdentifiers, nodeOUs } = trust;
  if (ouIdentifiers.size > 0) {
    const found = ous.some((ou) =>
      ouIdentifiers
        .get(ou.organizationalUnitIdentifier)
        ?.has(Buffer.from(ou.certifiersIdentifier).toString('hex')),
    );
    if (!found) {
      return ous.length === 0
        ? err(
            MSPErrorCode.IDENTITY_OU_INVALID,
            'the identity certificate does not contain an Organizational Unit (OU)',
          )
        : err(
            MSPErrorCode.IDENTITY_OU_INVALID,
            `none of the identity's organizational units [${ous.map((o) => o.organizationalUnitIdentifier).join(', ')}] are in MSP ${mspId}`,
          );
    }
  }
  if (!nodeOUs) return null;
  const special = new Map<string, Uint8Array | undefined>();
  for (const n of Object.values(nodeOUs)) special.set(n.organizationalUnitIdentifier, n.certifiersIdentifier);
  let count = 0;
  for (const ou of ous) {
    if (!special.has(ou.organizationalUnitIdentifier)) continue;
    const pinned = special.get(ou.organizationalUnitIdentifier);
    if (pinned && !Buffer.from(pinned).equals(Buffer.from(ou.certifiersIdentifier))) continue; // certifier mismatch: disregarded
    count++;
  }
  if (count === 0) {
    return err(
      MSPErrorCode.IDENTITY_OU_INVALID,
      'the identity does not have an OU that resolves to client, peer, orderer or admin; it must have exactly one',
    );
  }
  if (count > 1) {
    return err(
      MSPErrorCode.IDENTITY_OU_INVALID,
      'the identity must have exactly one of the client, peer, orderer or admin OUs',
    );
  }
  return null;
}

const PEM_BLOCK = /-----BEGIN ([^-\r\n]*)-----\r?\n[\s\S]*?-----END \1-----\r?\n?/;

/** Fabric's IsWellFormed (see MSP.checkWellFormed). */
export function checkWellFormed(sid: msp.SerializedIdentity): void {
  const fail = (message: string, cause?: unknown): never => {
    throw new IdentityError(MSPErrorCode.IDENTITY_MALFORMED, `identity for MSP ${sid.mspid}: ${message}`, {
      cause,
      mspId: sid.mspid,
    });
  };
  const text = Buffer.from(sid.idBytes).toString('latin1');
  const m = PEM_BLOCK.exec(text);
  if (!m) return fail('PEM decoding resulted in an empty block');
  if (text.slice(m.index + m[0].length).length > 0) fail('has trailing bytes');
  if (m[1] !== 'CERTIFICATE' && m[1] !== '') fail(`pem type is ${m[1]}, should be 'CERTIFICATE' or missing`);
  let cert: Certificate;
  try {
    cert = Certificate.fromPem(text);
  } catch (err) {
    return fail(errorMessage(err), err);
  }
  if (!cert.isEcdsaSigned) return;
  try {
    if (!Buffer.from(encodeSignature(parseSignature(cert.signature))).equals(Buffer.from(cert.signature)))
      fail('has a non canonical signature');
  } catch (err) {
    if (err instanceof IdentityError) throw err;
    fail('has a non canonical signature', err);
  }
}
