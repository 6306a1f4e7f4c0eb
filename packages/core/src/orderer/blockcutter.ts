// Fabric's blockcutter: turns the ordered stream of envelopes into batches by the channel's BatchSize.
// A message above PreferredMaxBytes goes into a batch of its own; a message that would push the pending
// batch past PreferredMaxBytes cuts it first; MaxMessageCount cuts as soon as it is reached. The
// BatchTimeout is the chain's business (it calls cut() when the timer fires).
import type { common } from '@fabric-peer/protos';

export interface BatchSizeLimits {
  maxMessageCount: number;
  absoluteMaxBytes: number;
  preferredMaxBytes: number;
}

/** Envelope bytes the way Fabric counts them (payload + signature). */
export function messageSize(env: common.Envelope): number {
  return env.payload.length + env.signature.length;
}

export class BlockCutter {
  private pendingBatch: common.Envelope[] = [];
  private pendingBytes = 0;

  constructor(private limits: BatchSizeLimits) {}

  /** A config update changes the limits for the messages that follow. */
  setLimits(limits: BatchSizeLimits): void {
    this.limits = limits;
  }

  get pendingCount(): number {
    return this.pendingBatch.length;
  }

  /** Adds `env`; returns the batches cut by it and whether messages remain pending. */
  ordered(env: common.Envelope): { batches: common.Envelope[][]; pending: boolean } {
    const size = messageSize(env);
    const batches: common.Envelope[][] = [];
    if (size > this.limits.preferredMaxBytes) {
      if (this.pendingBatch.length > 0) batches.push(this.cut());
      batches.push([env]);
      return { batches, pending: false };
    }
    if (this.pendingBytes + size > this.limits.preferredMaxBytes && this.pendingBatch.length > 0) {
      batches.push(this.cut());
    }
    this.pendingBatch.push(env);
    this.pendingBytes += size;
    if (this.pendingBatch.length >= Math.max(1, this.limits.maxMessageCount)) {
      batches.push(this.cut());
      return { batches, pending: false };
    }
    return { batches, pending: true };
  }

  /** The pending batch (possibly empty), and a fresh one started. */
  cut(): common.Envelope[] {
    const batch = this.pendingBatch;
    this.pendingBatch = [];
    this.pendingBytes = 0;
    return batch;
  }
}
