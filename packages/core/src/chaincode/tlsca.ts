// The chaincode listener's own TLS authority (Fabric's tlsgen CA in core/chaincode/accesscontrol):
// the peer makes a CA when it starts, issues a client certificate to every chaincode it launches,
// and its listener accepts only clients with a certificate from that CA (mutual TLS). The server
// side uses the peer's TLS certificate when it is given, else one this CA issues.
// Keys come from node:crypto and certificates are DER-encoded by msp's dev CA: this runs on every
// peer start, and a general X.509 library on WebCrypto cost several milliseconds of it.
import { DevCA, ExtendedKeyUsage, KeyUsage, type NameAttribute } from '@fabric-peer/msp';

const YEAR_MS = 365 * 24 * 3600 * 1000;
const BACKDATE_MS = 5 * 60_000;

export interface KeyPairPem {
  certPem: string;
  keyPem: string;
}

const cn = (commonName: string): NameAttribute[] => [['CN', commonName]];

/** A P-256 CA that issues TLS client and server certificates (valid one year, back-dated 5 min). */
export class TLSCA {
  private constructor(private readonly ca: DevCA) {}

  /** The CA certificate (PEM): the root a listener or a chaincode trusts. */
  get certPem(): string {
    return this.ca.certificatePem;
  }

  static create(commonName = 'fabric-peer chaincode TLS CA'): Promise<TLSCA> {
    const notBefore = new Date(Date.now() - BACKDATE_MS);
    const ca = DevCA.selfSigned({
      subject: cn(commonName),
      notBefore,
      notAfter: new Date(notBefore.getTime() + YEAR_MS),
      keyUsage: KeyUsage.keyCertSign | KeyUsage.cRLSign,
    });
    return Promise.resolve(new TLSCA(ca));
  }

  /** A client certificate (what a launched chaincode presents to the listener). */
  newClientCert(commonName: string): Promise<KeyPairPem> {
    return Promise.resolve(this.issue(commonName, [], [ExtendedKeyUsage.clientAuth]));
  }

  /** A server certificate for the given host names and IPs (all in the SAN; the first is the CN). */
  newServerCert(hosts: readonly string[]): Promise<KeyPairPem> {
    return Promise.resolve(
      this.issue(hosts[0] ?? 'localhost', hosts, [ExtendedKeyUsage.serverAuth, ExtendedKeyUsage.clientAuth]),
    );
  }

  private issue(commonName: string, hosts: readonly string[], eku: readonly string[]): KeyPairPem {
    const notBefore = new Date(Date.now() - BACKDATE_MS);
    const { certificatePem, key } = this.ca.issue({
      commonName,
      subjectPrefix: [],
      alternateNames: hosts,
      keyUsage: KeyUsage.digitalSignature | KeyUsage.keyEncipherment,
      extendedKeyUsage: eku,
      notBefore,
      notAfter: new Date(notBefore.getTime() + YEAR_MS),
    });
    return { certPem: certificatePem, keyPem: key.privateKeyPem };
  }
}
