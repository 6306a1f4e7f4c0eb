// An identity is a certificate deserialized by (and chained to) one MSP. Everything costly about
// it (parsing, chain, OUs, validation outcome, the verify KeyObject) is computed once and kept on
// the object, and MSPs cache identities by their serialized bytes.
import { type common, msp as mspProto } from '@fabric-peer/protos';
import type { PublicKey } from '../crypto/keys.js';
import type { Certificate } from '../x509/certificate.js';
import { encodePem } from '../x509/pem.js';

export interface OUIdentifier {
  readonly organizationalUnitIdentifier: string;
  /** Hash of the certification chain (without the identity's own certificate). */
  readonly certifiersIdentifier: Uint8Array;
}

/** How identity validation treats time. Fabric itself never checks expiry there (FAB-3678); we do unless told not to. */
export interface ValidateOptions {
  /** Reference time for the expiry check (default: now). */
  readonly now?: Date;
  /** Check notBefore/notAfter against `now` (default true). Committers replaying old blocks turn it off. */
  readonly checkExpiry?: boolean;
}

/** What an Identity needs from its MSP (kept narrow to avoid an import cycle). */
export interface IdentityOwner {
  readonly id: string;
  validate(identity: Identity, options?: ValidateOptions): void;
  satisfiesPrincipal(identity: Identity, principal: common.MSPPrincipal, options?: ValidateOptions): void;
  /** Why the principal is not satisfied (undefined: it is); throws only for what is not a mismatch. */
  principalMismatch(
    identity: Identity,
    principal: common.MSPPrincipal,
    options?: ValidateOptions,
  ): string | undefined;
  verifySignature(identity: Identity, message: Uint8Array, signature: Uint8Array): void;
}

export class Identity {
  private serializedCache: Uint8Array | undefined;

  constructor(
    readonly msp: IdentityOwner,
    /** The (sanitized: low-S signature) certificate. */
    readonly certificate: Certificate,
    /** [certificate, ...parents up to a root], all sanitized. */
    readonly chain: readonly Certificate[],
    /** Hex hash of the certificate: Fabric's IdentityIdentifier.Id. */
    readonly id: string,
    readonly organizationalUnits: readonly OUIdentifier[],
  ) {}

  get mspId(): string {
    return this.msp.id;
  }

  get expiresAt(): Date {
    return this.certificate.notAfter;
  }

  get publicKey(): PublicKey {
    return this.certificate.publicKey;
  }

  /** Verify `signature` over `message` with the MSP's hash (SHA-256); throws CryptoError. */
  verify(message: Uint8Array, signature: Uint8Array): void {
    this.msp.verifySignature(this, message, signature);
  }

  /** Validate against the MSP (chain, CRLs, NodeOUs, expiry); throws IdentityError. */
  validate(options?: ValidateOptions): void {
    this.msp.validate(this, options);
  }

  satisfiesPrincipal(principal: common.MSPPrincipal, options?: ValidateOptions): void {
    this.msp.satisfiesPrincipal(this, principal, options);
  }

  /** Why `principal` is not satisfied, or undefined when it is (policy evaluation's cheap path). */
  principalMismatch(principal: common.MSPPrincipal, options?: ValidateOptions): string | undefined {
    return this.msp.principalMismatch(this, principal, options);
  }

  toPem(): string {
    return encodePem('CERTIFICATE', this.certificate.raw);
  }

  /** SerializedIdentity{mspid, id_bytes = PEM of the certificate}, as Fabric serializes. */
  serialize(): Uint8Array {
    this.serializedCache ??= mspProto.SerializedIdentity.encode({
      mspid: this.mspId,
      idBytes: Buffer.from(this.toPem()),
    });
    return this.serializedCache;
  }
}
