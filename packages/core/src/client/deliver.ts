// Seeking blocks over Deliver (the peer's protos.Deliver or the orderer's AtomicBroadcast.Deliver):
// a signed DELIVER_SEEK_INFO envelope, then blocks until a status arrives (peer channel fetch).
import type { Client, ClientDuplexStream } from '@grpc/grpc-js';
import { common, orderer } from '@fabric-peer/protos';
import { createSignedEnvelope, type Signer } from '../configtx/index.js';
import { CLIENT_ERRORS, ClientError } from './errors.js';

export type SeekTarget = 'newest' | 'oldest' | number;

const MAX_BLOCK = Number.MAX_SAFE_INTEGER;

function position(t: SeekTarget): orderer.SeekPosition {
  if (t === 'newest') return orderer.SeekPosition.create({ newest: {} });
  if (t === 'oldest') return orderer.SeekPosition.create({ oldest: {} });
  return orderer.SeekPosition.create({ specified: { number: t } });
}

export interface SeekOptions {
  channelId: string;
  start: SeekTarget;
  /** Default: the same as start (one block). */
  stop?: SeekTarget | 'forever';
  /** BLOCK_UNTIL_READY (default) waits for a block that is not there yet. */
  failIfNotReady?: boolean;
  tlsCertHash?: Uint8Array;
}

export function seekEnvelope(o: SeekOptions, signer: Signer): common.Envelope {
  const stop =
    o.stop === 'forever'
      ? orderer.SeekPosition.create({ specified: { number: MAX_BLOCK } })
      : position(o.stop ?? o.start);
  const data = orderer.SeekInfo.encode({
    start: position(o.start),
    stop,
    behavior: o.failIfNotReady
      ? orderer.SeekInfo_SeekBehavior.FAIL_IF_NOT_READY
      : orderer.SeekInfo_SeekBehavior.BLOCK_UNTIL_READY,
  });
  return createSignedEnvelope(common.HeaderType.DELIVER_SEEK_INFO, o.channelId, signer, data, {
    withTxId: true,
    ...(o.tlsCertHash !== undefined && { tlsCertHash: o.tlsCertHash }),
  });
}

interface AnyDeliverResponse {
  status?: common.Status;
  block?: common.Block;
}

/** Runs one seek on `method` ('deliver' on both services); resolves with the blocks received. */
export function seekBlocks(
  client: Client,
  env: common.Envelope,
  address: string,
  timeoutMs = 30_000,
): Promise<common.Block[]> {
  const call = (
    client as unknown as { deliver(o: object): ClientDuplexStream<common.Envelope, AnyDeliverResponse> }
  ).deliver({
    deadline: Date.now() + timeoutMs,
  });
  return new Promise((resolve, reject) => {
    const blocks: common.Block[] = [];
    let done = false;
    const finish = (err?: Error): void => {
      if (done) return;
      done = true;
      call.cancel();
      if (err) reject(err);
      else resolve(blocks);
    };
    call.on('data', (r: AnyDeliverResponse) => {
      if (r.block !== undefined) blocks.push(r.block);
      else if (r.status !== undefined) {
        if (r.status === common.Status.SUCCESS) finish();
        else
          finish(
            new ClientError(CLIENT_ERRORS.DELIVER, {
              reason: `can't read the block: &{${common.Status[r.status] ?? r.status}}`,
            }),
          );
      }
    });
    call.on('error', (err: Error & { details?: string }) =>
      finish(
        new ClientError(
          CLIENT_ERRORS.RPC,
          { call: 'Deliver', address, reason: err.details ?? err.message },
          { cause: err },
        ),
      ),
    );
    call.on('end', () =>
      finish(
        blocks.length > 0
          ? undefined
          : new ClientError(CLIENT_ERRORS.DELIVER, { reason: 'deliver stream ended without a status' }),
      ),
    );
    call.write(env);
  });
}

/** The index of the last config block a block points at (SIGNATURES' OrdererBlockMetadata, else LAST_CONFIG). */
export function lastConfigIndex(block: common.Block): number {
  const md = block.metadata?.metadata ?? [];
  const sigs = md[common.BlockMetadataIndex.SIGNATURES];
  if (sigs !== undefined && sigs.length > 0) {
    const m = common.Metadata.decode(sigs);
    if (m.value.length > 0) {
      const obm = common.OrdererBlockMetadata.decode(m.value);
      if (obm.lastConfig !== undefined) return obm.lastConfig.index;
    }
  }
  const lc = md[common.BlockMetadataIndex.LAST_CONFIG];
  if (lc !== undefined && lc.length > 0) {
    const m = common.Metadata.decode(lc);
    return common.LastConfig.decode(m.value).index;
  }
  throw new ClientError(CLIENT_ERRORS.DELIVER, {
    reason: `block ${block.header?.number ?? '?'} names no last config block`,
  });
}
