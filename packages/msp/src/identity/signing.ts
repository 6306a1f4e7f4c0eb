// The local MSP's signer: an identity plus its private key.
import type { PrivateKey, HashAlgorithm } from '../crypto/keys.js';
import { Identity } from './identity.js';

export class SigningIdentity extends Identity {
  private key: PrivateKey | undefined;
  private hash: HashAlgorithm = 'sha256';

  /** Attach a key to an identity of the same certificate. */
  static from(identity: Identity, key: PrivateKey, hash: HashAlgorithm): SigningIdentity {
    const s = new SigningIdentity(
      identity.msp,
      identity.certificate,
      identity.chain,
      identity.id,
      identity.organizationalUnits,
    );
    s.key = key;
    s.hash = hash;
    return s;
  }

  get privateKey(): PrivateKey {
    return this.key!;
  }

  /** DER ECDSA signature over hash(message), low-S, as Fabric's signer produces. */
  sign(message: Uint8Array): Uint8Array {
    return this.key!.sign(message, this.hash);
  }
}
