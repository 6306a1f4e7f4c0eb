// Which chaincode runs where (Fabric's HandlerRegistry + RuntimeLauncher): the handlers of
// registered chaincode by id, and launches in progress. A launch is shared by every transaction that
// needs the chaincode while it starts; it ends when the chaincode REGISTERs (and READY was sent),
// fails, or runs out of `chaincode.startuptimeout`.
import { type Handler } from './handler.js';
import { type LaunchOutcome } from './launcher.js';

export class LaunchState {
  readonly done: Promise<Handler>;
  readonly abort = new AbortController();
  outcome: LaunchOutcome | undefined;
  private resolveFn!: (h: Handler) => void;
  private rejectFn!: (err: Error) => void;
  private settled = false;

  constructor(readonly packageId: string) {
    this.done = new Promise<Handler>((resolve, reject) => {
      this.resolveFn = resolve;
      this.rejectFn = reject;
    });
    this.done.catch(() => undefined); // whoever waits sees it; never unhandled
  }

  get isSettled(): boolean {
    return this.settled;
  }

  succeed(h: Handler): void {
    if (this.settled) return;
    this.settled = true;
    this.resolveFn(h);
  }

  fail(err: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.abort.abort(err);
    this.rejectFn(err);
  }
}

export class HandlerRegistry {
  private readonly handlers = new Map<string, Handler>();
  private readonly launching = new Map<string, LaunchState>();
  /** What each running chaincode was started with, to stop it when its stream ends or on close. */
  private readonly running = new Map<string, LaunchOutcome>();
  private readonly waiters = new Map<string, Set<(ok: boolean) => void>>();

  constructor(private readonly allowUnsolicitedRegistration: boolean) {}

  handler(id: string): Handler | undefined {
    return this.handlers.get(id);
  }

  /** Ids registered as `<name>:<anything>` (dev mode's "mycc:1.0" for a chaincode named mycc). */
  idsNamed(name: string): string[] {
    return [...this.handlers.keys()].filter((id) => id.startsWith(`${name}:`));
  }

  /** The launch in progress for `id`, and whether it was already under way. */
  launch(id: string): { state: LaunchState; alreadyStarted: boolean } {
    const existing = this.launching.get(id);
    if (existing) return { state: existing, alreadyStarted: true };
    const state = new LaunchState(id);
    this.launching.set(id, state);
    void state.done.then(
      () => this.launching.delete(id),
      () => {
        if (this.launching.get(id) === state) this.launching.delete(id);
      },
    );
    return { state, alreadyStarted: false };
  }

  /** Fabric's HandlerRegistry.Register: refuses duplicates and, outside dev mode, strangers. */
  register(h: Handler): void {
    const id = h.chaincodeId;
    if (this.handlers.has(id)) throw new Error(`duplicate chaincodeID: ${id}`);
    const state = this.launching.get(id);
    if (!state && !this.allowUnsolicitedRegistration) {
      throw new Error(`peer will not accept external chaincode connection ${id} (except in dev mode)`);
    }
    this.handlers.set(id, h);
    void h.ready.then(
      () => this.notifyWaiters(id),
      () => undefined,
    );
    if (state) {
      if (state.outcome) this.running.set(id, state.outcome);
      void h.ready.then(
        () => state.succeed(h),
        (err: Error) => state.fail(err),
      );
    }
  }

  /** The stream of `h` ended: forget it, and return what was started for it (to be stopped). */
  deregister(h: Handler): LaunchOutcome | undefined {
    const id = h.chaincodeId;
    if (id === '' || this.handlers.get(id) !== h) return undefined;
    this.handlers.delete(id);
    const outcome = this.running.get(id);
    this.running.delete(id);
    return outcome;
  }

  /** Waits until a chaincode registers under `id` and is ready (dev mode, tests); false on timeout. */
  waitFor(id: string, timeoutMs: number): Promise<boolean> {
    if (this.handlers.get(id)?.state === 'ready') return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const set = this.waiters.get(id) ?? new Set<(ok: boolean) => void>();
      this.waiters.set(id, set);
      const timer = setTimeout(() => finish(false), timeoutMs);
      const finish = (ok: boolean): void => {
        clearTimeout(timer);
        set.delete(finish);
        if (set.size === 0 && this.waiters.get(id) === set) this.waiters.delete(id);
        resolve(ok);
      };
      set.add(finish);
    });
  }

  private notifyWaiters(id: string): void {
    for (const w of [...(this.waiters.get(id) ?? [])]) w(true);
  }

  /** Everything, for close(): handlers, launches, started programs. */
  drain(): { handlers: Handler[]; launches: LaunchState[]; outcomes: LaunchOutcome[] } {
    const out = {
      handlers: [...this.handlers.values()],
      launches: [...this.launching.values()],
      outcomes: [
        ...this.running.values(),
        ...[...this.launching.values()].flatMap((l) => (l.outcome ? [l.outcome] : [])),
      ],
    };
    this.handlers.clear();
    this.launching.clear();
    this.running.clear();
    for (const set of this.waiters.values()) for (const w of [...set]) w(false);
    return out;
  }
}
