// Fabric's X.509 MSP (bccspmsp, MSP version 1.4.3 as channels with V2_0 capabilities use):
// deserializes identities of one organisation, validates them, verifies their signatures and
// tells whether they satisfy MSPPrincipals.
import { createHash } from 'node:crypto';
import { type common, msp as mspProto } from '@fabric-peer/protos';
import { IdentityError, MSPConfigError, MSPError, MSPErrorCode, errorMessage } from '../errors.js';
import type { PrivateKey } from '../crypto/keys.js';
import {
  Identity,
  type IdentityOwner,
  type OUIdentifier,
  type ValidateOptions,
} from '../identity/identity.js';
import { SigningIdentity } from '../identity/signing.js';
import { Certificate } from '../x509/certificate.js';
import { decodeFirstPem, encodePem } from '../x509/pem.js';
import { sanitizeCertificate } from '../x509/sanitize.js';
import { uniqueChain } from './chain.js';
import { loadSignerMaterial, loadVerifyingMSPConfig, type SignerMaterial } from './folder.js';
import { principalMismatch, satisfiesPrincipal } from './principals.js';
import { type NodeRole, type TrustState, chainIdentifier, rawKey, setupTrust } from './setup.js';
import { checkWellFormed, validateIdentity } from './validation.js';

/** Anything that turns SerializedIdentity bytes into an Identity (an MSP, an MSPManager). */
export interface IdentityDeserializer {
  deserializeIdentity(serialized: Uint8Array): Identity;
}

export interface MSPOptions {
  /** Identities kept parsed, keyed by their bytes (default 4096). */
  readonly identityCacheSize?: number;
  /** Makes this a local MSP that can sign. */
  readonly signer?: SignerMaterial;
}

const DEFAULT_CACHE = 4096;

/** SerializedIdentity bytes decoded, or Fabric's malformed-identity error (shared by MSP and MSPManager). */
export function decodeSerializedIdentity(serialized: Uint8Array): mspProto.SerializedIdentity {
  try {
    return mspProto.SerializedIdentity.decode(serialized);
  } catch (err) {
    throw new IdentityError(
      MSPErrorCode.IDENTITY_MALFORMED,
      `could not deserialize a SerializedIdentity: ${errorMessage(err)}`,
      { cause: err },
    );
  }
}
export class MSP implements IdentityOwner, IdentityDeserializer {
  readonly id: string;
  private readonly config: mspProto.FabricMSPConfig;
  private readonly trust: TrustState;
  private readonly admins: Set<string>;
  private readonly cache = new Map<string, Identity>();
  /** Clock-independent validation outcome per identity: null = valid. */
  private readonly validations = new WeakMap<Identity, IdentityError | null>();
  private readonly cacheSize: number;
  private readonly signer: SigningIdentity | undefined;

  private constructor(config: mspProto.FabricMSPConfig, options: MSPOptions) {
    this.id = config.name;
    this.config = { ...config, signingIdentity: undefined };
    this.cacheSize = options.identityCacheSize ?? DEFAULT_CACHE;
    this.trust = setupTrust(config);

    // Admin certs must be valid identities of this MSP (and, with NodeOUs, clients or admins).
    this.admins = new Set();
    config.admins.forEach((pem, i) => {
      let admin: Identity;
      try {
        admin = this.identityFromCertificate(pem);
        this.validate(admin, { checkExpiry: false });
        if (this.trust.nodeOUs && !this.hasNodeRole(admin, 'client') && !this.hasNodeRole(admin, 'admin')) {
          throw new Error('with NodeOUs an admin certificate must carry the client or admin OU');
        }
      } catch (err) {
        throw new MSPConfigError(
          MSPErrorCode.CONFIG_INVALID,
          `MSP ${this.id}: admin ${i} is invalid: ${errorMessage(err)}`,
          {
            cause: err,
            mspId: this.id,
          },
        );
      }
      this.admins.add(rawKey(admin.certificate.raw));
    });

    this.signer = options.signer
      ? this.setupSigner(options.signer.certificate, options.signer.key)
      : undefined;
  }

  /** An MSP from its FabricMSPConfig (as a channel config carries it, or a local folder yields it). */
  static fromConfig(config: mspProto.FabricMSPConfig, options: MSPOptions = {}): MSP {
    return new MSP(config, options);
  }

  /** An MSP from MSPConfig bytes (the `MSP` value of an org group in a channel config). */
  static fromMSPConfigBytes(bytes: Uint8Array, options: MSPOptions = {}): MSP {
    let outer: mspProto.MSPConfig;
    let inner: mspProto.FabricMSPConfig;
    try {
      outer = mspProto.MSPConfig.decode(bytes);
      if (outer.type !== 0)
        throw new Error(`MSP type ${outer.type} is not supported (only FABRIC = 0; idemix is not)`);
      inner = mspProto.FabricMSPConfig.decode(outer.config);
    } catch (err) {
      throw new MSPConfigError(MSPErrorCode.CONFIG_INVALID, `invalid MSPConfig: ${errorMessage(err)}`, {
        cause: err,
      });
    }
    return new MSP(inner, options);
  }

