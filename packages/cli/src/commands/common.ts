// What every client command shares: settings from core.yaml + CORE_* (FABRIC_CFG_PATH), the local MSP
// signer, the peers (CORE_PEER_ADDRESS or --peerAddresses/--tlsRootCertFiles) and the orderer flags.
import type { Command } from 'cac';
import {
  DEFAULT_CONN_TIMEOUT_MS,
  OrdererClient,
  PeerClient,
  loadClientSettings,
  loadSigningIdentity,
  ordererEndpoint,
  peerEndpoint,
  type ClientSettings,
} from '../core.js';
import { CliUsageError, durationMs, rawValue, rawValues, type CliContext, flagOn } from '../program.js';

export type Signer = Awaited<ReturnType<typeof loadSigningIdentity>>;

export interface Session {
  settings: ClientSettings;
  signer: Signer;
}

export async function session(ctx: CliContext): Promise<Session> {
  const settings = loadClientSettings({ env: ctx.env, cwd: ctx.cwd });
  return { settings, signer: await loadSigningIdentity(settings) };
}

/** The orderer flags; on a whole group (cac's global options) they are Go's persistent flags. */
export function addOrdererFlags<T extends { option(raw: string, description: string): T }>(cmd: T): T {
  return cmd
    .option('-o, --orderer <address>', 'Ordering service endpoint')
    .option('--tls', 'Use TLS when communicating with the orderer endpoint')
    .option(
      '--cafile <file>',
      'Path to file containing PEM-encoded trusted certificate(s) for the ordering endpoint',
    )
    .option('--clientauth', 'Use mutual TLS when communicating with the orderer endpoint')
    .option(
      '--certfile <file>',
      'Path to file containing PEM-encoded X509 public key to use for mutual TLS communication with the orderer endpoint',
    )
    .option(
      '--keyfile <file>',
      'Path to file containing PEM-encoded private key to use for mutual TLS communication with the orderer endpoint',
    )
    .option(
      '--ordererTLSHostnameOverride <host>',
      'The hostname override to use when validating the TLS connection to the orderer',
    )
    .option('--connTimeout <duration>', 'Timeout for client to connect (default 3s)')
    .option(
      '--tlsHandshakeTimeShift <duration>',
      'The amount of time to shift backwards for certificate expiration checks during TLS handshakes with the orderer endpoint',
    );
}

export function connTimeoutMs(ctx: CliContext): number {
  const v = rawValue(ctx.argv, '', '--connTimeout');
  return v === '' ? DEFAULT_CONN_TIMEOUT_MS : durationMs(v, 'connTimeout');
}

export function ordererAddress(ctx: CliContext): string {
  return rawValue(ctx.argv, '', '-o', '--orderer');
}

export async function connectOrderer(
  ctx: CliContext,
  s: Session,
  address = ordererAddress(ctx),
): Promise<OrdererClient> {
  const has = (f: string): boolean => flagOn(ctx.argv, f);
  const endpoint = ordererEndpoint({
    address,
    tls: has('--tls'),
    cafile: rawValue(ctx.argv, '', '--cafile'),
    clientauth: has('--clientauth'),
    certfile: rawValue(ctx.argv, '', '--certfile'),
    keyfile: rawValue(ctx.argv, '', '--keyfile'),
    hostnameOverride: rawValue(ctx.argv, '', '--ordererTLSHostnameOverride'),
  });
  return OrdererClient.connect(endpoint, s.signer, connTimeoutMs(ctx));
}

export function addPeerFlags(cmd: Command): Command {
  return cmd
    .option('--peerAddresses <address>', 'The addresses of the peers to connect to (repeatable)')
    .option(
      '--tlsRootCertFiles <file>',
      'If TLS is enabled, the paths to the TLS root cert files of the peers to connect to (repeatable, in the order of --peerAddresses)',
    )
    .option(
      '--connectionProfile <file>',
      'The fully qualified path to the connection profile (not supported yet: refused)',
    );
}

/**
 * --waitForEvent / --waitForEventTimeout, as invoke (waits only when asked) and approveformyorg / commit
 * (wait by default) take them in the Go peer.
 */
export function addWaitForEventFlags(cmd: Command, waitsByDefault: boolean): Command {
  return cmd
    .option(
      '--waitForEvent',
      `Whether to wait for the event from each peer's deliver filtered service signifying that the transaction has been committed successfully (default ${String(waitsByDefault)})`,
    )
    .option(
      '--waitForEventTimeout <duration>',
      "Time to wait for the event from each peer's deliver filtered service (default 30s)",
    );
}

/** The peers of --peerAddresses (with --tlsRootCertFiles), or the CORE_PEER_ADDRESS peer. */
export async function connectPeers(ctx: CliContext, s: Session, single = false): Promise<PeerClient[]> {
  // Refused rather than ignored: silently endorsing on other peers than the profile names would mislead.
  if (rawValues(ctx.argv, '--connectionProfile').length > 0) {
    throw new CliUsageError(
      '--connectionProfile is not supported by fabric-peer yet: name the peers with --peerAddresses and --tlsRootCertFiles',
    );
  }
  const addresses = rawValues(ctx.argv, '--peerAddresses');
  const roots = rawValues(ctx.argv, '--tlsRootCertFiles');
  if (single && addresses.length > 1) {
    throw new CliUsageError(
      'this command can only be executed against one peer. received ' + addresses.length,
    );
  }
  if (addresses.length === 0)
    return [await PeerClient.connect(peerEndpoint(s.settings), s.signer, connTimeoutMs(ctx))];
  if (s.settings.tls.enabled && roots.length !== addresses.length) {
    throw new CliUsageError(
      `number of peer addresses (${addresses.length}) does not match the number of TLS root cert files (${roots.length}): give one --tlsRootCertFiles per --peerAddresses`,
    );
  }
  const peers: PeerClient[] = [];
  try {
    for (let i = 0; i < addresses.length; i++) {
      peers.push(
        await PeerClient.connect(
          peerEndpoint(s.settings, addresses[i], roots[i]),
          s.signer,
          connTimeoutMs(ctx),
        ),
      );
    }
  } catch (err) {
    for (const p of peers) p.close();
    throw err;
  }
  return peers;
}

/** Runs `fn`, closing whatever it opened. */
export async function using<T extends { close(): void }, R>(
  clients: T[],
  fn: (c: T[]) => Promise<R>,
): Promise<R> {
  try {
    return await fn(clients);
  } finally {
    for (const c of clients) c.close();
  }
}

/** Go's logger line on stderr (the CLI's INFO messages that scripts do not parse). */
let seq = 0;
export function info(ctx: CliContext, module: string, message: string): void {
  const at = new Date().toISOString().replace('T', ' ').replace('Z', ' UTC');
  seq++;
  ctx.io.stderr(`${at} ${seq.toString(16).padStart(4, '0')} INFO [${module}] ${message}\n`);
}

export function channelFlag(ctx: CliContext, flag: '-c' | '-C'): string {
  return rawValue(ctx.argv, '', flag, '--channelID');
}

/** A progress note for long operations: shown on a terminal, silent when piped (scripts parse stderr too). */
export function progress(ctx: CliContext, message: string): void {
  if (ctx.io.isTTY === true) ctx.io.stderr(`${message}\n`);
}
