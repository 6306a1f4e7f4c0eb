// Addresses Fabric derives at start-up from the configured ones (peer/node/start.go and
// core/peer/config.go), in one place so the server, the chaincode runtime and discovery agree.
import { networkInterfaces } from 'node:os';
import { ConfigError, ERRORS } from '../errors/index.js';
import type { PeerConfig } from './types.js';
import { splitHostPort } from './values.js';

/** Fabric's default chaincode port when peer.chaincodeListenAddress is not set. */
export const DEFAULT_CHAINCODE_PORT = 7052;

export interface DerivedAddresses {
  /** peer.address after auto-detection: what other peers and clients dial. */
  peerAddress: string;
  /** Where the chaincode server listens. */
  chaincodeListenAddress: string;
  /** What chaincode launched by this peer dials. */
  chaincodeEndpoint: string;
}

const isUnspecified = (host: string): boolean => host === '0.0.0.0' || host === '::' || host === '[::]';
const joinHostPort = (host: string, port: number | string): string =>
  host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;

/** Fabric's comm.GetLocalIP: the first non-loopback IPv4 address of the machine. */
export function localIP(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

export function deriveAddresses(config: PeerConfig, detectIP: () => string = localIP): DerivedAddresses {
  const peerAddress = derivePeerAddress(config, detectIP);
  const peerHost = splitHostPort(peerAddress)?.host ?? '';

  const chaincodeListenAddress =
    config.peer.chaincodeListenAddress !== ''
      ? config.peer.chaincodeListenAddress
      : joinHostPort(peerHost, DEFAULT_CHAINCODE_PORT);

  let chaincodeEndpoint: string;
  if (config.peer.chaincodeAddress !== '') {
    if (isUnspecified(splitHostPort(config.peer.chaincodeAddress)?.host ?? '')) {
      throw new ConfigError(ERRORS.CONFIG.INVALID_VALUE, {
        key: 'peer.chaincodeAddress',
        expected: 'an address chaincode can dial (not 0.0.0.0 or ::)',
        actual: JSON.stringify(config.peer.chaincodeAddress),
      });
    }
    chaincodeEndpoint = config.peer.chaincodeAddress;
  } else {
    const listen = splitHostPort(chaincodeListenAddress);
    // A wildcard listener is reached through the peer's own host.
    chaincodeEndpoint =
      listen !== undefined && isUnspecified(listen.host)
        ? joinHostPort(peerHost, listen.port)
        : chaincodeListenAddress;
  }
  return { peerAddress, chaincodeListenAddress, chaincodeEndpoint };
}

/** Fabric's getLocalAddress: a wildcard host, or addressAutoDetect, means the detected local IP. */
function derivePeerAddress(config: PeerConfig, detectIP: () => string): string {
  const parts = splitHostPort(config.peer.address);
  if (parts === undefined) {
    throw ConfigError.invalidValue('peer.address', 'host:port', config.peer.address);
  }
  if (isUnspecified(parts.host) || config.peer.addressAutoDetect) return joinHostPort(detectIP(), parts.port);
  return config.peer.address;
}
