// The verify worker pool (peer.validatorPoolSize): ECDSA verification is the validator's main cost
// (~60us each), so a block's signatures are split across worker threads that only run OpenSSL. The
// Fabric checks on the bytes (DER shape, low S) stay on this thread; keys go to each worker once.
import { Worker } from 'node:worker_threads';
import { type PublicKey } from '@fabric-peer/msp';
import {
  InlineVerifier,
  type SignatureVerifier,
  type VerifyJob,
  canonicalDer,
  verifyInline,
} from './sigverify.js';

// Plain CommonJS so the worker needs neither TypeScript nor the workspace packages.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createPublicKey, verify } = require('node:crypto');
const keys = new Map();
parentPort.on('message', (m) => {
  for (const [id, spki] of m.keys) keys.set(id, createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }));
  const buf = Buffer.from(m.buf);
  const out = new Uint8Array(m.n);
  let off = 0;
  for (let i = 0; i < m.n; i++) {
    const key = keys.get(m.meta[3 * i]);
    const dl = m.meta[3 * i + 1];
    const sl = m.meta[3 * i + 2];
    const data = buf.subarray(off, off + dl);
    const sig = buf.subarray(off + dl, off + dl + sl);
    off += dl + sl;
    try { out[i] = verify('sha256', data, key, sig) ? 1 : 0; } catch { out[i] = 0; }
  }
  parentPort.postMessage({ id: m.id, out }, [out.buffer]);
});
`;

interface Pending {
  resolve: (out: Uint8Array) => void;
  reject: (err: Error) => void;
}

class PoolWorker {
  readonly worker: Worker;
  readonly knownKeys = new Set<number>();
  readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor() {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [] });
    this.worker.on('message', (m: { id: number; out: Uint8Array }) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      p?.resolve(m.out);
    });
    this.worker.on('error', (err) => this.failAll(err));
    this.worker.on('exit', () => this.failAll(new Error('verify worker exited')));
  }

  run(msg: {
    keys: [number, Uint8Array][];
    buf: ArrayBuffer;
    meta: Uint32Array;
    n: number;
  }): Promise<Uint8Array> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, ...msg }, [msg.buf, msg.meta.buffer as ArrayBuffer]);
    });
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}

export interface VerifyPoolOptions {
  size: number;
  /** Batches smaller than this are verified inline: posting costs more than it saves. */
  minBatch?: number;
}

export class VerifyPool implements SignatureVerifier {
  private readonly workers: PoolWorker[];
  private readonly keyIds = new WeakMap<PublicKey, number>();
  private readonly spkis = new Map<number, Uint8Array>();
  private nextKeyId = 1;
  private readonly minBatch: number;
  private readonly inline = new InlineVerifier();
  private closed = false;
  private broken = false;

  constructor(opts: VerifyPoolOptions) {
    this.workers = Array.from({ length: Math.max(1, opts.size) }, () => new PoolWorker());
    this.minBatch = opts.minBatch ?? 32;
  }

  get size(): number {
    return this.workers.length;
  }

  async verifyBatch(jobs: readonly VerifyJob[]): Promise<Uint8Array> {
    if (this.closed || this.broken || jobs.length < this.minBatch) return this.inline.verifyBatch(jobs);
    try {
      return await this.onWorkers(jobs);
    } catch {
      // A worker died (out of memory, killed): verify here from now on rather than stall commits.
      this.broken = true;
      return this.inline.verifyBatch(jobs);
    }
  }

  private async onWorkers(jobs: readonly VerifyJob[]): Promise<Uint8Array> {
    const out = new Uint8Array(jobs.length);
    // Jobs the workers can take: P-256 keys (SHA-256) with a canonical signature.
    const routed: { index: number; keyId: number; data: Uint8Array; der: Uint8Array }[] = [];
    jobs.forEach((job, index) => {
      const pk = job.identity.publicKey;
      // Checked already in this process (the embedded orderer's policy check, our own endorsement).
      if (pk.verifiedBefore(job.data, job.signature)) {
        out[index] = 1;
        return;
      }
      if (pk.curve.name !== 'P-256') {
        out[index] = verifyInline(job) ? 1 : 0;
        return;
      }
      const der = canonicalDer(job.signature, pk.curve.halfOrder);
      if (!der) return; // out[index] stays 0
      routed.push({ index, keyId: this.keyIdOf(pk), data: job.data, der });
    });
    const n = this.workers.length;
    const per = Math.ceil(routed.length / n);
    await Promise.all(
      this.workers.map(async (w, k) => {
        const part = routed.slice(k * per, (k + 1) * per);
        if (part.length === 0) return;
        const keys: [number, Uint8Array][] = [];
        let bytes = 0;
        for (const r of part) {
          bytes += r.data.length + r.der.length;
          if (!w.knownKeys.has(r.keyId)) {
            w.knownKeys.add(r.keyId);
            keys.push([r.keyId, this.spkis.get(r.keyId)!]);
          }
        }
        const buf = new Uint8Array(bytes);
        const meta = new Uint32Array(part.length * 3);
        let off = 0;
        part.forEach((r, i) => {
          buf.set(r.data, off);
          buf.set(r.der, off + r.data.length);
          off += r.data.length + r.der.length;
          meta[3 * i] = r.keyId;
          meta[3 * i + 1] = r.data.length;
          meta[3 * i + 2] = r.der.length;
        });
        const res = await w.run({ keys, buf: buf.buffer, meta, n: part.length });
        part.forEach((r, i) => (out[r.index] = res[i]!));
      }),
    );
    return out;
  }

  /** Terminates the workers; later batches run inline. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }

  private keyIdOf(pk: PublicKey): number {
    let id = this.keyIds.get(pk);
    if (id === undefined) {
      id = this.nextKeyId++;
      this.keyIds.set(pk, id);
      this.spkis.set(id, pk.toSpki());
    }
    return id;
  }
}
