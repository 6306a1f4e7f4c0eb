// asset-transfer's application on fabric-network 2.2 (the SDK most Fabric 2.x apps still run on):
// a wallet holding Org1's User1, the connection profile, discovery on with asLocalhost, so the client
// learns the endorsement plan and the orderer from the peer itself.
import {
  type Contract,
  type ContractEvent,
  Gateway,
  type Wallet,
  Wallets,
  type X509Identity,
} from 'fabric-network';
import type { Asset } from 'asset-transfer/contract';

export interface Identity {
  mspId: string;
  certificate: string;
  privateKey: string;
}

export interface RunOptions {
  /** A Fabric common connection profile (e.g. the dev network's connection-org1.json). */
  profile: Record<string, unknown>;
  identity: Identity;
  channelName: string;
  chaincodeName: string;
  log?: (line: string) => void;
}

export interface RunResult {
  assetId: string;
  events: { eventName: string; assetId: string; owner: string }[];
}

export async function userWallet(identity: Identity, label = 'User1'): Promise<Wallet> {
  const wallet = await Wallets.newInMemoryWallet();
  const x509: X509Identity = {
    type: 'X.509',
    mspId: identity.mspId,
    credentials: { certificate: identity.certificate, privateKey: identity.privateKey },
  };
  await wallet.put(label, x509);
  return wallet;
}

const parse = <T>(bytes: Buffer): T => JSON.parse(bytes.toString('utf8')) as T;

export async function runAssetTransfer(opts: RunOptions): Promise<RunResult> {
  const log = opts.log ?? ((line: string): void => console.log(line));
  const gateway = new Gateway();
  await gateway.connect(opts.profile, {
    wallet: await userWallet(opts.identity),
    identity: 'User1',
    discovery: { enabled: true, asLocalhost: true },
  });
  try {
    const network = await gateway.getNetwork(opts.channelName);
    const contract: Contract = network.getContract(opts.chaincodeName);
    const assetId = `asset${Date.now()}`;

    const events: RunResult['events'] = [];
    let deleted!: () => void;
    const sawDelete = new Promise<void>((resolve) => (deleted = resolve));
    const listener = async (event: ContractEvent): Promise<void> => {
      if (event.payload === undefined) return;
      const asset = parse<Asset>(event.payload);
      events.push({ eventName: event.eventName, assetId: asset.ID, owner: asset.Owner });
      log(`<-- event ${event.eventName} ${asset.ID} (owner ${asset.Owner})`);
      if (event.eventName === 'DeleteAsset' && asset.ID === assetId) deleted();
    };
    await contract.addContractListener(listener);

    try {
      log(`--> CreateAsset ${assetId}`);
      await contract.submitTransaction('CreateAsset', assetId, 'yellow', '5', 'Tom', '1300');
      log(`*** ReadAsset: ${(await contract.evaluateTransaction('ReadAsset', assetId)).toString()}`);

      log(`--> UpdateAsset ${assetId} (blue, 10, 2000)`);
      await contract.submitTransaction('UpdateAsset', assetId, 'blue', '10', 'Tom', '2000');

      log(`--> TransferAsset ${assetId} to Saptha`);
      const tx = contract.createTransaction('TransferAsset');
      const oldOwner = (await tx.submit(assetId, 'Saptha')).toString();
      log(`*** TransferAsset: ${assetId} was owned by ${oldOwner} (transaction ${tx.getTransactionId()})`);

      const all = parse<Asset[]>(await contract.evaluateTransaction('GetAllAssets'));
      log(`*** GetAllAssets: ${all.length} asset(s): ${JSON.stringify(all)}`);
      const mine = all.find((a) => a.ID === assetId);
      if (mine?.Owner !== 'Saptha' || mine.Color !== 'blue')
        throw new Error(`unexpected ${JSON.stringify(mine)}`);

      const refused = await contract
        .submitTransaction('UpdateAsset', 'no-such-asset', 'red', '1', 'X', '1')
        .then(
          () => undefined,
          (err: Error) => err,
        );
      if (refused === undefined) throw new Error('updating a missing asset should have failed');
      log(`*** UpdateAsset of a missing asset failed as it should: ${refused.message}`);

      log(`--> DeleteAsset ${assetId}`);
      await contract.submitTransaction('DeleteAsset', assetId);
      const exists = (await contract.evaluateTransaction('AssetExists', assetId)).toString();
      log(`*** AssetExists ${assetId}: ${exists}`);
      if (exists !== 'false') throw new Error(`${assetId} still exists after DeleteAsset`);

      await within(sawDelete, 10_000, 'DeleteAsset contract event');
      return { assetId, events };
    } finally {
      contract.removeContractListener(listener);
    }
  } finally {
    gateway.disconnect();
  }
}

async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
