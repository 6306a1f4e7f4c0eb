// The last steps shared by file loading and typed resolution: Fabric's code-level defaults for keys
// the yaml leaves empty, then the checks that span several keys.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { ConfigError, ERRORS } from '../errors/index.js';
import type { PeerConfig } from './types.js';

/**
 * Fabric's code defaults: validatorPoolSize <= 0 means the CPU count, a zero time window means 15m
 * (core/peer/config.go), an empty snapshots root is fileSystemPath/snapshots (peer/node/config.go).
 */
export function applyCodeDefaults(config: PeerConfig): void {
  if (config.peer.validatorPoolSize <= 0) config.peer.validatorPoolSize = availableParallelism();
  if (config.peer.authentication.timewindow === 0) config.peer.authentication.timewindow = 15 * 60_000;
  if (config.ledger.snapshots.rootDir === '') {
    config.ledger.snapshots.rootDir = join(config.peer.fileSystemPath, 'snapshots');
  }
}

/** Rules Fabric enforces when it starts serving, reported here with the keys at fault. */
export function validateCrossKeys(config: PeerConfig): void {
  const { tls } = config.peer;
  if (tls.enabled) {
    requireSet('peer.tls.cert.file', tls.cert.file, 'a certificate file when peer.tls.enabled is true');
    requireSet('peer.tls.key.file', tls.key.file, 'a key file when peer.tls.enabled is true');
    if (tls.clientAuthRequired && tls.clientRootCAs.files.length === 0) {
      throw new ConfigError(ERRORS.CONFIG.INVALID_VALUE, {
        key: 'peer.tls.clientRootCAs.files',
        expected: 'at least one CA file when peer.tls.clientAuthRequired is true',
        actual: '[]',
      });
    }
  }
  if ((tls.clientKey.file === '') !== (tls.clientCert.file === '')) {
    throw new ConfigError(ERRORS.CONFIG.INVALID_VALUE, {
      key: tls.clientKey.file === '' ? 'peer.tls.clientKey.file' : 'peer.tls.clientCert.file',
      expected: 'peer.tls.clientKey.file and peer.tls.clientCert.file both set or both empty',
      actual: 'only one of them',
    });
  }
  const ops = config.operations.tls;
  if (ops.enabled) {
    requireSet(
      'operations.tls.cert.file',
      ops.cert.file,
      'a certificate file when operations.tls.enabled is true',
    );
    requireSet('operations.tls.key.file', ops.key.file, 'a key file when operations.tls.enabled is true');
  }
  const gossip = config.peer.gossip;
  if (gossip.useLeaderElection && gossip.orgLeader) {
    throw new ConfigError(ERRORS.CONFIG.INVALID_VALUE, {
      key: 'peer.gossip.orgLeader',
      expected: 'false when peer.gossip.useLeaderElection is true (they are mutually exclusive)',
      actual: 'true',
    });
  }
}

function requireSet(key: string, value: string, expected: string): void {
  if (value === '') throw new ConfigError(ERRORS.CONFIG.INVALID_VALUE, { key, expected, actual: '""' });
}
