// `peer chaincode invoke|query` as operations: the -c JSON and --transient parsed as Go does, the
// proposal endorsed by every --peerAddresses peer, the transaction broadcast and, with
// --waitForEvent, its commit awaited on every endorsing peer's DeliverFiltered.
import { protos } from '@fabric-peer/protos';
import { channelConfigFromConfig } from '../channel/index.js';
import { channelConfig } from './channel.js';
import { CLIENT_ERRORS, ClientError } from './errors.js';
import { formatResponse } from './format.js';
import type { OrdererClient } from './ordererclient.js';
import type { PeerClient } from './peerclient.js';
import { createSignedProposal, createSignedTx, type ProposalInput } from './proposal.js';

/** -c '{"Args":[...]}' or '{"function":"f","Args":[...]}' (keys matched case-insensitively, as Go's json). */
export function parseChaincodeInput(ctor: string): Uint8Array[] {
  let v: unknown;
  try {
    v = JSON.parse(ctor);
  } catch (err) {
    throw new ClientError(CLIENT_ERRORS.BAD_INPUT, {
      reason: `chaincode argument error: ${(err as Error).message} (-c takes JSON such as '{"Args":["fn","a"]}')`,
    });
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new ClientError(CLIENT_ERRORS.BAD_INPUT, {
      reason: `chaincode argument error: -c must be a JSON object such as '{"Args":["fn","a"]}'`,
    });
  }
  let fn = '';
  let args: string[] = [];
  for (const [k, val] of Object.entries(v)) {
    const key = k.toLowerCase();
    if (key === 'function') {
      if (typeof val !== 'string')
        throw new ClientError(CLIENT_ERRORS.BAD_INPUT, {
          reason: 'chaincode argument error: "function" must be a string',
        });
      fn = val;
    } else if (key === 'args') {
      if (!Array.isArray(val) || val.some((a) => typeof a !== 'string')) {
        throw new ClientError(CLIENT_ERRORS.BAD_INPUT, {
          reason: 'chaincode argument error: "Args" must be an array of strings',
        });
      }
      args = val as string[];
    }
  }
  const all = fn !== '' ? [fn, ...args] : args;
  return all.map((a) => Buffer.from(a, 'utf8'));
}

/** --transient '{"key":"<base64>"}' (Go unmarshals into map[string][]byte: values are base64). */
export function parseTransient(json: string | undefined): Record<string, Uint8Array> | undefined {
  if (json === undefined || json === '') return undefined;
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch (err) {
    throw new ClientError(CLIENT_ERRORS.BAD_INPUT, {
      reason: `error parsing transient string: ${(err as Error).message}`,
    });
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new ClientError(CLIENT_ERRORS.BAD_INPUT, {
      reason: 'error parsing transient string: it must be a JSON object of base64 values',
    });
  }
  const out: Record<string, Uint8Array> = {};
  for (const [k, val] of Object.entries(v)) {
    if (typeof val !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(val)) {
      throw new ClientError(CLIENT_ERRORS.BAD_INPUT, {
        reason: `error parsing transient string: the value of "${k}" is not base64`,
      });
    }
    out[k] = Buffer.from(val, 'base64');
  }
  return out;
}

export interface InvokeOptions extends ProposalInput {
  /** Wait for the commit on every endorsing peer. */
  waitForEvent?: boolean;
  waitForEventTimeoutMs?: number;
  /** Called as Go logs "txid [...] committed with status (...) at ...". */
  onCommitted?: (txId: string, status: string, address: string) => void;
}

async function endorse(
  peers: PeerClient[],
  input: ProposalInput,
  what: 'invoke' | 'query',
): Promise<{ txId: string; proposal: protos.Proposal; responses: protos.ProposalResponse[] }> {
  const signer = peers[0]!.signer;
  const { txId, proposal, signed } = createSignedProposal(input, signer);
  const responses = await Promise.all(peers.map((p) => p.processProposal(signed)));
  for (const r of responses) {
    const st = r.response?.status ?? 0;
    if (st < 200 || st >= 400) {
      throw new ClientError(
        CLIENT_ERRORS.PROPOSAL,
        { reason: `endorsement failure during ${what}. response: ${formatResponse(r.response)}` },
        { txId },
      );
    }
  }
  return { txId, proposal, responses };
}

/** `peer chaincode query`: the first peer's response payload. */
export async function queryChaincode(peers: PeerClient[], input: ProposalInput): Promise<Uint8Array> {
  const { responses } = await endorse(peers, input, 'query');
  return responses[0]!.response?.payload ?? new Uint8Array();
}

/** The first orderer endpoint of the channel's config (the Go CLI's fallback when -o is not given). */
export async function ordererFromChannel(peer: PeerClient, channelId: string): Promise<string> {
  const cfg = channelConfigFromConfig(channelId, await channelConfig(peer, channelId), 0);
  const first = cfg.allOrdererEndpoints()[0];
  if (first === undefined) {
    throw new ClientError(CLIENT_ERRORS.SETTING_MISSING, {
      what: 'the orderer address',
      how: '-o/--orderer (the channel config names no orderer endpoint)',
    });
  }
  return first;
}

/** `peer chaincode invoke` (and the lifecycle's submits): endorse, broadcast, optionally wait. */
export async function invokeChaincode(
  peers: PeerClient[],
  orderer: OrdererClient,
  o: InvokeOptions,
): Promise<{ txId: string; response: protos.Response | undefined }> {
  const { txId, proposal, responses } = await endorse(peers, o, 'invoke');
  const env = createSignedTx(proposal, peers[0]!.signer, responses);
  const waits = o.waitForEvent
    ? peers.map((p) => ({
        address: p.address,
        w: p.waitForTx(o.channelId, txId, o.waitForEventTimeoutMs ?? 30_000),
      }))
    : [];
  // Broadcast may fail, or one peer's verdict end the command, with the other waits still open: they are
  // cancelled when the clients close, and that rejection must not go unhandled.
  for (const x of waits) x.w.result.catch(() => undefined);
  await Promise.all(waits.map((x) => x.w.ready));
  await orderer.broadcast(env);
  for (const { address, w } of waits) {
    const code = await w.result;
    const name = protos.TxValidationCode[code] ?? String(code);
    if (code !== protos.TxValidationCode.VALID) {
      throw new ClientError(CLIENT_ERRORS.TX_INVALID, { txId, status: name }, { txId });
    }
    o.onCommitted?.(txId, name, address);
  }
  return { txId, response: responses[0]!.response };
}
