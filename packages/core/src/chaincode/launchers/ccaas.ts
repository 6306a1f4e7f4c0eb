// Chaincode as a service: a `type: ccaas` package holds only connection.json; the chaincode runs
// elsewhere as a gRPC server and the peer dials protos.Chaincode/Connect. This does what Fabric's
// ccaas_builder does (including its Go-template substitution of CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG
// values into connection.json), without a script.
import {
  type ChaincodeServerInfo,
  type Launcher,
  type LaunchOutcome,
  type LaunchRequest,
  parseDurationMs,
} from '../launcher.js';
import { readCodeFile } from '../package.js';

/** connection.json as Fabric defines it (core/container/externalbuilder). */
export interface ConnectionJson {
  address: string;
  dial_timeout?: string;
  tls_required?: boolean;
  client_auth_required?: boolean;
  client_key?: string;
  client_cert?: string;
  root_cert?: string;
}

/** Parses (and checks) connection.json; `templateData` fills `{{.name}}` placeholders first. */
export function parseConnectionJson(
  raw: string | Uint8Array,
  templateData?: Record<string, unknown>,
): ChaincodeServerInfo {
  let text = typeof raw === 'string' ? raw : Buffer.from(raw).toString('utf8');
  if (templateData) {
    text = text.replace(/\{\{\s*\.(\w+)\s*\}\}/g, (whole, name: string) =>
      Object.prototype.hasOwnProperty.call(templateData, name) ? String(templateData[name]) : whole,
    );
  }
  let c: ConnectionJson;
  try {
    c = JSON.parse(text) as ConnectionJson;
  } catch (err) {
    throw new Error(`malformed chaincode info: ${(err as Error).message}`);
  }
  if (typeof c.address !== 'string' || c.address === '') throw new Error('chaincode address not provided');
  const info: ChaincodeServerInfo = {
    address: c.address,
    dialTimeoutMs: parseDurationMs(c.dial_timeout, 3000),
  };
  if (c.tls_required) {
    if (!c.root_cert) throw new Error('root_cert is required when tls_required is true');
    info.tls = { rootCertPem: c.root_cert };
    if (c.client_auth_required) {
      if (!c.client_key || !c.client_cert)
        throw new Error('client_key and client_cert are required when client_auth_required is true');
      info.tls.clientKeyPem = c.client_key;
      info.tls.clientCertPem = c.client_cert;
    }
  }
  return info;
}

export interface CcaasLauncherOptions {
  /** JSON object of template values (Fabric reads CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG). */
  builderConfig?: string | undefined;
}

export class CcaasLauncher implements Launcher {
  readonly name = 'ccaas';
  private readonly templateData: Record<string, unknown> | undefined;

  constructor(opts: CcaasLauncherOptions = {}) {
    this.templateData = opts.builderConfig
      ? (JSON.parse(opts.builderConfig) as Record<string, unknown>)
      : undefined;
  }

  async launch(req: LaunchRequest): Promise<LaunchOutcome | undefined> {
    const pkg = await req.loadPackage();
    if (!pkg || pkg.metadata.type.toLowerCase() !== 'ccaas') return undefined;
    const raw = await readCodeFile(pkg, 'connection.json');
    if (!raw) throw new Error(`ccaas package ${pkg.packageId} has no connection.json in code.tar.gz`);
    return { kind: 'server', connection: parseConnectionJson(raw, this.templateData) };
  }
}
