// The contract the gateway tests run in process (real fabric-contract-api through the real shim).
import { Contract, type Context } from 'fabric-contract-api';

export class AssetContract extends Contract {
  constructor() {
    super('asset');
  }

  async put(ctx: Context, key: string, value: string): Promise<string> {
    await ctx.stub.putState(key, Buffer.from(value));
    ctx.stub.setEvent('put', Buffer.from(`${key}=${value}`));
    return value;
  }

  async get(ctx: Context, key: string): Promise<string> {
    const v = await ctx.stub.getState(key);
    if (v.length === 0) throw new Error(`asset ${key} does not exist`);
    return Buffer.from(v).toString();
  }

  /** Reads then writes `key`: two of these endorsed before either commits conflict (MVCC). */
  async inc(ctx: Context, key: string): Promise<string> {
    const v = await ctx.stub.getState(key);
    const n = (v.length === 0 ? 0 : Number(Buffer.from(v).toString())) + 1;
    await ctx.stub.putState(key, Buffer.from(String(n)));
    return String(n);
  }

  async mspid(ctx: Context): Promise<string> {
    return ctx.clientIdentity.getMSPID();
  }
}

export const ASSET = { contracts: [AssetContract], title: 'asset' } as const;
