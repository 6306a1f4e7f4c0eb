// A client process: runs one scenario with the real @hyperledger/fabric-gateway against a peer and
// prints what the client saw as one JSON line ("RESULT {...}"). It runs apart from the peer, as in real
// life where client and chaincode never share a process (one-process.test.ts covers the case where they
// do).
import { createPrivateKey } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { type ConnectOptions, type Gateway, connect, hash, signers } from '@hyperledger/fabric-gateway';
import { PrivateKey } from '@fabric-peer/msp';
import { lifecycle } from '@fabric-peer/protos';

export interface DriverTarget {
  address: string;
  tlsCa: string;
  mspId: string;
  certificate: string;
  privateKey: string;
  channel: string;
  chaincode: string;
  /** Scenario arguments. */
  args?: Record<string, unknown>;
}

const text = (b: Uint8Array): string => Buffer.from(b).toString();

/** What a client error carries, flattened for the test to assert on. */
function describe(err: unknown): Record<string, unknown> {
  const e = err as {
    name?: string;
    code?: number;
    message?: string;
    details?: { address: string; mspId: string; message: string }[];
    transactionId?: string;
  };
  return {
    name: e.name,
    code: e.code,
    message: e.message,
    details: Array.isArray(e.details)
      ? e.details.map((d) => ({ address: d.address, mspId: d.mspId, message: d.message }))
      : undefined,
    transactionId: e.transactionId,
  };
}

async function attempt<T>(fn: () => Promise<T>): Promise<{ ok: T } | { error: Record<string, unknown> }> {
  try {
    return { ok: await fn() };
  } catch (err) {
    return { error: describe(err) };
  }
}

type Scenario = (gw: Gateway, t: DriverTarget) => Promise<unknown>;

