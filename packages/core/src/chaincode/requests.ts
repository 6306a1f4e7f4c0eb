// The peer's answers to the chaincode's requests (Fabric's Handler.HandleGetState & co.): each
// takes the request and its transaction context and returns the RESPONSE payload, or throws, which
// the handler turns into an ERROR whose text the shim raises as an exception in the chaincode.
import { randomUUID } from 'node:crypto';
import { protos, queryresult } from '@fabric-peer/protos';
import { type QueryResultKV, type StateIterator, type TxSimulator } from '@fabric-peer/ledger';
import { type OpenQuery, type TransactionContext } from './txcontext.js';

const T = protos.ChaincodeMessage_Type;
const EMPTY = new Uint8Array(0);
/** Fabric's QueryResponseGenerator.MaxResultLimit: results per QueryResponse batch. */
export const MAX_RESULT_LIMIT = 100;

/** What requests need beyond their context. */
export interface RequestEnvironment {
  /** ledger.state.totalQueryLimit: most results one query may return. */
  totalQueryLimit: number;
  /** Runs another chaincode for INVOKE_CHAINCODE; resolves to its COMPLETED or ERROR message. */
  invokeChaincode(ctx: TransactionContext, spec: protos.ChaincodeSpec): Promise<protos.ChaincodeMessage>;
}

export type RequestHandler = (
  msg: protos.ChaincodeMessage,
  ctx: TransactionContext,
  env: RequestEnvironment,
) => Promise<Uint8Array>;

/** The ledger keeps no private data yet: every collection call gets this instead of hanging. */
const NO_PRIVATE_DATA = 'private data is not supported by this peer (its ledger has no private data store)';

function noPrivateDataInInit(ctx: TransactionContext): void {
  if (ctx.isInit) throw new Error('private data APIs are not allowed in chaincode Init()');
}

function privateDataUnsupported(ctx: TransactionContext): never {
  noPrivateDataInInit(ctx);
  throw new Error(NO_PRIVATE_DATA);
}

function simulator(ctx: TransactionContext): TxSimulator {
  if (!ctx.writable) {
    throw new Error('writes are not allowed: this transaction context is read-only');
  }
  return ctx.params.simulator as TxSimulator;
}

const getState: RequestHandler = async (msg, ctx) => {
  const req = protos.GetState.decode(msg.payload);
  if (req.collection !== '') privateDataUnsupported(ctx);
  return (await ctx.params.simulator.getState(ctx.namespace, req.key)) ?? EMPTY;
};

const putState: RequestHandler = async (msg, ctx) => {
  const req = protos.PutState.decode(msg.payload);
  if (req.collection !== '') privateDataUnsupported(ctx);
  await simulator(ctx).setState(ctx.namespace, req.key, req.value);
  return EMPTY;
};

const delState: RequestHandler = async (msg, ctx) => {
  const req = protos.DelState.decode(msg.payload);
  if (req.collection !== '') privateDataUnsupported(ctx);
  await simulator(ctx).deleteState(ctx.namespace, req.key);
  return EMPTY;
};

const purgePrivateData: RequestHandler = async (_msg, ctx) => privateDataUnsupported(ctx);

const getStateMetadata: RequestHandler = async (msg, ctx) => {
  const req = protos.GetStateMetadata.decode(msg.payload);
  if (req.collection !== '') privateDataUnsupported(ctx);
  const md = (await ctx.params.simulator.getStateMetadata(ctx.namespace, req.key)) ?? {};
  const entries = Object.entries(md).map(([metakey, value]) => ({ metakey, value }));
  return protos.StateMetadataResult.encode({ entries });
};

const putStateMetadata: RequestHandler = async (msg, ctx) => {
  const req = protos.PutStateMetadata.decode(msg.payload);
  if (req.collection !== '') privateDataUnsupported(ctx);
  if (!req.metadata) throw new Error('invalid PUT_STATE_METADATA: no metadata');
  // Fabric replaces the key's metadata with this one entry.
  await simulator(ctx).setStateMetadata(ctx.namespace, req.key, {
    [req.metadata.metakey]: req.metadata.value,
  });
  return EMPTY;
};

const getPrivateDataHash: RequestHandler = async (msg, ctx) => {
  const req = protos.GetState.decode(msg.payload);
  if (req.collection === '') throw new Error('only applicable for private data');
  noPrivateDataInInit(ctx);
  return (await ctx.params.simulator.getPrivateDataHash(ctx.namespace, req.collection, req.key)) ?? EMPTY;
};

function queryMetadata(bytes: Uint8Array): protos.QueryMetadata | undefined {
  return bytes.length === 0 ? undefined : protos.QueryMetadata.decode(bytes);
}

/** Fabric's isMetadataSetForPagination. */
const paginated = (md: protos.QueryMetadata | undefined): md is protos.QueryMetadata =>
  md !== undefined && (md.pageSize !== 0 || md.bookmark !== '');

function totalReturnLimit(env: RequestEnvironment, md: protos.QueryMetadata | undefined): number {
  const page = md?.pageSize ?? 0;
  return page > 0 && page < env.totalQueryLimit ? page : env.totalQueryLimit;
}

const kvBytes = (kv: QueryResultKV): protos.QueryResultBytes => ({
  resultBytes: queryresult.KV.encode(kv),
});

function fromStateIterator(it: StateIterator): OpenQuery {
  return {
    pending: [],
    returned: 0,
    async next() {
      const r = await it.next();
      return r.done ? { done: true, value: undefined } : { done: false, value: kvBytes(r.value) };
    },
    close: () => it.close(),
  };
}

/**
 * Fabric's QueryResponseGenerator.BuildQueryResponse: fill a batch of at most MAX_RESULT_LIMIT; when
 * one more exists keep it pending and answer has_more, else close the iteration.
 */
