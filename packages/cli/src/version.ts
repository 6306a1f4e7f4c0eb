import { arch, platform } from 'node:os';

/** The release of this peer, written into `fabric-peer version` and the operations `/version`. */
export const FABRIC_PEER_VERSION = '0.1.0';
/** The Fabric release whose wire protocol and CLI this peer speaks. */
export const FABRIC_COMPATIBLE_VERSION = '2.5';

/** Renders `peer version` in the Go peer's layout, with the Node version where Go prints its own. */
export function formatVersion(commitSha = process.env.FABRIC_PEER_COMMIT ?? 'development build'): string {
  return [
    'fabric-peer:',
    ` Version: ${FABRIC_PEER_VERSION}`,
    ` Commit SHA: ${commitSha}`,
    ` Node version: ${process.version}`,
    ` OS/Arch: ${platform()}/${arch()}`,
    ` Fabric compatibility: v${FABRIC_COMPATIBLE_VERSION}`,
    '',
  ].join('\n');
}