  /**
   * An MSP from a folder in cryptogen / Fabric CA layout. With `signer` (default: when the folder
   * has signcerts/) it is a local MSP: the signcert and its key from keystore/ become its signer.
   */
  static async fromFolder(
    dir: string,
    mspId: string,
    options: { signer?: boolean; identityCacheSize?: number } = {},
  ): Promise<MSP> {
    const config = await loadVerifyingMSPConfig(dir, mspId);
    let signer: SignerMaterial | undefined;
    if (options.signer === true) signer = await loadSignerMaterial(dir, mspId);
    else if (options.signer === undefined) {
      try {
        signer = await loadSignerMaterial(dir, mspId);
      } catch (err) {
        if (!(err instanceof MSPError && err.code === MSPErrorCode.FOLDER_INVALID)) throw err;
      }
    }
    return new MSP(config, { signer, identityCacheSize: options.identityCacheSize });
  }

  /** The verifying FabricMSPConfig (no signing identity): what goes into a channel config. */
  toFabricMSPConfig(): mspProto.FabricMSPConfig {
    return this.config;
  }

  /** MSPConfig{type FABRIC, config} bytes, as configtxgen writes an org's `MSP` value. */
  toMSPConfigBytes(): Uint8Array {
    return mspProto.MSPConfig.encode({ type: 0, config: mspProto.FabricMSPConfig.encode(this.config) });
  }

  get nodeOUsEnabled(): boolean {
    return this.trust.nodeOUs !== undefined;
  }

  /** PEM of the TLS root and intermediate CAs (for node:tls `ca`). */
  get tlsRootCertsPem(): string[] {
    return [...this.trust.tlsRoots, ...this.trust.tlsIntermediates].map((c) => c.toPem());
  }

  get rootCertsPem(): string[] {
    return this.trust.roots.map((c) => c.toPem());
  }

  /** The local signer; throws MSP_KEY_NOT_FOUND when this MSP was built without one. */
  getSigningIdentity(): SigningIdentity {
    if (!this.signer)
      throw new MSPConfigError(MSPErrorCode.KEY_NOT_FOUND, `MSP ${this.id} has no signing identity`, {
        mspId: this.id,
      });
    return this.signer;
  }

  get hasSigningIdentity(): boolean {
    return this.signer !== undefined;
  }

  /** SerializedIdentity bytes -> Identity of this MSP (cached by the bytes). */
  deserializeIdentity(serialized: Uint8Array): Identity {
    const sid = decodeSerializedIdentity(serialized);
    if (sid.mspid !== this.id) {
      throw new IdentityError(
        MSPErrorCode.IDENTITY_MSPID_MISMATCH,
        `expected MSP ID ${this.id}, received ${sid.mspid}`,
        { mspId: this.id },
      );
    }
    return this.cachedIdentity(sid.idBytes);
  }

  /**
   * Fabric's IsWellFormed: exactly one PEM block of type CERTIFICATE (or none given), nothing after
   * it, a certificate that parses, and an ECDSA signature in canonical DER. Throws MSP_IDENTITY_MALFORMED.
   */
  checkWellFormed(sid: mspProto.SerializedIdentity): void {
    checkWellFormed(sid);
  }

  /** A PEM (or DER) certificate -> Identity of this MSP: parsed, chained and sanitized once, then cached. */
  identityFromCertificate(cert: Uint8Array | string): Identity {
    // DER is accepted here for convenience, as its PEM: SerializedIdentity id_bytes must be PEM (as in Fabric).
    if (typeof cert === 'string') return this.cachedIdentity(Buffer.from(cert));
    return this.cachedIdentity(cert[0] === 0x30 ? Buffer.from(encodePem('CERTIFICATE', cert)) : cert);
  }

  private cachedIdentity(pem: Uint8Array): Identity {
    const key = rawKey(pem);
    const hit = this.cache.get(key);
    if (hit) return hit;
    const identity = this.newIdentity(pem);
    if (this.cache.size >= this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, identity);
    return identity;
  }

