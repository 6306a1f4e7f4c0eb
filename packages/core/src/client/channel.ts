// `peer channel ...` as operations: join/list (cscc), getinfo (qscc), fetch (peer or orderer Deliver),
// create/update/signconfigtx (CONFIG_UPDATE envelopes through Broadcast).
import { common, protos } from '@fabric-peer/protos';
import { signConfigTx, type Signer } from '../configtx/index.js';
import { lastConfigIndex, type SeekOptions } from './deliver.js';
import { CLIENT_ERRORS, ClientError } from './errors.js';
import type { OrdererClient } from './ordererclient.js';
import type { PeerClient } from './peerclient.js';
import { createSignedProposal, proposalFailure } from './proposal.js';

const utf8 = (s: string): Uint8Array => Buffer.from(s, 'utf8');

/** A system chaincode call on one peer; non-200 responses become Go's "bad proposal response" error. */
export async function callSystemChaincode(
  peer: PeerClient,
  chaincode: string,
  channelId: string,
  args: (string | Uint8Array)[],
): Promise<Uint8Array> {
  const { signed } = createSignedProposal(
    { channelId, chaincode, args: args.map((a) => (typeof a === 'string' ? utf8(a) : a)) },
    peer.signer,
  );
  const resp = await peer.processProposal(signed);
  const failed = proposalFailure(resp);
  if (failed !== undefined) throw new ClientError(CLIENT_ERRORS.PROPOSAL, { reason: failed });
  return resp.response?.payload ?? new Uint8Array();
}

export async function joinChannel(peer: PeerClient, genesisBlock: Uint8Array): Promise<void> {
  try {
    await callSystemChaincode(peer, 'cscc', '', ['JoinChain', genesisBlock]);
  } catch (err) {
    if (err instanceof ClientError && err.code === CLIENT_ERRORS.PROPOSAL.code) {
      throw new ClientError(CLIENT_ERRORS.PROPOSAL, { reason: `proposal failed (err: ${err.message})` });
    }
    throw err;
  }
}

export async function listChannels(peer: PeerClient): Promise<string[]> {
  const r = protos.ChannelQueryResponse.decode(await callSystemChaincode(peer, 'cscc', '', ['GetChannels']));
  return r.channels.map((c) => c.channelId);
}

export async function channelConfig(peer: PeerClient, channelId: string): Promise<common.Config> {
  return common.Config.decode(await callSystemChaincode(peer, 'cscc', '', ['GetChannelConfig', channelId]));
}

export async function chainInfo(peer: PeerClient, channelId: string): Promise<common.BlockchainInfo> {
  return common.BlockchainInfo.decode(
    await callSystemChaincode(peer, 'qscc', '', ['GetChainInfo', channelId]),
  );
}

/** `Blockchain info: {...}` as Go's json.Marshal of common.BlockchainInfo (bytes in base64, omitempty). */
export function formatChainInfo(info: common.BlockchainInfo): string {
  const o: Record<string, unknown> = {};
  if (info.height !== 0) o.height = info.height;
  if (info.currentBlockHash.length > 0)
    o.currentBlockHash = Buffer.from(info.currentBlockHash).toString('base64');
  if (info.previousBlockHash.length > 0)
    o.previousBlockHash = Buffer.from(info.previousBlockHash).toString('base64');
  return `Blockchain info: ${JSON.stringify(o)}`;
}

export type FetchTarget = 'newest' | 'oldest' | 'config' | number;

/** Parses `peer channel fetch`'s first argument. */
export function parseFetchTarget(s: string | undefined): FetchTarget {
  if (s === 'newest' || s === 'oldest' || s === 'config') return s;
  if (s !== undefined && /^\d+$/.test(s)) return Number(s);
  throw new ClientError(CLIENT_ERRORS.BAD_INPUT, {
    reason: `fetch target required, oldest, newest, config or a number${s === undefined ? '' : ` (got "${s}")`}`,
  });
}

type Source = Pick<PeerClient, 'fetch'> | Pick<OrdererClient, 'fetch'>;

async function one(src: Source, o: SeekOptions): Promise<common.Block> {
  const blocks = await src.fetch(o);
  const b = blocks[0];
  if (b === undefined) throw new ClientError(CLIENT_ERRORS.DELIVER, { reason: 'no block received' });
  return b;
}

/** One block of a channel from a peer or an orderer; `config` = the last config block. */
export async function fetchBlock(src: Source, channelId: string, target: FetchTarget): Promise<common.Block> {
  if (target === 'config') {
    const newest = await one(src, { channelId, start: 'newest', failIfNotReady: true });
    return one(src, { channelId, start: lastConfigIndex(newest), failIfNotReady: true });
  }
  return one(src, { channelId, start: target, failIfNotReady: true });
}

/** The envelope of a configtx file, checked as a CONFIG_UPDATE (signconfigtx/update/create). */
export function readConfigTx(bytes: Uint8Array, file: string): common.Envelope {
  try {
    return common.Envelope.decode(bytes);
  } catch (err) {
    throw new ClientError(CLIENT_ERRORS.BAD_INPUT, {
      reason: `${file} is not a configtx envelope: ${(err as Error).message}`,
    });
  }
}

/** `peer channel signconfigtx`: the envelope with the signer's ConfigSignature added. */
export function signConfigTxFile(bytes: Uint8Array, file: string, signer: Signer): Uint8Array {
  return common.Envelope.encode(signConfigTx(readConfigTx(bytes, file), signer));
}

/** `peer channel update`: sign and broadcast. */
export async function updateChannel(
  orderer: OrdererClient,
  bytes: Uint8Array,
  file: string,
  channelId: string,
): Promise<void> {
  const env = signConfigTx(readConfigTx(bytes, file), orderer.signer);
  const ch = common.ChannelHeader.decode(common.Payload.decode(env.payload).header!.channelHeader);
  if (channelId !== '' && ch.channelId !== channelId) {
    throw new ClientError(CLIENT_ERRORS.BAD_INPUT, {
      reason: `the config update is for channel "${ch.channelId}", not "${channelId}" (-c)`,
    });
  }
  await orderer.broadcast(env);
}

/** `peer channel create`: broadcast the creation tx, then wait for block 0 from the orderer. */
export async function createChannel(
  orderer: OrdererClient,
  bytes: Uint8Array,
  file: string,
  channelId: string,
  timeoutMs: number,
): Promise<common.Block> {
  await updateChannel(orderer, bytes, file, channelId);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await one(orderer, { channelId, start: 0, failIfNotReady: true });
    } catch (err) {
      if (Date.now() > deadline) {
        throw new ClientError(CLIENT_ERRORS.DELIVER, {
          reason: `timeout waiting for channel creation: ${(err as Error).message}`,
        });
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** The block's bytes, as `peer channel fetch|create` write them. */
export function encodeBlock(block: common.Block): Uint8Array {
  return common.Block.encode(block);
}
