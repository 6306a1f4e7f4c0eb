// Fabric "sanitizes" ECDSA-signed certificates: a high-S signature is replaced by its low-S twin
// and the certificate re-encoded, so the bytes an MSP compares and hashes (admin certs, identity
// ids, certifier ids) are the same whichever of the two valid signatures the CA happened to emit.
import { curveByOid } from '../crypto/curves.js';
import { PublicKey } from '../crypto/keys.js';
import { encodeSignature, isLowS, parseSignature, toLowS } from '../crypto/signature.js';
import { Certificate } from './certificate.js';
import { Tag, encodeTlv } from './der.js';

/** `cert` with a low-S signature relative to `parent`'s curve (itself for a root), or `cert` unchanged. */
export function sanitizeCertificate(cert: Certificate, parent: Certificate): Certificate {
  if (!cert.isEcdsaSigned) return cert;
  let curveOid: string;
  try {
    curveOid = PublicKey.fromSpki(parent.spki).curve.oidHex;
  } catch {
    return cert; // parent key is not an ECDSA key we know: nothing Fabric would do either
  }
  const curve = curveByOid(curveOid)!;
  let sig;
  try {
    sig = parseSignature(cert.signature);
  } catch {
    return cert;
  }
  if (isLowS(curve, sig.s)) return cert;
  return withSignature(cert, encodeSignature(toLowS(curve, sig)));
}

/** The same TBS and algorithm with another signature value. */
export function withSignature(cert: Certificate, signature: Uint8Array): Certificate {
  const bits = new Uint8Array(signature.length + 1);
  bits.set(signature, 1);
  return Certificate.fromDer(
    encodeTlv(Tag.SEQUENCE, cert.tbs, cert.signatureAlgorithmRaw, encodeTlv(Tag.BIT_STRING, bits)),
  );
}
