// The metrics facade components use (Fabric's metrics.Provider): counters, gauges and histograms
// made by name and labels. The Prometheus provider keeps its own registry, never prom-client's
// global one, so several peers in one process (tests, the embedded network) do not collide.
import {
  Counter as PromCounter,
  Gauge as PromGauge,
  Histogram as PromHistogram,
  Registry,
} from 'prom-client';
import { ERRORS, FabricPeerError, errorMessage } from '../errors/index.js';

export type Labels = Readonly<Record<string, string | number>>;

/** Fabric's metrics.CounterOpts / GaugeOpts: the full name is namespace_subsystem_name. */
export interface MetricOpts {
  readonly namespace?: string;
  readonly subsystem?: string;
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly string[];
  /**
   * Fabric's statsd name template (`%{#fqname}.%{channel}`); by default the dotted full name
   * followed by each label value, which is what Fabric's own metrics use.
   */
  readonly statsdFormat?: string;
}

export interface HistogramOpts extends MetricOpts {
  /** Seconds; Prometheus' defaults (.005 … 10) when absent, as Fabric. */
  readonly buckets?: readonly number[];
}

export interface Counter {
  with(labels: Labels): Counter;
  add(delta?: number): void;
}

export interface Gauge {
  with(labels: Labels): Gauge;
  add(delta: number): void;
  set(value: number): void;
}

export interface Histogram {
  with(labels: Labels): Histogram;
  observe(value: number): void;
}

export interface MetricsProvider {
  newCounter(opts: MetricOpts): Counter;
  newGauge(opts: MetricOpts): Gauge;
  newHistogram(opts: HistogramOpts): Histogram;
}

export function fullMetricName(opts: MetricOpts): string {
  return [opts.namespace, opts.subsystem, opts.name].filter((p) => p !== undefined && p !== '').join('_');
}

type AnyMetric = Counter & Gauge & Histogram;
const NOOP_METRIC: AnyMetric = {
  with: () => NOOP_METRIC,
  add: () => undefined,
  set: () => undefined,
  observe: () => undefined,
};

/** metrics.provider: disabled. Every call is a no-op. */
export class DisabledMetricsProvider implements MetricsProvider {
  newCounter(): Counter {
    return NOOP_METRIC;
  }
  newGauge(): Gauge {
    return NOOP_METRIC;
  }
  newHistogram(): Histogram {
    return NOOP_METRIC;
  }
}

type AnyPromMetric = PromCounter<string> | PromGauge<string> | PromHistogram<string>;

/** metrics.provider: prometheus. Asking twice for the same name returns the same metric. */
export class PrometheusMetricsProvider implements MetricsProvider {
  readonly registry = new Registry();

  newCounter(opts: MetricOpts): Counter {
    const metric = this.getOrCreate(opts, PromCounter, () => new PromCounter(this.config(opts)));
    const bind = (labels: Labels): Counter => ({
      with: (more) => bind({ ...labels, ...more }),
      add: (delta = 1) => metric.inc(labels, delta),
    });
    return bind({});
  }

  newGauge(opts: MetricOpts): Gauge {
    const metric = this.getOrCreate(opts, PromGauge, () => new PromGauge(this.config(opts)));
    const bind = (labels: Labels): Gauge => ({
      with: (more) => bind({ ...labels, ...more }),
      add: (delta) => metric.inc(labels, delta),
      set: (value) => metric.set(labels, value),
    });
    return bind({});
  }

  newHistogram(opts: HistogramOpts): Histogram {
    const metric = this.getOrCreate(opts, PromHistogram, () => {
      const config = this.config(opts);
      return new PromHistogram(opts.buckets ? { ...config, buckets: [...opts.buckets] } : config);
    });
    const bind = (labels: Labels): Histogram => ({
      with: (more) => bind({ ...labels, ...more }),
      observe: (value) => metric.observe(labels, value),
    });
    return bind({});
  }

  /** The exposition text served at /metrics. */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private config(opts: MetricOpts): {
    name: string;
    help: string;
    labelNames: string[];
    registers: Registry[];
  } {
    return {
      name: fullMetricName(opts),
      help: opts.help,
      labelNames: [...(opts.labelNames ?? [])],
      registers: [this.registry],
    };
  }

  private getOrCreate<M extends AnyPromMetric>(
    opts: MetricOpts,
    kind: abstract new (...args: never[]) => M,
    create: () => M,
  ): M {
    const name = fullMetricName(opts);
    const existing = this.registry.getSingleMetric(name);
    if (existing === undefined) {
      try {
        return create();
      } catch (cause) {
        const reason = errorMessage(cause);
        throw new FabricPeerError(ERRORS.METRICS.INVALID_OPTS, { name, reason }, { cause });
      }
    }
    if (!(existing instanceof kind)) {
      throw new FabricPeerError(ERRORS.METRICS.INVALID_OPTS, {
        name,
        reason: 'already registered as a different kind of metric',
      });
    }
    return existing;
  }
}
