// metrics.provider: statsd, as Fabric's (go-kit) provider: label values become parts of the metric
// name through a StatsdFormat, values are aggregated in memory and sent every writeInterval.
import { type Socket as UdpSocket, createSocket } from 'node:dgram';
import { type Socket as TcpSocket, createConnection } from 'node:net';
import type { MetricsConfig } from '../config/index.js';
import { ERRORS, FabricPeerError, errorMessage } from '../errors/index.js';
import { splitHostPort } from '../config/index.js';
import type { Counter, Gauge, Histogram, Labels, MetricOpts, MetricsProvider } from './metrics.js';

export interface StatsdOptions {
  network: 'udp' | 'tcp';
  /** host:port of the statsd daemon. */
  address: string;
  /** Milliseconds between sends. */
  writeInterval: number;
  /** Prepended to every name; a trailing dot is added when missing, as Fabric does. */
  prefix?: string;
}

const UDP_PACKET_BYTES = 1432;

// Fabric replaces these in label values so a value cannot break the dotted name or the line format.
const INVALID_LABEL_CHARS = /[.|:\s]/g;

/** Fabric's namer: %{#fqname} %{#namespace} %{#subsystem} %{#name} and %{label}. */
export function statsdName(opts: MetricOpts, labels: Labels): string {
  const fqname = [opts.namespace, opts.subsystem, opts.name]
    .filter((p) => p !== undefined && p !== '')
    .join('.');
  const format =
    opts.statsdFormat ?? ['%{#fqname}', ...(opts.labelNames ?? []).map((l) => `%{${l}}`)].join('.');
  return format.replace(/%\{([#?A-Za-z0-9_]+)\}/g, (_whole, key: string) => {
    switch (key) {
      case '#namespace':
        return opts.namespace ?? '';
      case '#subsystem':
        return opts.subsystem ?? '';
      case '#name':
        return opts.name;
      case '#fqname':
        return fqname;
      default: {
        const value = labels[key];
        if (value === undefined) throw new Error(`invalid label in name format: ${key}`);
        return String(value).replace(INVALID_LABEL_CHARS, '_');
      }
    }
  });
}

export class StatsdMetricsProvider implements MetricsProvider {
  private readonly counters = new Map<string, number>();
  private readonly gauges = new Map<string, { value: number; relative: boolean }>();
  private timings: string[] = [];
  private readonly prefix: string;
  private timer: NodeJS.Timeout | undefined;
  private udp: UdpSocket | undefined;
  private tcp: TcpSocket | undefined;

  constructor(private readonly options: StatsdOptions) {
    const prefix = options.prefix ?? '';
    this.prefix = prefix !== '' && !prefix.endsWith('.') ? `${prefix}.` : prefix;
  }

  static fromConfig(config: MetricsConfig): StatsdMetricsProvider {
    const { network, address, writeInterval, prefix } = config.statsd;
    return new StatsdMetricsProvider({ network, address, writeInterval, prefix });
  }

  newCounter(opts: MetricOpts): Counter {
    const bind = (labels: Labels): Counter => ({
      with: (more) => bind({ ...labels, ...more }),
      add: (delta = 1) => {
        const name = statsdName(opts, labels);
        this.counters.set(name, (this.counters.get(name) ?? 0) + delta);
      },
    });
    return bind({});
  }

  newGauge(opts: MetricOpts): Gauge {
    const bind = (labels: Labels): Gauge => ({
      with: (more) => bind({ ...labels, ...more }),
      add: (delta) => {
        const name = statsdName(opts, labels);
        const previous = this.gauges.get(name);
        this.gauges.set(name, {
          value: (previous?.value ?? 0) + delta,
          relative: previous?.relative ?? true,
        });
      },
      set: (value) => this.gauges.set(statsdName(opts, labels), { value, relative: false }),
    });
    return bind({});
  }

  newHistogram(opts: MetricOpts): Histogram {
    const bind = (labels: Labels): Histogram => ({
      with: (more) => bind({ ...labels, ...more }),
      // Fabric sends histogram observations as timings, in the unit observed (seconds).
      observe: (value) => void this.timings.push(`${this.prefix}${statsdName(opts, labels)}:${value}|ms`),
    });
    return bind({});
  }

  /** Opens the connection and sends every writeInterval, as Fabric's operations system does. */
  async start(): Promise<void> {
    try {
      await this.connect();
    } catch (cause) {
      const { network, address } = this.options;
      const reason = errorMessage(cause);
      throw new FabricPeerError(ERRORS.METRICS.STATSD_UNREACHABLE, { network, address, reason }, { cause });
    }
    this.timer = setInterval(() => this.flush(), this.options.writeInterval);
  }

  private async connect(): Promise<void> {
    const target = splitHostPort(this.options.address);
    if (target === undefined) throw new Error(`statsd address ${this.options.address} is not host:port`);
    const host = target.host === '' ? '127.0.0.1' : target.host;
    if (this.options.network === 'udp') {
      const udp = createSocket(host.includes(':') ? 'udp6' : 'udp4');
      await new Promise<void>((resolve, reject) => {
        udp.once('error', reject);
        udp.connect(target.port, host, () => {
          udp.off('error', reject);
          resolve();
        });
      });
      udp.on('error', () => undefined);
      this.udp = udp;
    } else {
      const tcp = createConnection({ host, port: target.port });
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject);
        tcp.once('connect', () => {
          tcp.off('error', reject);
          resolve();
        });
      });
      tcp.on('error', () => undefined);
      this.tcp = tcp;
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    this.flush();
    const udp = this.udp;
    const tcp = this.tcp;
    this.udp = undefined;
    this.tcp = undefined;
    if (udp !== undefined) await new Promise<void>((resolve) => udp.close(() => resolve()));
    if (tcp !== undefined) await new Promise<void>((resolve) => tcp.end(() => resolve()));
  }

  /** The lines that the next send would carry, and forgets them. */
  drain(): string[] {
    const lines = [
      ...[...this.counters].map(([name, sum]) => `${this.prefix}${name}:${sum}|c`),
      // statsd reads a signed gauge value as a change and a bare one as the new value.
      ...[...this.gauges].map(
        ([name, g]) => `${this.prefix}${name}:${g.relative && g.value >= 0 ? '+' : ''}${g.value}|g`,
      ),
      ...this.timings,
    ];
    this.counters.clear();
    this.gauges.clear();
    this.timings = [];
    return lines;
  }

  private flush(): void {
    const lines = this.drain();
    if (lines.length === 0) return;
    if (this.tcp !== undefined) {
      this.tcp.write(`${lines.join('\n')}\n`);
      return;
    }
    // Datagrams stay under a typical MTU, as statsd clients do.
    let packet = '';
    for (const line of lines) {
      if (packet !== '' && packet.length + line.length + 1 > UDP_PACKET_BYTES) {
        this.udp?.send(packet);
        packet = '';
      }
      packet += `${line}\n`;
    }
    if (packet !== '') this.udp?.send(packet);
  }
}