export async function buildQueryResponse(
  ctx: TransactionContext,
  id: string,
  limit: number,
): Promise<protos.QueryResponse> {
  const q = ctx.queries.get(id);
  if (!q) throw new Error('query iterator not found');
  try {
    while (q.returned < limit) {
      const r = await q.next();
      if (r.done) break;
      if (q.pending.length === MAX_RESULT_LIMIT) {
        const batch = q.pending;
        q.pending = [r.value];
        q.returned++;
        return { results: batch, hasMore: true, id, metadata: EMPTY };
      }
      q.pending.push(r.value);
      q.returned++;
    }
  } catch (err) {
    await ctx.closeQuery(id);
    throw err;
  }
  const results = q.pending;
  q.pending = [];
  await ctx.closeQuery(id);
  return { results, hasMore: false, id, metadata: EMPTY };
}

const getStateByRange: RequestHandler = async (msg, ctx, env) => {
  const req = protos.GetStateByRange.decode(msg.payload);
  if (req.collection !== '') privateDataUnsupported(ctx);
  const md = queryMetadata(req.metadata);
  const id = randomUUID();
  if (paginated(md)) {
    const startKey = md.bookmark !== '' ? md.bookmark : req.startKey;
    const page = await ctx.params.simulator.getStateRangeScanIteratorWithPagination(
      ctx.namespace,
      startKey,
      req.endKey,
      totalReturnLimit(env, md),
    );
    const metadata = protos.QueryResponseMetadata.encode({
      fetchedRecordsCount: page.results.length,
      bookmark: page.bookmark,
    });
    return protos.QueryResponse.encode({ results: page.results.map(kvBytes), hasMore: false, id, metadata });
  }
  const it = ctx.params.simulator.getStateRangeScanIterator(ctx.namespace, req.startKey, req.endKey);
  await ctx.addQuery(id, fromStateIterator(it));
  return protos.QueryResponse.encode(await buildQueryResponse(ctx, id, totalReturnLimit(env, undefined)));
};

const getQueryResult: RequestHandler = async (msg, ctx) => {
  const req = protos.GetQueryResult.decode(msg.payload);
  if (req.collection !== '') privateDataUnsupported(ctx);
  // The state database is LevelDB-like: no rich queries, exactly as Fabric's goleveldb answers.
  throw new Error('ExecuteQuery not supported for leveldb');
};

const queryStateNext: RequestHandler = async (msg, ctx, env) => {
  const req = protos.QueryStateNext.decode(msg.payload);
  return protos.QueryResponse.encode(await buildQueryResponse(ctx, req.id, totalReturnLimit(env, undefined)));
};

const queryStateClose: RequestHandler = async (msg, ctx) => {
  const req = protos.QueryStateClose.decode(msg.payload);
  await ctx.closeQuery(req.id);
  return protos.QueryResponse.encode({ results: [], hasMore: false, id: req.id, metadata: EMPTY });
};

const getHistoryForKey: RequestHandler = async (msg, ctx, env) => {
  const history = ctx.params.history;
  if (!history) throw new Error('history database is not enabled');
  const req = protos.GetHistoryForKey.decode(msg.payload);
  const it = history.getHistoryForKey(ctx.namespace, req.key);
  const id = randomUUID();
  await ctx.addQuery(id, {
    pending: [],
    returned: 0,
    async next() {
      const r = await it.next();
      return r.done
        ? { done: true, value: undefined }
        : { done: false, value: { resultBytes: queryresult.KeyModification.encode(r.value) } };
    },
    async close() {
      await it.return?.(undefined);
    },
  });
  return protos.QueryResponse.encode(await buildQueryResponse(ctx, id, totalReturnLimit(env, undefined)));
};

const invokeChaincode: RequestHandler = async (msg, ctx, env) => {
  const spec = protos.ChaincodeSpec.decode(msg.payload);
  const reply = await env.invokeChaincode(ctx, spec);
  // The shim decodes the RESPONSE payload as the callee's own COMPLETED (or ERROR) message.
  return protos.ChaincodeMessage.encode(reply);
};

/** The requests a READY chaincode may send, by message type (Fabric's handleMessageReadyState). */
export const REQUEST_HANDLERS: ReadonlyMap<protos.ChaincodeMessage_Type, RequestHandler> = new Map([
  [T.GET_STATE, getState],
  [T.PUT_STATE, putState],
  [T.DEL_STATE, delState],
  [T.PURGE_PRIVATE_DATA, purgePrivateData],
  [T.GET_STATE_METADATA, getStateMetadata],
  [T.PUT_STATE_METADATA, putStateMetadata],
  [T.GET_PRIVATE_DATA_HASH, getPrivateDataHash],
  [T.GET_STATE_BY_RANGE, getStateByRange],
  [T.GET_QUERY_RESULT, getQueryResult],
  [T.QUERY_STATE_NEXT, queryStateNext],
  [T.QUERY_STATE_CLOSE, queryStateClose],
  [T.GET_HISTORY_FOR_KEY, getHistoryForKey],
  [T.INVOKE_CHAINCODE, invokeChaincode],
]);

/** Splits Fabric's "name[:version][/channel]" target of INVOKE_CHAINCODE. */
export function parseInvokeTarget(target: string): { name: string; channelId: string } {
  const slash = target.indexOf('/');
  const nameVersion = slash < 0 ? target : target.slice(0, slash);
  const channelId = slash < 0 ? '' : target.slice(slash + 1);
  const colon = nameVersion.indexOf(':');
  return { name: colon < 0 ? nameVersion : nameVersion.slice(0, colon), channelId };
}
