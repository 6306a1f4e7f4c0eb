// Every failure a caller can see is an MSPError with a stable `code`; the subclasses only say
// which layer spoke (crypto, certificate parsing, MSP/identity, policy) so callers can catch by kind.

export const MSPErrorCode = {
  // crypto (SW BCCSP)
  CRYPTO_UNSUPPORTED_CURVE: 'CRYPTO_UNSUPPORTED_CURVE',
  CRYPTO_UNSUPPORTED_KEY: 'CRYPTO_UNSUPPORTED_KEY',
  CRYPTO_INVALID_KEY: 'CRYPTO_INVALID_KEY',
  CRYPTO_SIGNATURE_MALFORMED: 'CRYPTO_SIGNATURE_MALFORMED',
  CRYPTO_SIGNATURE_HIGH_S: 'CRYPTO_SIGNATURE_HIGH_S',
  CRYPTO_SIGNATURE_INVALID: 'CRYPTO_SIGNATURE_INVALID',
  // PEM / X.509
  PEM_INVALID: 'MSP_PEM_INVALID',
  CERT_MALFORMED: 'MSP_CERT_MALFORMED',
  CRL_MALFORMED: 'MSP_CRL_MALFORMED',
  // MSP setup
  CONFIG_INVALID: 'MSP_CONFIG_INVALID',
  FOLDER_INVALID: 'MSP_FOLDER_INVALID',
  KEY_NOT_FOUND: 'MSP_KEY_NOT_FOUND',
  // identities
  IDENTITY_MALFORMED: 'MSP_IDENTITY_MALFORMED',
  IDENTITY_MSPID_MISMATCH: 'MSP_IDENTITY_MSPID_MISMATCH',
  IDENTITY_UNKNOWN_MSP: 'MSP_IDENTITY_UNKNOWN_MSP',
  IDENTITY_UNKNOWN_AUTHORITY: 'MSP_IDENTITY_UNKNOWN_AUTHORITY',
  IDENTITY_INVALID_CHAIN: 'MSP_IDENTITY_INVALID_CHAIN',
  IDENTITY_IS_CA: 'MSP_IDENTITY_IS_CA',
  IDENTITY_EXPIRED: 'MSP_IDENTITY_EXPIRED',
  IDENTITY_NOT_YET_VALID: 'MSP_IDENTITY_NOT_YET_VALID',
  IDENTITY_REVOKED: 'MSP_IDENTITY_REVOKED',
  IDENTITY_OU_INVALID: 'MSP_IDENTITY_OU_INVALID',
  PRINCIPAL_NOT_SATISFIED: 'MSP_PRINCIPAL_NOT_SATISFIED',
  PRINCIPAL_INVALID: 'MSP_PRINCIPAL_INVALID',
  // policies
  POLICY_NOT_SATISFIED: 'POLICY_NOT_SATISFIED',
  POLICY_NOT_FOUND: 'POLICY_NOT_FOUND',
  POLICY_INVALID: 'POLICY_INVALID',
  POLICY_SYNTAX: 'POLICY_SYNTAX',
} as const;

export type MSPErrorCode = (typeof MSPErrorCode)[keyof typeof MSPErrorCode];

export class MSPError extends Error {
  readonly code: MSPErrorCode;
  readonly mspId: string | undefined;

  constructor(code: MSPErrorCode, message: string, options?: { cause?: unknown; mspId?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MSPError';
    this.code = code;
    this.mspId = options?.mspId;
  }

  /** Structured fields for logs. */
  getMetadata(): { code: MSPErrorCode; mspId?: string } {
    return this.mspId === undefined ? { code: this.code } : { code: this.code, mspId: this.mspId };
  }
}

/** Keys, signatures, curves. */
export class CryptoError extends MSPError {
  constructor(code: MSPErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'CryptoError';
  }
}

/** PEM, certificates, CRLs that do not parse. */
export class CertificateError extends MSPError {
  constructor(code: MSPErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'CertificateError';
  }
}

/** An identity that does not deserialize, validate or satisfy a principal. */
export class IdentityError extends MSPError {
  constructor(code: MSPErrorCode, message: string, options?: { cause?: unknown; mspId?: string }) {
    super(code, message, options);
    this.name = 'IdentityError';
  }
}

/** An MSP that cannot be built from its folder or its FabricMSPConfig. */
export class MSPConfigError extends MSPError {
  constructor(code: MSPErrorCode, message: string, options?: { cause?: unknown; mspId?: string }) {
    super(code, message, options);
    this.name = 'MSPConfigError';
  }
}

/** A policy that is malformed, missing or not satisfied. */
export class PolicyError extends MSPError {
  /** For POLICY_NOT_SATISFIED: why each signature or sub-policy did not count. */
  readonly details: readonly string[];

  constructor(
    code: MSPErrorCode,
    message: string,
    options?: { cause?: unknown; details?: readonly string[] },
  ) {
    super(code, message, options);
    this.name = 'PolicyError';
    this.details = options?.details ?? [];
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
