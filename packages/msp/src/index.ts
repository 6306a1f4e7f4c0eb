// @fabric-peer/msp: Fabric's membership services. The only door into this package.

export {
  MSPError,
  MSPErrorCode,
  CryptoError,
  CertificateError,
  IdentityError,
  MSPConfigError,
  PolicyError,
} from './errors.js';

// crypto (SW BCCSP)
export { PrivateKey, PublicKey, type HashAlgorithm } from './crypto/keys.js';
export type { Curve, CurveName } from './crypto/curves.js';
export { setSignatureCacheSize, signatureCacheStats } from './crypto/sigcache.js';

// X.509
export { Certificate } from './x509/certificate.js';
export { decodePemBlocks, encodePem, type PemBlock } from './x509/pem.js';

// MSPs and identities
export { MSP, type MSPOptions, type IdentityDeserializer } from './msp/msp.js';
export { MSPManager } from './msp/manager.js';
export type { NodeRole } from './msp/setup.js';
export {
  loadVerifyingMSPConfig,
  loadMSPConfigBytes,
  loadSignerMaterial,
  type SignerMaterial,
} from './msp/folder.js';
export { Identity, type OUIdentifier, type ValidateOptions } from './identity/identity.js';
export { SigningIdentity } from './identity/signing.js';

// policies
export type { Policy, SignedData, PolicyResult, EvaluateOptions } from './policies/policy.js';
export { SignaturePolicy } from './policies/signature.js';
export { ImplicitMetaPolicy } from './policies/implicitmeta.js';
export { PolicyManager } from './policies/manager.js';
export { signaturePolicyFromString, signedBy, nOutOf, signedByAnyOf } from './policies/dsl.js';

// development crypto (cryptogen-like)
export {
  generateOrg,
  writeOrg,
  type DevOrg,
  type DevOrgOptions,
  type DevIdentity,
  type DevRole,
} from './devcrypto/org.js';
export {
  DevCA,
  ipBytes,
  KeyUsage,
  ExtendedKeyUsage,
  type CAOptions,
  type LeafOptions,
  type IssuedCertificate,
  type KeyMaterial,
  type NameAttribute,
  type NameAttributeType,
} from './devcrypto/ca.js';
