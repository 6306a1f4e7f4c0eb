// Profiling endpoints in the spirit of Go's /debug/pprof, with V8's formats: a CPU profile
// (.cpuprofile, opens in Chrome DevTools) and a heap snapshot (.heapsnapshot).
import type { ServerResponse } from 'node:http';
import { Session } from 'node:inspector/promises';
import { getHeapSnapshot } from 'node:v8';

/** Go's default when `seconds` is absent. */
export const DEFAULT_PROFILE_SECONDS = 30;

export class Profiler {
  private active: { session: Session; timer: NodeJS.Timeout; finish: () => void } | undefined;

  /** Only one CPU profile at a time, as in Go ("cpu profiling already in use"). */
  get busy(): boolean {
    return this.active !== undefined;
  }

  async cpuProfile(seconds: number): Promise<unknown> {
    if (this.active !== undefined)
      throw new Error('Could not enable CPU profiling: cpu profiling already in use');
    const session = new Session();
    session.connect();
    try {
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
      await new Promise<void>((finish) => {
        const timer = setTimeout(finish, seconds * 1000);
        this.active = { session, timer, finish };
      });
      const { profile } = await session.post('Profiler.stop');
      return profile;
    } finally {
      this.active = undefined;
      session.disconnect();
    }
  }

  /** Ends a running profile early (server stop); the caller still gets what was recorded. */
  cancel(): void {
    if (this.active === undefined) return;
    clearTimeout(this.active.timer);
    this.active.finish();
  }

  heapSnapshot(res: ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Content-Disposition': 'attachment; filename="heap.heapsnapshot"',
    });
    getHeapSnapshot().pipe(res);
  }
}

/** Go's rule: a missing or non-positive `seconds` means the default. Fractions are allowed here. */
export function profileSeconds(query: URLSearchParams): number {
  const seconds = Number(query.get('seconds') ?? '');
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 3600) : DEFAULT_PROFILE_SECONDS;
}
