// The legacy (Fabric 1.x) lifecycle through lscc, as `peer chaincode install|instantiate|upgrade|list`
// still do in 2.5: a ChaincodeDeploymentSpec installed on the peer, deploy/upgrade as endorsed and
// ordered transactions, and the installed/instantiated lists in Go's text.
import { signaturePolicyFromString } from '@fabric-peer/msp';
import { common, protos } from '@fabric-peer/protos';
import { callSystemChaincode } from './channel.js';
import { invokeChaincode, type InvokeOptions } from './chaincode.js';
import { CLIENT_ERRORS, ClientError } from './errors.js';
import type { OrdererClient } from './ordererclient.js';
import { codePackage } from './package.js';
import type { PeerClient } from './peerclient.js';

const TYPES: Record<string, protos.ChaincodeSpec_Type> = {
  golang: protos.ChaincodeSpec_Type.GOLANG,
  node: protos.ChaincodeSpec_Type.NODE,
  java: protos.ChaincodeSpec_Type.JAVA,
};

export interface LegacySpec {
  name: string;
  version: string;
  path: string;
  lang: string;
  args?: Uint8Array[];
}

function spec(s: LegacySpec): protos.ChaincodeSpec {
  const type = TYPES[s.lang.toLowerCase()];
  if (type === undefined)
    throw new ClientError(CLIENT_ERRORS.BAD_INPUT, {
      reason: `unknown chaincodeType: ${s.lang.toUpperCase()}`,
    });
  if (s.name === '')
    throw new ClientError(CLIENT_ERRORS.BAD_INPUT, {
      reason: 'must supply value for chaincode name parameter (-n)',
    });
  if (s.version === '')
    throw new ClientError(CLIENT_ERRORS.BAD_INPUT, { reason: 'chaincode version is not provided (-v)' });
  return protos.ChaincodeSpec.create({
    type,
    chaincodeId: { name: s.name, version: s.version, path: s.path },
    input: { args: s.args ?? [], decorations: {}, isInit: false },
  });
}

/** `peer chaincode install -n -v -p -l`: the folder as a ChaincodeDeploymentSpec, installed through lscc. */
export async function legacyInstall(peer: PeerClient, s: LegacySpec, cwd?: string): Promise<protos.Response> {
  const codePackageBytes = await codePackage({
    path: s.path,
    lang: s.lang,
    ...(cwd !== undefined && { cwd }),
  });
  const cds = protos.ChaincodeDeploymentSpec.encode({
    chaincodeSpec: spec(s),
    codePackage: codePackageBytes,
  });
  const payload = await callSystemChaincode(peer, 'lscc', '', ['install', cds]);
  return protos.Response.create({ status: 200, payload });
}

export interface DeployOptions extends Pick<
  InvokeOptions,
  'waitForEvent' | 'waitForEventTimeoutMs' | 'onCommitted'
> {
  policy?: string;
  escc?: string;
  vscc?: string;
  collections?: protos.CollectionConfigPackage;
}

/** `peer chaincode instantiate|upgrade`: lscc deploy/upgrade, endorsed and ordered. */
export async function legacyDeploy(
  peers: PeerClient[],
  orderer: OrdererClient,
  channelId: string,
  action: 'deploy' | 'upgrade',
  s: LegacySpec,
  o: DeployOptions,
): Promise<string> {
  const cds = protos.ChaincodeDeploymentSpec.encode({
    chaincodeSpec: spec(s),
    codePackage: new Uint8Array(),
  });
  const policy = o.policy ? signaturePolicyFromString(o.policy) : undefined;
  const args: Uint8Array[] = [
    Buffer.from(action),
    Buffer.from(channelId),
    cds,
    policy ? common.SignaturePolicyEnvelope.encode(policy) : new Uint8Array(),
    Buffer.from(o.escc || 'escc'),
    Buffer.from(o.vscc || 'vscc'),
  ];
  if (o.collections) args.push(protos.CollectionConfigPackage.encode(o.collections));
  const { txId } = await invokeChaincode(peers, orderer, { channelId, chaincode: 'lscc', args, ...o });
  return txId;
}

function infoLine(c: protos.ChaincodeInfo): string {
  const parts: string[] = [];
  const add = (k: string, v: string): void => {
    if (v !== '') parts.push(`${k}: ${v}`);
  };
  add('Name', c.name);
  add('Version', c.version);
  add('Path', c.path);
  add('Input', c.input);
  add('Escc', c.escc);
  add('Vscc', c.vscc);
  if (c.id.length > 0) add('Id', Buffer.from(c.id).toString('hex'));
  return parts.join(', ');
}

/** `peer chaincode list --installed` / `--instantiated -C ch`, in Go's text. */
export async function legacyList(
  peer: PeerClient,
  which: 'installed' | 'instantiated',
  channelId = '',
): Promise<string> {
  const fn = which === 'installed' ? 'getinstalledchaincodes' : 'getchaincodes';
  const r = protos.ChaincodeQueryResponse.decode(
    await callSystemChaincode(peer, 'lscc', which === 'installed' ? '' : channelId, [fn]),
  );
  const head =
    which === 'installed'
      ? 'Get installed chaincodes on peer:'
      : `Get instantiated chaincodes on channel ${channelId}:`;
  return [head, ...r.chaincodes.map(infoLine)].join('\n');
}
