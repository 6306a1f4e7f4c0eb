// One block from an orderer (or a peer's orderer-compatible Deliver), as `peer channel fetch` gets it:
// a signed SeekInfo for one position, BLOCK_UNTIL_READY, the block, then the status. `config` fetches
// the newest block and then the config block its metadata points at.
import { type ClientDuplexStream, makeGenericClientConstructor } from '@grpc/grpc-js';
import { common, orderer } from '@fabric-peer/protos';
import { type Signer, createSignedEnvelope } from '../configtx/index.js';
import { lastConfigIndex } from '../channel/index.js';
import { type ClientTlsOptions, certHash, clientChannelOptions, clientCredentials } from '../server/index.js';

const AtomicBroadcastClient = makeGenericClientConstructor(orderer.AtomicBroadcastService, 'AtomicBroadcast');

export type FetchPosition = 'newest' | 'oldest' | 'config' | number;

export interface FetchBlockOptions {
  address: string;
  /** Omitted = plaintext. With `cert`, the request is bound to it (tls_cert_hash). */
  tls?: ClientTlsOptions;
  channelId: string;
  signer: Signer;
  position: FetchPosition;
  timeoutMs?: number;
}

/** Fetches one block; rejects with the orderer's status (e.g. "FORBIDDEN") or a transport error. */
export async function fetchBlock(o: FetchBlockOptions): Promise<common.Block> {
  const client = new AtomicBroadcastClient(o.address, clientCredentials(o.tls), clientChannelOptions(o.tls));
  try {
    const seekOne = (pos: orderer.SeekPosition): Promise<common.Block> => {
      const call = (
        client as unknown as {
          deliver(o: object): ClientDuplexStream<common.Envelope, orderer.DeliverResponse>;
        }
      ).deliver({ deadline: Date.now() + (o.timeoutMs ?? 30_000) });
      const seek = orderer.SeekInfo.encode({ start: pos, stop: pos, behavior: 0 });
      const tlsCertHash = o.tls?.cert !== undefined ? certHash(o.tls.cert.toString()) : undefined;
      return new Promise((resolve, reject) => {
        let block: common.Block | undefined;
        call.on('data', (r: orderer.DeliverResponse) => {
          if (r.block) block = r.block;
          else if (r.status === common.Status.SUCCESS && block) resolve(block);
          else reject(new Error(`can't read the block: ${common.Status[r.status ?? 0] ?? r.status}`));
          if (!r.block) call.end();
        });
        call.on('error', reject);
        call.on('end', () => reject(new Error('deliver stream ended without a status')));
        call.write(
          createSignedEnvelope(common.HeaderType.DELIVER_SEEK_INFO, o.channelId, o.signer, seek, {
            ...(tlsCertHash && { tlsCertHash }),
          }),
        );
      });
    };
    const p = o.position;
    if (p === 'oldest') return await seekOne({ oldest: {} });
    if (p === 'newest') return await seekOne({ newest: {} });
    if (typeof p === 'number') return await seekOne({ specified: { number: p } });
    const newest = await seekOne({ newest: {} });
    return await seekOne({ specified: { number: lastConfigIndex(newest) } });
  } finally {
    client.close();
  }
}
