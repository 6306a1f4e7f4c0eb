// Which orderers a channel's blocks are pulled from: the per-org Endpoints of the channel config (each
// with its org's TLS roots) or, when no org names any, the global OrdererAddresses (with every orderer
// org's roots), then peer.deliveryclient.addressOverrides applied, as Fabric's orderers.ConnectionSource.
import { readFileSync } from 'node:fs';
import type { AddressOverride } from '../config/index.js';
import type { ChannelConfig } from '../channel/index.js';

export interface OrdererEndpoint {
  /** host:port */
  address: string;
  /** PEMs of the TLS roots the orderer's certificate must chain to. */
  rootCerts: string[];
}

/** An override with its CA file already read (files are read once, at start-up). */
export interface ResolvedOverride {
  from: string;
  to: string;
  caCertsPem: string[];
}

export function resolveOverrides(overrides: readonly AddressOverride[]): ResolvedOverride[] {
  return overrides.map((o) => ({
    from: o.from,
    to: o.to,
    caCertsPem: o.caCertsFile ? [readFileSync(o.caCertsFile, 'utf8')] : [],
  }));
}

export function ordererEndpoints(
  config: Pick<ChannelConfig, 'ordererOrgs' | 'ordererAddresses'>,
  overrides: readonly ResolvedOverride[] = [],
): OrdererEndpoint[] {
  const perOrg = config.ordererOrgs.flatMap((org) =>
    org.ordererEndpoints.map((address) => ({ address, rootCerts: org.tlsRootCertsPem })),
  );
  const all =
    perOrg.length > 0
      ? perOrg
      : config.ordererAddresses.map((address) => ({
          address,
          rootCerts: config.ordererOrgs.flatMap((o) => o.tlsRootCertsPem),
        }));
  const seen = new Set<string>();
  const out: OrdererEndpoint[] = [];
  for (const ep of all) {
    const o = overrides.find((x) => x.from === ep.address);
    const e = o ? { address: o.to, rootCerts: o.caCertsPem.length > 0 ? o.caCertsPem : ep.rootCerts } : ep;
    if (seen.has(e.address)) continue;
    seen.add(e.address);
    out.push(e);
  }
  return out;
}
