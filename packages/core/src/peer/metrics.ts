// The peer-level Fabric metrics createPeer keeps itself (ledger_blockchain_height per channel).
import { FABRIC_METRICS, type Gauge, type MetricsProvider } from '../operations/index.js';

export class PeerMetrics {
  private readonly blockchainHeight: Gauge;

  constructor(provider: MetricsProvider) {
    // Providers hand back the same metric for the same name, so a restart re-uses it.
    this.blockchainHeight = provider.newGauge(FABRIC_METRICS.ledgerBlockchainHeight);
  }

  height(channel: string, height: number): void {
    this.blockchainHeight.with({ channel }).set(height);
  }
}
