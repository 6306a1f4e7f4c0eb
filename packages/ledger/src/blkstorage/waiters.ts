// Callers waiting for the chain to reach a height (the Deliver service's "wait for the next block").
// Woken by append, never by polling; an AbortSignal removes its waiter.

interface Waiter {
  height: number;
  resolve: (reached: boolean) => void;
}

export class HeightWaiters {
  private waiting = new Set<Waiter>();
  private current = 0;
  private closed = false;

  /** Resolves true once the height is at least `height`, false if closed first; rejects on abort. */
  wait(height: number, signal?: AbortSignal): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    if (this.current >= height) return Promise.resolve(true);
    return new Promise<boolean>((resolve, reject) => {
      const onAbort = (): void => {
        this.waiting.delete(w);
        reject(signal?.reason);
      };
      const w: Waiter = {
        height,
        resolve: (reached) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(reached);
        },
      };
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.add(w);
    });
  }

  reached(height: number): void {
    this.current = height;
    for (const w of this.waiting) {
      if (w.height <= height) {
        this.waiting.delete(w);
        w.resolve(true);
      }
    }
  }

  closeAll(): void {
    this.closed = true;
    for (const w of this.waiting) w.resolve(false);
    this.waiting.clear();
  }
}