export const scenarios: Record<string, Scenario> = {
  async basic(gw, t) {
    const network = gw.getNetwork(t.channel);
    const contract = network.getContract(t.chaincode);
    const submitted = text(await contract.submitTransaction('put', 'k1', 'v1'));
    const evaluated = text(await contract.evaluateTransaction('get', 'k1'));
    const mspid = text(await contract.evaluateTransaction('mspid'));
    const commit = await contract.submitAsync('put', { arguments: ['k2', 'v2'] });
    const status = await commit.getStatus();
    const missing = await attempt(() => contract.evaluateTransaction('get', 'nope'));
    return {
      submitted,
      evaluated,
      mspid,
      async: {
        result: text(commit.getResult()),
        txId: commit.getTransactionId(),
        code: status.code,
        successful: status.successful,
        blockNumber: Number(status.blockNumber),
      },
      missing,
    };
  },

  async events(gw, t) {
    const network = gw.getNetwork(t.channel);
    const contract = network.getContract(t.chaincode);
    const start = BigInt(Number(t.args?.startBlock ?? 0));
    // Read two events, checkpoint after the first, then resume from the checkpoint.
    const first: { txId: string; name: string; payload: string; block: number }[] = [];
    const { checkpointers } = await import('@hyperledger/fabric-gateway');
    const checkpointer = checkpointers.inMemory();
    const events = await network.getChaincodeEvents(t.chaincode, { startBlock: start });
    for await (const e of events) {
      first.push({
        txId: e.transactionId,
        name: e.eventName,
        payload: text(e.payload),
        block: Number(e.blockNumber),
      });
      await checkpointer.checkpointChaincodeEvent(e);
      break;
    }
    events.close();
    const resumed = await network.getChaincodeEvents(t.chaincode, {
      checkpoint: checkpointer,
      startBlock: start,
    });
    const next: typeof first = [];
    for await (const e of resumed) {
      next.push({
        txId: e.transactionId,
        name: e.eventName,
        payload: text(e.payload),
        block: Number(e.blockNumber),
      });
      break;
    }
    resumed.close();
    // Live: an event committed after listening started arrives.
    const live = await network.getChaincodeEvents(t.chaincode);
    const it = live[Symbol.asyncIterator]();
    const pending = it.next();
    await contract.submitTransaction('put', 'live', 'yes');
    const got = await pending;
    live.close();
    const blocks = await network.getBlockEvents({ startBlock: 0n });
    const blockNumbers: number[] = [];
    for await (const b of blocks) {
      blockNumbers.push(Number(b.getHeader()?.getNumber() ?? -1));
      if (blockNumbers.length === 3) break;
    }
    blocks.close();
    const filtered = await network.getFilteredBlockEvents({ startBlock: 1n });
    let filteredTx: { txId: string; code: number } | undefined;
    for await (const fb of filtered) {
      const tx = fb.getFilteredTransactionsList()[0];
      filteredTx = { txId: tx?.getTxid() ?? '', code: tx?.getTxValidationCode() ?? -1 };
      break;
    }
    filtered.close();
    return {
      first,
      next,
      live: got.done ? undefined : { name: got.value.eventName, payload: text(got.value.payload) },
      blockNumbers,
      filteredTx,
    };
  },

  async failures(gw, t) {
    const network = gw.getNetwork(t.channel);
    const strict = network.getContract(String(t.args?.strict));
    const basic = network.getContract(t.chaincode);
    // The policy needs an org that has no peer: the gateway cannot plan an endorsement.
    const noPlan = await attempt(() => strict.submitTransaction('put', 's', '1'));
    // Endorsed by the named org only: ordered, then refused by validation.
    const named = await attempt(async () => {
      const commit = await strict.submitAsync('put', {
        arguments: ['s', '2'],
        endorsingOrganizations: ['Org1MSP'],
      });
      const s = await commit.getStatus();
      return { code: s.code, successful: s.successful };
    });
    const namedSubmit = await attempt(() =>
      strict.submit('put', { arguments: ['s', '3'], endorsingOrganizations: ['Org1MSP'] }),
    );
    // Two read-modify-writes of one key endorsed before either commits: the second is an MVCC conflict.
    const a = await basic.newProposal('inc', { arguments: ['counter'] }).endorse();
    const b = await basic.newProposal('inc', { arguments: ['counter'] }).endorse();
    const sa = await (await a.submit()).getStatus();
    const sb = await (await b.submit()).getStatus();
    const chaincodeError = await attempt(() => basic.submitTransaction('get', 'absent'));
    const unknownOrg = await attempt(() =>
      basic.submit('put', { arguments: ['x', 'y'], endorsingOrganizations: ['NoSuchMSP'] }),
    );
    return {
      noPlan,
      named,
      namedSubmit,
      mvcc: [
        { code: sa.code, successful: sa.successful },
        { code: sb.code, successful: sb.successful },
      ],
      chaincodeError,
      unknownOrg,
    };
  },

  /** Defines `t.chaincode` through `_lifecycle` as `peer lifecycle chaincode approveformyorg` / `commit`
   * would, but on the gateway client and naming no endorsing organizations; then invokes it. */
  async lifecycle(gw, t) {
    const network = gw.getNetwork(t.channel);
    const lc = network.getContract('_lifecycle');
    const d = { name: t.chaincode, version: '1.0', sequence: 1 };
    const status = async (fn: string, arg: Uint8Array): Promise<Record<string, unknown>> => {
      const commit = await lc.submitAsync(fn, { arguments: [arg] });
      const s = await commit.getStatus();
      return { code: s.code, successful: s.successful };
    };
    const approve = await attempt(() =>
      status(
        'ApproveChaincodeDefinitionForMyOrg',
        lifecycle.ApproveChaincodeDefinitionForMyOrgArgs.encode({ ...d, source: { unavailable: {} } }),
      ),
    );
    const readiness = await attempt(async () =>
      lifecycle.CheckCommitReadinessResult.decode(
        await lc.evaluateTransaction('CheckCommitReadiness', lifecycle.CheckCommitReadinessArgs.encode(d)),
      ),
    );
    const commit = await attempt(() =>
      status('CommitChaincodeDefinition', lifecycle.CommitChaincodeDefinitionArgs.encode(d)),
    );
    const defined = await attempt(async () => {
      const r = lifecycle.QueryChaincodeDefinitionResult.decode(
        await lc.evaluateTransaction(
          'QueryChaincodeDefinition',
          lifecycle.QueryChaincodeDefinitionArgs.encode({ name: t.chaincode }),
        ),
      );
      return { sequence: Number(r.sequence), version: r.version, approvals: r.approvals };
    });
    const invoked = await attempt(async () =>
      text(await network.getContract(t.chaincode).submitTransaction('put', 'k', 'v')),
    );
    return {
      approve,
      readiness: 'ok' in readiness ? { ok: readiness.ok.approvals } : readiness,
      commit,
      defined,
      invoked,
    };
  },
};

