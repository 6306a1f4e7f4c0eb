// A whole organisation in cryptogen's layout, generated in memory (in-memory peers never touch
// disk) and writable to a folder (the dev network's crypto/ directory).
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { msp } from '@fabric-peer/protos';
import { PrivateKey } from '../crypto/keys.js';
import type { SignerMaterial } from '../msp/folder.js';
import { MSP } from '../msp/msp.js';
import { DevCA, ExtendedKeyUsage, type IssuedCertificate, KeyUsage, defaultNotBefore } from './ca.js';

export type DevOrgKind = 'peer' | 'orderer';
export type DevRole = 'peer' | 'orderer' | 'admin' | 'client';

export interface DevOrgOptions {
  /** peerOrganizations or ordererOrganizations. */
  readonly kind: DevOrgKind;
  /** e.g. org1.example.com (peer orgs) or example.com (orderer orgs). */
  readonly domain: string;
  readonly mspId: string;
  /** Node host names (default peer0..peer{n-1} / ["orderer"]), or a count of peers. */
  readonly nodes?: number | readonly string[];
  /** Number of client users User1..N (default 1 for peer orgs, 0 for orderer orgs). */
  readonly users?: number;
  /** Extra TLS SANs for nodes (default localhost and 127.0.0.1, as the test network asks). */
  readonly sans?: readonly string[];
  /** NodeOUs in config.yaml (default true); without them the Admin goes into admincerts. */
  readonly nodeOUs?: boolean;
  readonly notBefore?: Date;
}

export interface DevIdentity {
  /** peer0.org1.example.com, Admin@org1.example.com, ... */
  readonly name: string;
  readonly role: DevRole;
  readonly mspId: string;
  /** signcert PEM and its PKCS#8 key PEM. */
  readonly certificate: string;
  readonly privateKey: string;
  readonly tls: { readonly certificate: string; readonly privateKey: string; readonly ca: string };
  /** Folder of this identity inside the org folder ("peers/peer0.org1.example.com"). */
  readonly dir: string;
  /** The local MSP (signer included), built from memory. */
  toMSP(): MSP;
  signer(): SignerMaterial;
}

export interface DevOrg {
  readonly kind: DevOrgKind;
  readonly domain: string;
  readonly mspId: string;
  readonly ca: { readonly certificate: string; readonly privateKey: string };
  readonly tlsCa: { readonly certificate: string; readonly privateKey: string };
  /** The org's verifying MSP config (its msp/ folder): what goes into a genesis block. */
  readonly mspConfig: msp.FabricMSPConfig;
  readonly nodes: readonly DevIdentity[];
  readonly admin: DevIdentity;
  readonly users: readonly DevIdentity[];
  /** Relative org folder inside a crypto dir: "peerOrganizations/org1.example.com". */
  readonly path: string;
  /** Every file of the layout, relative to the org folder. */
  readonly files: ReadonlyMap<string, string>;
  toMSP(): MSP;
}

const NODE_OU_CONFIG = (caFile: string): string =>
  ['NodeOUs:', '  Enable: true']
    .concat(
      (
        [
          ['ClientOUIdentifier', 'client'],
          ['PeerOUIdentifier', 'peer'],
          ['AdminOUIdentifier', 'admin'],
          ['OrdererOUIdentifier', 'orderer'],
        ] as const
      ).flatMap(([k, ou]) => [
        `  ${k}:`,
        `    Certificate: cacerts/${caFile}`,
        `    OrganizationalUnitIdentifier: ${ou}`,
      ]),
    )
    .join('\n') + '\n';

const utf8 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s));

