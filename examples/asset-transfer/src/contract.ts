// Fabric's asset-transfer-basic contract, in TypeScript on fabric-contract-api 2.5. Every public method
// of the class is a transaction; the ones that change state emit a chaincode event the app listens to.
// No decorators are needed: fabric-contract-api finds the methods itself (add @Transaction() and
// @Returns() if you want them in the contract's metadata).
import { type Context, Contract } from 'fabric-contract-api';

export interface Asset {
  ID: string;
  Color: string;
  Size: number;
  Owner: string;
  AppraisedValue: number;
}

const encode = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

export class AssetTransferContract extends Contract {
  constructor() {
    super('AssetTransfer');
  }

  async CreateAsset(
    ctx: Context,
    id: string,
    color: string,
    size: string,
    owner: string,
    appraisedValue: string,
  ): Promise<Asset> {
    if (await this.AssetExists(ctx, id)) throw new Error(`the asset ${id} already exists`);
    const asset: Asset = {
      ID: id,
      Color: color,
      Size: Number(size),
      Owner: owner,
      AppraisedValue: Number(appraisedValue),
    };
    await ctx.stub.putState(id, encode(asset));
    ctx.stub.setEvent('CreateAsset', encode(asset));
    return asset;
  }

  async ReadAsset(ctx: Context, id: string): Promise<Asset> {
    const bytes = await ctx.stub.getState(id);
    if (bytes.length === 0) throw new Error(`the asset ${id} does not exist`);
    return JSON.parse(Buffer.from(bytes).toString('utf8')) as Asset;
  }

  async UpdateAsset(
    ctx: Context,
    id: string,
    color: string,
    size: string,
    owner: string,
    appraisedValue: string,
  ): Promise<Asset> {
    await this.ReadAsset(ctx, id);
    const asset: Asset = {
      ID: id,
      Color: color,
      Size: Number(size),
      Owner: owner,
      AppraisedValue: Number(appraisedValue),
    };
    await ctx.stub.putState(id, encode(asset));
    ctx.stub.setEvent('UpdateAsset', encode(asset));
    return asset;
  }

  /** Gives the asset a new owner; returns the old one. */
  async TransferAsset(ctx: Context, id: string, newOwner: string): Promise<string> {
    const asset = await this.ReadAsset(ctx, id);
    const oldOwner = asset.Owner;
    asset.Owner = newOwner;
    await ctx.stub.putState(id, encode(asset));
    ctx.stub.setEvent('TransferAsset', encode(asset));
    return oldOwner;
  }

  async DeleteAsset(ctx: Context, id: string): Promise<void> {
    const asset = await this.ReadAsset(ctx, id);
    await ctx.stub.deleteState(id);
    ctx.stub.setEvent('DeleteAsset', encode(asset));
  }

  async AssetExists(ctx: Context, id: string): Promise<boolean> {
    const bytes = await ctx.stub.getState(id);
    return bytes.length > 0;
  }

  /** Every asset, in key order (a range query over the whole namespace). */
  async GetAllAssets(ctx: Context): Promise<Asset[]> {
    const assets: Asset[] = [];
    for await (const kv of ctx.stub.getStateByRange('', '')) {
      assets.push(JSON.parse(Buffer.from(kv.value).toString('utf8')) as Asset);
    }
    return assets;
  }
}

/** What a contract module exports, as `fabric-chaincode-node start` expects it. */
export const contracts = [AssetTransferContract];
