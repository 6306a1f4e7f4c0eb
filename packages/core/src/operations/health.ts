// Fabric's healthz: components register a checker; /healthz runs them all and answers 200 with
import { errorMessage } from '../errors/index.js';
// {"status":"OK","time":...} or 503 listing each failed component and why.

/** Resolves when healthy; throws (or rejects) with the reason when not. */
export type HealthChecker = (signal: AbortSignal) => Promise<void> | void;

export interface FailedCheck {
  component: string;
  reason: string;
}

export interface HealthStatus {
  status: 'OK' | 'Service Unavailable';
  time: string;
  failed_checks?: FailedCheck[];
}

/** Fabric's healthz handler gives the checkers 30 seconds. */
export const DEFAULT_HEALTH_TIMEOUT_MS = 30_000;

export class HealthRegistry {
  private readonly checkers = new Map<string, HealthChecker>();

  constructor(private readonly timeoutMs = DEFAULT_HEALTH_TIMEOUT_MS) {}

  /** Fabric refuses a second checker for one component; so do we. */
  register(component: string, checker: HealthChecker): void {
    if (this.checkers.has(component)) throw new Error(`health checker already registered for ${component}`);
    this.checkers.set(component, checker);
  }

  deregister(component: string): void {
    this.checkers.delete(component);
  }

  async check(now: () => Date = () => new Date()): Promise<HealthStatus> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new Error('health check timed out'));
      }, this.timeoutMs);
    });
    try {
      const results = await Promise.all(
        [...this.checkers].map(async ([component, checker]): Promise<FailedCheck | undefined> => {
          try {
            await Promise.race([Promise.resolve().then(() => checker(controller.signal)), timedOut]);
            return undefined;
          } catch (error) {
            return { component, reason: errorMessage(error) };
          }
        }),
      );
      const failed = results.filter((r): r is FailedCheck => r !== undefined);
      const time = now().toISOString();
      return failed.length === 0
        ? { status: 'OK', time }
        : { status: 'Service Unavailable', time, failed_checks: failed };
    } finally {
      clearTimeout(timer);
      timedOut.catch(() => undefined);
    }
  }
}
