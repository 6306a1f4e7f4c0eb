// peer.limits.concurrency: Fabric's semaphore per service. A request over the limit is refused at
// once with RESOURCE_EXHAUSTED (Fabric does not queue), and the slot is freed when the call ends.
import { status, type ServiceError, Metadata } from '@grpc/grpc-js';

export class ConcurrencyLimiter {
  private inFlight = 0;

  /** limit <= 0 means unlimited, as Fabric. */
  constructor(
    readonly service: string,
    readonly limit: number,
  ) {}

  /** Takes a slot; returns the release function, or an error to send back when over the limit. */
  acquire(): { release: () => void } | { error: ServiceError } {
    if (this.limit > 0 && this.inFlight >= this.limit) {
      const details = `too many requests for /protos.${this.service}, exceeding concurrency limit (${this.limit})`;
      const error = Object.assign(new Error(details), {
        code: status.RESOURCE_EXHAUSTED,
        details,
        metadata: new Metadata(),
      });
      return { error };
    }
    this.inFlight++;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.inFlight--;
      },
    };
  }

  get active(): number {
    return this.inFlight;
  }
}