  private newIdentity(bytes: Uint8Array): Identity {
    const parsed = Certificate.fromDer(decodeFirstPem(bytes).der);
    void parsed.publicKey; // ECDSA P-256/P-384 only: fail here with the crypto code, not later
    const chain0 = uniqueChain(parsed, this.trust.rootPool, this.trust.intermediatePool, this.id);
    const cert = sanitizeCertificate(parsed, chain0[1] ?? parsed);
    const chain = [cert, ...chain0.slice(1)];
    const id = createHash(this.trust.identityHash).update(cert.raw).digest('hex');
    const certifiersIdentifier = chainIdentifier(this.trust.identityHash, chain.slice(1));
    const ous: OUIdentifier[] = cert.isCA
      ? []
      : cert.organizationalUnits.map((organizationalUnitIdentifier) => ({
          organizationalUnitIdentifier,
          certifiersIdentifier,
        }));
    return new Identity(this, cert, chain, id, ous);
  }

  private setupSigner(certificate: Uint8Array, key: PrivateKey): SigningIdentity {
    const identity = this.newIdentity(certificate);
    if (!Buffer.from(identity.publicKey.point).equals(Buffer.from(key.publicKey.point))) {
      throw new MSPConfigError(
        MSPErrorCode.KEY_NOT_FOUND,
        `MSP ${this.id}: the private key does not match the signing certificate`,
        {
          mspId: this.id,
        },
      );
    }
    if (identity.expiresAt.getTime() < Date.now()) {
      throw new IdentityError(
        MSPErrorCode.IDENTITY_EXPIRED,
        `MSP ${this.id}: signing identity expired at ${identity.expiresAt.toISOString()}`,
        {
          mspId: this.id,
        },
      );
    }
    return SigningIdentity.from(identity, key, this.trust.signatureHash);
  }

  verifySignature(identity: Identity, message: Uint8Array, signature: Uint8Array): void {
    identity.publicKey.verify(message, signature, this.trust.signatureHash);
  }

  /**
   * Fabric's validateIdentity (not a CA, issued by a leaf CA of this MSP, not revoked, OUs as
   * configured, exactly one NodeOU when NodeOUs are on), memoized on the identity; then, unless
   * told otherwise, the certificate's validity period at `now`.
   */
  validate(identity: Identity, options: ValidateOptions = {}): void {
    if (identity.msp !== this) {
      throw new IdentityError(
        MSPErrorCode.IDENTITY_MSPID_MISMATCH,
        `identity of MSP ${identity.mspId} validated by MSP ${this.id}`,
        {
          mspId: this.id,
        },
      );
    }
    let outcome = this.validations.get(identity);
    if (outcome === undefined) {
      outcome = validateIdentity(this.id, this.trust, identity);
      this.validations.set(identity, outcome);
    }
    if (outcome) throw outcome;
    if (options.checkExpiry === false) return;
    const now = (options.now ?? new Date()).getTime();
    const c = identity.certificate;
    if (now > c.notAfter.getTime()) {
      throw new IdentityError(
        MSPErrorCode.IDENTITY_EXPIRED,
        `identity CN=${c.commonName} of MSP ${this.id} expired at ${c.notAfter.toISOString()}`,
        {
          mspId: this.id,
        },
      );
    }
    if (now < c.notBefore.getTime()) {
      throw new IdentityError(
        MSPErrorCode.IDENTITY_NOT_YET_VALID,
        `identity CN=${c.commonName} of MSP ${this.id} is not valid before ${c.notBefore.toISOString()}`,
        { mspId: this.id },
      );
    }
  }

  /** Whether the identity carries the NodeOU of `role` (by name, as Fabric's hasOURole). */
  hasNodeRole(identity: Identity, role: NodeRole): boolean {
    const ou = this.trust.nodeOUs?.[role];
    return (
      ou !== undefined &&
      identity.organizationalUnits.some(
        (o) => o.organizationalUnitIdentifier === ou.organizationalUnitIdentifier,
      )
    );
  }

  /** The NodeOU classification of a (valid) identity, or undefined with NodeOUs off. */
  nodeRole(identity: Identity): NodeRole | undefined {
    for (const role of ['admin', 'peer', 'client', 'orderer'] as const)
      if (this.hasNodeRole(identity, role)) return role;
    return undefined;
  }

  /** Whether NodeOUs define an OU for `role`. */
  nodeOUDefined(role: NodeRole): boolean {
    return this.trust.nodeOUs?.[role] !== undefined;
  }

  /** Listed in admincerts (compared on sanitized bytes). */
  isInAdmins(identity: Identity): boolean {
    return this.admins.has(rawKey(identity.certificate.raw));
  }

  satisfiesPrincipal(identity: Identity, principal: common.MSPPrincipal, options?: ValidateOptions): void {
    satisfiesPrincipal(this, identity, principal, options);
  }

  principalMismatch(
    identity: Identity,
    principal: common.MSPPrincipal,
    options?: ValidateOptions,
  ): string | undefined {
    return principalMismatch(this, identity, principal, options)?.message;
  }
}
