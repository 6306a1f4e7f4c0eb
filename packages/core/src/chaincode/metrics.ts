// Fabric's chaincode metrics (core/chaincode/metrics.go), same names and labels, so dashboards built
// for Fabric's peer work: launch duration/failures/timeouts, shim requests received/completed and
// their duration, execute timeouts. Labelled children are cached: shim requests are the hot path.
import {
  type Counter,
  DisabledMetricsProvider,
  FABRIC_METRICS,
  type Histogram,
  type MetricsProvider,
} from '../operations/index.js';

/** The ones missing from the shared catalogue, as Fabric defines them. */
const LOCAL = {
  launchTimeouts: {
    namespace: 'chaincode',
    name: 'launch_timeouts',
    help: 'The number of chaincode launches that have timed out.',
    labelNames: ['chaincode'],
  },
  shimRequestDuration: {
    namespace: 'chaincode',
    name: 'shim_request_duration',
    help: 'The time to complete chaincode shim requests.',
    labelNames: ['type', 'channel', 'chaincode', 'success'],
  },
  executeTimeouts: {
    namespace: 'chaincode',
    name: 'execute_timeouts',
    help: 'The number of chaincode executions (Init or Invoke) that have timed out.',
    labelNames: ['chaincode'],
  },
} as const;

export class ChaincodeMetrics {
  private readonly launchDuration: Histogram;
  private readonly launchFailures: Counter;
  private readonly launchTimeouts: Counter;
  private readonly requestsReceived: Counter;
  private readonly requestsCompleted: Counter;
  private readonly requestDuration: Histogram;
  private readonly executeTimeouts: Counter;
  private readonly cache = new Map<
    string,
    { received: Counter; ok: [Counter, Histogram]; failed: [Counter, Histogram] }
  >();

  constructor(provider: MetricsProvider = new DisabledMetricsProvider()) {
    this.launchDuration = provider.newHistogram(FABRIC_METRICS.chaincodeLaunchDuration);
    this.launchFailures = provider.newCounter(FABRIC_METRICS.chaincodeLaunchFailures);
    this.launchTimeouts = provider.newCounter(LOCAL.launchTimeouts);
    this.requestsReceived = provider.newCounter(FABRIC_METRICS.chaincodeShimRequestsReceived);
    this.requestsCompleted = provider.newCounter(FABRIC_METRICS.chaincodeShimRequestsCompleted);
    this.requestDuration = provider.newHistogram(LOCAL.shimRequestDuration);
    this.executeTimeouts = provider.newCounter(LOCAL.executeTimeouts);
  }

  launched(chaincode: string, seconds: number, outcome: 'ok' | 'failed' | 'timeout'): void {
    this.launchDuration.with({ chaincode, success: String(outcome === 'ok') }).observe(seconds);
    if (outcome !== 'ok') this.launchFailures.with({ chaincode }).add(1);
    if (outcome === 'timeout') this.launchTimeouts.with({ chaincode }).add(1);
  }

  executeTimedOut(chaincode: string): void {
    this.executeTimeouts.with({ chaincode }).add(1);
  }

  /** Call when a shim request arrives; call the returned function when it is answered. */
  request(type: string, channel: string, chaincode: string): (success: boolean) => void {
    const key = `${type}\u0000${channel}\u0000${chaincode}`;
    let m = this.cache.get(key);
    if (!m) {
      const labels = { type, channel, chaincode };
      m = {
        received: this.requestsReceived.with(labels),
        ok: [
          this.requestsCompleted.with({ ...labels, success: 'true' }),
          this.requestDuration.with({ ...labels, success: 'true' }),
        ],
        failed: [
          this.requestsCompleted.with({ ...labels, success: 'false' }),
          this.requestDuration.with({ ...labels, success: 'false' }),
        ],
      };
      if (this.cache.size < 10_000) this.cache.set(key, m);
    }
    m.received.add(1);
    const started = performance.now();
    const { ok, failed } = m;
    return (success) => {
      const [count, duration] = success ? ok : failed;
      count.add(1);
      duration.observe((performance.now() - started) / 1000);
    };
  }
}
