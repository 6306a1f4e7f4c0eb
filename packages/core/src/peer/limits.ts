// peer.limits.concurrency around a service's handlers: a unary call holds a slot until it answers,
// a stream until it ends. Over the limit the call gets RESOURCE_EXHAUSTED at once, as Fabric.
import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import type { ConcurrencyLimiter } from '../server/index.js';

type AnyCall = {
  on(event: string, fn: () => void): unknown;
  emit?: unknown;
  destroy?: (err?: Error) => void;
};

export function limitUnary(
  limiter: ConcurrencyLimiter,
  impl: UntypedServiceImplementation,
): UntypedServiceImplementation {
  const out: UntypedServiceImplementation = {};
  for (const [name, fn] of Object.entries(impl)) {
    out[name] = ((call: AnyCall, cb: (err: unknown, value?: unknown) => void) => {
      const slot = limiter.acquire();
      if ('error' in slot) {
        cb(slot.error);
        return;
      }
      (fn as (c: AnyCall, cb: (err: unknown, value?: unknown) => void) => void)(call, (err, value) => {
        slot.release();
        cb(err, value);
      });
    }) as never;
  }
  return out;
}

export function limitStreams(
  limiter: ConcurrencyLimiter,
  impl: UntypedServiceImplementation,
): UntypedServiceImplementation {
  const out: UntypedServiceImplementation = {};
  for (const [name, fn] of Object.entries(impl)) {
    out[name] = ((call: AnyCall & { emit(e: string, err: unknown): boolean }) => {
      const slot = limiter.acquire();
      if ('error' in slot) {
        call.emit('error', slot.error);
        return;
      }
      for (const e of ['finish', 'close', 'cancelled', 'error']) call.on(e, slot.release);
      (fn as (c: AnyCall) => void)(call);
    }) as never;
  }
  return out;
}
