// `peer logging getlevel|setlevel|revertlevels|getlogspec|setlogspec` through protos.Admin (the
// peer's own admins only), with Fabric 1.4's messages.
import { protos } from '@fabric-peer/protos';
import { CLIENT_ERRORS, ClientError } from './errors.js';
import type { PeerClient } from './peerclient.js';

const LEVELS = new Set(['DEBUG', 'INFO', 'WARN', 'WARNING', 'ERROR', 'FATAL', 'PANIC']);

export async function getLogLevel(peer: PeerClient, module: string): Promise<string> {
  if (module === '')
    throw new ClientError(CLIENT_ERRORS.BAD_INPUT, {
      reason: 'You must specify a logger name (e.g. peer logging getlevel gossip)',
    });
  const r = await peer.admin<protos.LogLevelResponse>('getModuleLogLevel', {
    logReq: { logModule: module, logLevel: '' },
  });
  return `Current log level for logger '${r.logModule}': ${r.logLevel}`;
}

export async function setLogLevel(peer: PeerClient, module: string, level: string): Promise<string> {
  if (module === '' || level === '')
    throw new ClientError(CLIENT_ERRORS.BAD_INPUT, {
      reason: 'You must specify a logger name and a log level (e.g. peer logging setlevel gossip debug)',
    });
  if (!LEVELS.has(level.toUpperCase())) {
    throw new ClientError(CLIENT_ERRORS.BAD_INPUT, { reason: `invalid log level provided - ${level}` });
  }
  const r = await peer.admin<protos.LogLevelResponse>('setModuleLogLevel', {
    logReq: { logModule: module, logLevel: level },
  });
  return `Log level set for logger name/prefix '${r.logModule}': ${r.logLevel}`;
}

export async function revertLogLevels(peer: PeerClient): Promise<string> {
  await peer.admin('revertLogLevels', {});
  return 'Log levels reverted to the levels at the end of peer startup.';
}

export async function getLogSpec(peer: PeerClient): Promise<string> {
  const r = await peer.admin<protos.LogSpecResponse>('getLogSpec', {});
  return `Current logging spec: ${r.logSpec}`;
}

export async function setLogSpec(peer: PeerClient, spec: string): Promise<string> {
  if (spec === '')
    throw new ClientError(CLIENT_ERRORS.BAD_INPUT, {
      reason: 'You must specify a logging spec (e.g. peer logging setlogspec info:gossip=debug)',
    });
  const r = await peer.admin<protos.LogSpecResponse>('setLogSpec', { logSpecReq: { logSpec: spec } });
  if (r.error !== '') throw new ClientError(CLIENT_ERRORS.BAD_INPUT, { reason: r.error });
  return `Current logging spec set to: ${r.logSpec}`;
}

export async function peerStatus(peer: PeerClient): Promise<string> {
  const r = await peer.admin<protos.ServerStatus>('getStatus', {});
  return `status:${protos.ServerStatus_StatusCode[r.status] ?? r.status}`;
}
