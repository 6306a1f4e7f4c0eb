// The application: what asset-transfer-basic's application-gateway-typescript does, on the real
// @hyperledger/fabric-gateway client. It only needs a Gateway, so it runs the same against the
// in-process dev network (main.ts) and against any Fabric network.
import { type Gateway, type ChaincodeEvent } from '@hyperledger/fabric-gateway';
import type { Asset } from './contract.js';

const utf8 = new TextDecoder();
const parse = <T>(bytes: Uint8Array): T => JSON.parse(utf8.decode(bytes)) as T;

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface RunOptions {
  channelName: string;
  chaincodeName: string;
  /** Where the app writes what it does (default console.log). */
  log?: (line: string) => void;
}

export interface RunResult {
  assetId: string;
  /** The chaincode events the app received, in commit order. */
  events: { eventName: string; assetId: string; owner: string }[];
}

export async function runAssetTransfer(gateway: Gateway, opts: RunOptions): Promise<RunResult> {
  const log = opts.log ?? ((line: string): void => console.log(line));
  const network = gateway.getNetwork(opts.channelName);
  const contract = network.getContract(opts.chaincodeName);
  const assetId = `asset${Date.now()}`;

  // Listen first, so every event from the transactions below arrives.
  const events = await network.getChaincodeEvents(opts.chaincodeName);
  const received: RunResult['events'] = [];
  const done = (async (): Promise<void> => {
    for await (const event of events as AsyncIterable<ChaincodeEvent>) {
      const asset = parse<Asset>(event.payload);
      received.push({ eventName: event.eventName, assetId: asset.ID, owner: asset.Owner });
      log(`<-- event ${event.eventName} ${asset.ID} (owner ${asset.Owner}) in block ${event.blockNumber}`);
      if (event.eventName === 'DeleteAsset' && asset.ID === assetId) return;
    }
  })();
  // Awaited below; until then a failure of the stream must not be an unhandled rejection.
  done.catch(() => undefined);

  try {
    log(`--> CreateAsset ${assetId}`);
    await contract.submitTransaction('CreateAsset', assetId, 'yellow', '5', 'Tom', '1300');

    const created = parse<Asset>(await contract.evaluateTransaction('ReadAsset', assetId));
    log(`*** ReadAsset: ${JSON.stringify(created)}`);

    log(`--> UpdateAsset ${assetId} (blue, 10, 2000)`);
    await contract.submitTransaction('UpdateAsset', assetId, 'blue', '10', 'Tom', '2000');

    log(`--> TransferAsset ${assetId} to Saptha (async submit)`);
    const commit = await contract.submitAsync('TransferAsset', { arguments: [assetId, 'Saptha'] });
    log(`*** TransferAsset: ${assetId} was owned by ${utf8.decode(commit.getResult())}`);
    const status = await commit.getStatus();
    if (!status.successful)
      throw new Error(`transaction ${status.transactionId} failed with code ${status.code}`);
    log(`*** transaction ${status.transactionId} committed in block ${status.blockNumber}`);

    const all = parse<Asset[]>(await contract.evaluateTransaction('GetAllAssets'));
    log(`*** GetAllAssets: ${all.length} asset(s): ${JSON.stringify(all)}`);

    const refused = await contract
      .submitTransaction('UpdateAsset', 'asset-that-does-not-exist', 'red', '1', 'Nobody', '1')
      .then(
        () => undefined,
        (err: Error) => err,
      );
    if (refused === undefined) throw new Error('updating a missing asset should have failed');
    // An EndorseError's details hold each endorser's own answer.
    const [detail] = (refused as Error & { details?: { message: string }[] }).details ?? [];
    log(`*** UpdateAsset of a missing asset failed as it should: ${detail?.message ?? refused.message}`);

    log(`--> DeleteAsset ${assetId}`);
    await contract.submitTransaction('DeleteAsset', assetId);
    const exists = parse<boolean>(await contract.evaluateTransaction('AssetExists', assetId));
    log(`*** AssetExists ${assetId}: ${exists}`);
    if (exists) throw new Error(`${assetId} still exists after DeleteAsset`);

    await withTimeout(done, 10_000, 'the DeleteAsset chaincode event');
    return { assetId, events: received };
  } finally {
    events.close();
  }
}