/** Runs `total` calls of `one` with `concurrency` in flight; returns elapsed ms and each call's ms. */
async function load(
  total: number,
  concurrency: number,
  one: (i: number) => Promise<void>,
): Promise<{ ms: number; latencies: number[] }> {
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const s = performance.now();
        await one(i);
        latencies.push(performance.now() - s);
      }
    }),
  );
  return { ms: performance.now() - t0, latencies };
}

const pct = (xs: number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? NaN;

/** One phase of the bench, measured on the client side: submit-to-commit at one or many callers,
 * or evaluate. Each phase runs in its own client process so the peer's CPU can be read around it. */
scenarios.bench = async (gw, t) => {
  const a = (t.args ?? {}) as { phase?: string; count?: number; concurrency?: number };
  const contract = gw.getNetwork(t.channel).getContract(t.chaincode);
  const run = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  const submit = async (key: string): Promise<void> => {
    const commit = await contract.submitAsync('put', { arguments: [key, 'v'] });
    const s = await commit.getStatus();
    if (!s.successful) throw new Error(`tx ${s.transactionId} failed with ${s.code}`);
  };
  // Warm the connection and the chaincode stream first.
  await load(20, 5, (i) => submit(`warm-${run}-${i}`));
  const count = a.count ?? 1000;
  const concurrency = a.concurrency ?? 50;
  const cpu0 = process.cpuUsage();
  const r =
    a.phase === 'evaluate'
      ? await load(count, concurrency, async () => {
          await contract.evaluateTransaction('get', `warm-${run}-0`);
        })
      : await load(count, concurrency, (i) => submit(`${run}-${i}`));
  const cpu = process.cpuUsage(cpu0);
  return {
    count: r.latencies.length,
    perSecond: Math.round((r.latencies.length * 1000) / r.ms),
    p50: Number(pct(r.latencies, 0.5).toFixed(1)),
    p99: Number(pct(r.latencies, 0.99).toFixed(1)),
    ms: Math.round(r.ms),
    // The client's own CPU per transaction (signing, protobuf, gRPC): it shares the machine's cores.
    clientCpuMs: Number(((cpu.user + cpu.system) / 1000 / r.latencies.length).toFixed(2)),
  };
};

/**
 * fabric-gateway's own signer (@noble/curves, ~290 us a signature), or with GATEWAY_SIGNER=openssl a
 * node:crypto one through the client's documented hook (hash.none hands the signer the message).
 */
function clientSigner(privateKeyPem: string): Pick<ConnectOptions, 'signer' | 'hash'> {
  if (process.env.GATEWAY_SIGNER === 'openssl') {
    const key = PrivateKey.fromPem(privateKeyPem);
    return { signer: (message) => Promise.resolve(key.sign(message)), hash: hash.none };
  }
  return { signer: signers.newPrivateKeySigner(createPrivateKey(privateKeyPem)), hash: hash.sha256 };
}

export function gatewayFor(t: DriverTarget): { gateway: Gateway; close(): void } {
  const client = new grpc.Client(t.address, grpc.credentials.createSsl(Buffer.from(t.tlsCa)));
  const gateway = connect({
    client,
    identity: { mspId: t.mspId, credentials: Buffer.from(t.certificate) },
    ...clientSigner(t.privateKey),
    evaluateOptions: () => ({ deadline: Date.now() + 10_000 }),
    endorseOptions: () => ({ deadline: Date.now() + 15_000 }),
    submitOptions: () => ({ deadline: Date.now() + 10_000 }),
    commitStatusOptions: () => ({ deadline: Date.now() + 30_000 }),
  });
  return {
    gateway,
    close() {
      gateway.close();
      client.close();
    },
  };
}

async function main(): Promise<void> {
  const name = process.argv[2] ?? '';
  const t = JSON.parse(process.env.FP_GATEWAY_TARGET ?? '{}') as DriverTarget;
  const scenario = scenarios[name];
  if (scenario === undefined) throw new Error(`no scenario ${name}`);
  const g = gatewayFor(t);
  try {
    const result = await scenario(g.gateway, t);
    process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  } finally {
    g.close();
  }
}

if (process.argv[1]?.endsWith('driver.ts')) {
  main().catch((err: unknown) => {
    process.stdout.write(`RESULT ${JSON.stringify({ driverError: describe(err) })}\n`);
    process.exitCode = 1;
  });
}