/** Generate an organisation like `cryptogen generate` (P-256, NodeOUs, TLS with SANs). */
export async function generateOrg(options: DevOrgOptions): Promise<DevOrg> {
  const { kind, domain, mspId } = options;
  const nodeOUs = options.nodeOUs ?? true;
  const notBefore = options.notBefore ?? defaultNotBefore();
  const sans = options.sans ?? ['localhost', '127.0.0.1'];
  const hosts =
    typeof options.nodes === 'number'
      ? Array.from({ length: options.nodes }, (_, i) => `peer${i}`)
      : (options.nodes ?? (kind === 'peer' ? ['peer0'] : ['orderer']));
  const userCount = options.users ?? (kind === 'peer' ? 1 : 0);

  const ca = DevCA.create(`ca.${domain}`, domain, notBefore);
  const tlsCa = DevCA.create(`tlsca.${domain}`, domain, notBefore);
  const caFile = `ca.${domain}-cert.pem`;
  const tlsCaFile = `tlsca.${domain}-cert.pem`;
  const files = new Map<string, string>();
  const configYaml = nodeOUs ? NODE_OU_CONFIG(caFile) : undefined;

  const nodeRole: DevRole = kind === 'peer' ? 'peer' : 'orderer';
  const specs: { name: string; role: DevRole; dir: string; sans: string[] }[] = [
    ...hosts.map((h) => ({
      name: `${h}.${domain}`,
      role: nodeRole,
      dir: `${kind}s/${h}.${domain}`,
      sans: [`${h}.${domain}`, h, ...sans],
    })),
    { name: `Admin@${domain}`, role: 'admin' as const, dir: `users/Admin@${domain}`, sans: [] },
    ...Array.from({ length: userCount }, (_, i) => ({
      name: `User${i + 1}@${domain}`,
      role: 'client' as const,
      dir: `users/User${i + 1}@${domain}`,
      sans: [],
    })),
  ];

  const issued = specs.map((s) => ({
    spec: s,
    sign: ca.issue({
      commonName: s.name,
      organizationalUnits: nodeOUs ? [s.role] : [],
      keyUsage: KeyUsage.digitalSignature,
    }),
    tls: tlsCa.issue({
      commonName: s.name,
      alternateNames: s.sans,
      keyUsage: KeyUsage.digitalSignature | KeyUsage.keyEncipherment,
      extendedKeyUsage: [ExtendedKeyUsage.serverAuth, ExtendedKeyUsage.clientAuth],
    }),
  }));
  const adminCert = issued.find((i) => i.spec.role === 'admin')!.sign.certificatePem;

  const verifyingConfig = (): msp.FabricMSPConfig => {
    const caBytes = utf8(ca.certificatePem);
    const ou = (name: string): msp.FabricOUIdentifier => ({
      certificate: caBytes,
      organizationalUnitIdentifier: name,
    });
    return {
      name: mspId,
      rootCerts: [caBytes],
      intermediateCerts: [],
      admins: nodeOUs ? [] : [utf8(adminCert)],
      revocationList: [],
      signingIdentity: undefined,
      organizationalUnitIdentifiers: [],
      cryptoConfig: { signatureHashFamily: 'SHA2', identityIdentifierHashFunction: 'SHA256' },
      tlsRootCerts: [utf8(tlsCa.certificatePem)],
      tlsIntermediateCerts: [],
      fabricNodeOus: nodeOUs
        ? {
            enable: true,
            clientOuIdentifier: ou('client'),
            peerOuIdentifier: ou('peer'),
            adminOuIdentifier: ou('admin'),
            ordererOuIdentifier: ou('orderer'),
          }
        : undefined,
    };
  };

  const writeMspFolder = (dir: string, signcert?: { name: string; pem: string; key: string }): void => {
    files.set(`${dir}/cacerts/${caFile}`, ca.certificatePem);
    files.set(`${dir}/tlscacerts/${tlsCaFile}`, tlsCa.certificatePem);
    if (configYaml) files.set(`${dir}/config.yaml`, configYaml);
    else files.set(`${dir}/admincerts/Admin@${domain}-cert.pem`, adminCert);
    if (signcert) {
      files.set(`${dir}/signcerts/${signcert.name}-cert.pem`, signcert.pem);
      files.set(`${dir}/keystore/priv_sk`, signcert.key);
    }
  };

  files.set(`ca/${caFile}`, ca.certificatePem);
  files.set('ca/priv_sk', ca.privateKeyPem);
  files.set(`tlsca/${tlsCaFile}`, tlsCa.certificatePem);
  files.set('tlsca/priv_sk', tlsCa.privateKeyPem);
  writeMspFolder('msp');

  const identities = issued.map(({ spec, sign, tls }) => {
    writeMspFolder(`${spec.dir}/msp`, {
      name: spec.name,
      pem: sign.certificatePem,
      key: sign.key.privateKeyPem,
    });
    const isNode = spec.role === 'peer' || spec.role === 'orderer';
    files.set(`${spec.dir}/tls/ca.crt`, tlsCa.certificatePem);
    files.set(`${spec.dir}/tls/${isNode ? 'server' : 'client'}.crt`, tls.certificatePem);
    files.set(`${spec.dir}/tls/${isNode ? 'server' : 'client'}.key`, tls.key.privateKeyPem);
    return devIdentity(spec, sign, tls, mspId, tlsCa.certificatePem, verifyingConfig);
  });

  return {
    kind,
    domain,
    mspId,
    ca: { certificate: ca.certificatePem, privateKey: ca.privateKeyPem },
    tlsCa: { certificate: tlsCa.certificatePem, privateKey: tlsCa.privateKeyPem },
    mspConfig: verifyingConfig(),
    nodes: identities.filter((i) => i.role === nodeRole),
    admin: identities.find((i) => i.role === 'admin')!,
    users: identities.filter((i) => i.role === 'client'),
    path: `${kind}Organizations/${domain}`,
    files,
    toMSP: () => MSP.fromConfig(verifyingConfig()),
  };
}

function devIdentity(
  spec: { name: string; role: DevRole; dir: string },
  sign: IssuedCertificate,
  tls: IssuedCertificate,
  mspId: string,
  tlsCaPem: string,
  config: () => msp.FabricMSPConfig,
): DevIdentity {
  const signer = (): SignerMaterial => ({
    certificate: utf8(sign.certificatePem),
    key: PrivateKey.fromKeyObject(sign.key.privateKey),
  });
  return {
    name: spec.name,
    role: spec.role,
    mspId,
    certificate: sign.certificatePem,
    privateKey: sign.key.privateKeyPem,
    tls: { certificate: tls.certificatePem, privateKey: tls.key.privateKeyPem, ca: tlsCaPem },
    dir: spec.dir,
    signer,
    toMSP: () => MSP.fromConfig(config(), { signer: signer() }),
  };
}

/** Write an org's files under `cryptoDir` (keys 0600); returns the org folder. */
export async function writeOrg(org: DevOrg, cryptoDir: string): Promise<string> {
  const root = join(cryptoDir, org.path);
  const dirs = new Set([...org.files.keys()].map((f) => dirname(join(root, f))));
  await Promise.all([...dirs].map((d) => mkdir(d, { recursive: true })));
  await Promise.all(
    [...org.files].map(([rel, content]) =>
      writeFile(join(root, rel), content, {
        mode: rel.endsWith('priv_sk') || rel.endsWith('.key') ? 0o600 : 0o644,
      }),
    ),
  );
  return root;
}
