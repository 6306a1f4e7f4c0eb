// TxValidator: Fabric's txvalidator v20 for one block. Transactions are parsed and their identities
// checked independently; every signature of the block (creators and endorsers) is verified in one
// batch (inline or on the worker pool); then, in block order (key-level endorsement depends on earlier
// transactions), config transactions and the endorsement policies are checked.
import { type Identity } from '@fabric-peer/msp';
import { type QueryExecutor } from '@fabric-peer/ledger';
import { type common, protos } from '@fabric-peer/protos';
import { type ChannelConfig, channelConfigFromConfig, validateConfigEnvelope } from '../channel/index.js';
import { type ChaincodeDefinition, LIFECYCLE_NAMESPACE } from '../lifecycle/index.js';
import { LSCC_NAMESPACE, legacyDefinition, validateLsccTransaction } from '../lscc/index.js';
import { type SignatureVerifier, type VerifyJob } from './sigverify.js';
import { type ParsedTx, parseTransaction } from './txparse.js';
import {
  PolicyCache,
  VALIDATION_PARAMETER,
  type WrittenKey,
  namespacePolicies,
  validateNamespace,
  validationParameterUpdates,
  vpKey,
  writtenKeys,
} from './vscc.js';
import { errorMessage } from '../errors/index.js';

const C = protos.TxValidationCode;
const NOT_WRITABLE = new Set(['lscc', 'cscc', 'qscc']);

export interface ValidationContext {
  channelId: string;
  config: ChannelConfig;
  /** Committed state as of the previous block. */
  queryExecutor: QueryExecutor;
  definition(name: string): Promise<ChaincodeDefinition | undefined>;
}

export interface ValidatedBlock {
  codes: Uint8Array;
  txs: ParsedTx[];
  /** By tx index: the keys each transaction writes, per namespace (empty for one invalid at parse). */
  written: Map<string, WrittenKey[]>[];
  /** The config a valid CONFIG transaction of this block installs. */
  newConfig?: ChannelConfig;
}

/** A block after prepare: parsed, identities checked, signatures verified (1 per job). */
export interface PreparedBlock {
  block: common.Block;
  config: ChannelConfig;
  work: TxWork[];
  verified: Uint8Array;
}

export interface TxWork {
  tx: ParsedTx;
  creatorJob?: number;
  endorserJobs: { job: number; identity: Identity }[];
  /** writtenKeys(tx), worked out ahead (it depends on the rw-set only). */
  written?: Map<string, WrittenKey[]>;
}

/**
 * The identities of the last few distinct creators and endorsers, for one MSP manager (one channel
 * config): a block's transactions come from a handful of clients and peers, and comparing their bytes
 * is cheaper than the manager's own lookup, which keys its cache by a string of them.
 */
class RecentIdentities {
  private manager: MSPManager | undefined;
  private entries: { bytes: Buffer; identity: Identity }[] = [];

  constructor(private readonly size = 8) {}

  /** manager.deserializeIdentity(bytes), which throws for bytes that are not an identity (never kept). */
  get(manager: MSPManager, bytes: Uint8Array): Identity {
    if (manager !== this.manager) {
      this.manager = manager;
      this.entries = [];
    }
    for (const e of this.entries) if (e.bytes.equals(bytes)) return e.identity;
    const identity = manager.deserializeIdentity(bytes);
    if (this.entries.length >= this.size) this.entries.shift();
    this.entries.push({ bytes: Buffer.from(bytes), identity });
    return identity;
  }
}

type MSPManager = ChannelConfig['mspManager'];

export class TxValidator {
  private readonly policies = new PolicyCache();
  private readonly identities = new RecentIdentities();

  constructor(private readonly verifier: SignatureVerifier) {}

  /**
   * The state-independent part (parse, identities, every signature of the block in one batch).
   * The committer runs it for the next block while the current one commits; it is only valid for
   * the config it was given.
   */
  async prepare(block: common.Block, config: ChannelConfig): Promise<PreparedBlock> {
    const envs = block.data?.data ?? [];
    const jobs: VerifyJob[] = [];
    const work: TxWork[] = envs.map((e, i) =>
      this.collect(parseTransaction(e, i, config.channelId), config, jobs),
    );
    const verifying = this.verifier.verifyBatch(jobs);
    // While the signatures verify: what each transaction writes, for finish.
    for (const w of work) if (w.tx.code === C.VALID) w.written = writtenKeys(w.tx);
    const verified = await verifying;
    return { block, config, work, verified };
  }

  /** prepare + finish. */
  async validate(block: common.Block, ctx: ValidationContext): Promise<ValidatedBlock> {
    return this.finish(await this.prepare(block, ctx.config), ctx);
  }

  /** The state-dependent part: duplicates, config transactions, VSCC in block order. */
  async finish(prepared: PreparedBlock, ctx: ValidationContext): Promise<ValidatedBlock> {
    if (prepared.config !== ctx.config) prepared = await this.prepare(prepared.block, ctx.config);
    const { work, verified } = prepared;
    const seen = new Set<string>();
    for (const w of work) {
      const tx = w.tx;
      if (tx.code === C.VALID && w.creatorJob !== undefined && verified[w.creatorJob] !== 1) {
        setCode(tx, C.BAD_CREATOR_SIGNATURE, 'creator signature is invalid');
      }
      if (tx.code === C.VALID && tx.deferred) setCode(tx, tx.deferred.code, tx.deferred.reason);
      // Fabric marks every later copy of a tx id in the block as a duplicate.
      if (tx.code === C.VALID && tx.txId !== '') {
        if (seen.has(tx.txId)) setCode(tx, C.DUPLICATE_TXID, `duplicate tx id ${tx.txId} in block`);
        seen.add(tx.txId);
      }
    }

    const written = work.map((w) =>
      w.tx.code === C.VALID ? (w.written ?? writtenKeys(w.tx)) : new Map<string, WrittenKey[]>(),
    );
    const stateVPs = await this.loadStateVPs(ctx.queryExecutor, written);
    const updatedVPs = new Set<string>();
    // Definitions as of the previous block: the same for every transaction of this one.
    const defs = new Map<string, ChaincodeDefinition | undefined>();
    let newConfig: ChannelConfig | undefined;
    for (const [i, w] of work.entries()) {
      const tx = w.tx;
      if (tx.code !== C.VALID) continue;
      if (tx.configEnvelope) {
        try {
          // The bundle is built here so a config the peer cannot use is refused, not committed.
          const config = validateConfigEnvelope(ctx.config, tx.configEnvelope);
          newConfig = channelConfigFromConfig(ctx.channelId, config, prepared.block.header?.number ?? 0);
        } catch (err) {
          setCode(tx, C.INVALID_CONFIG_TRANSACTION, errorMessage(err));
        }
        continue;
      }
      const endorsers = w.endorserJobs.filter((e) => verified[e.job] === 1).map((e) => e.identity);
      // An lscc deploy / upgrade (legacy lifecycle): its lscc write, and the Init writes of the
      // chaincode it defines, are validated by lscc's rules instead of a namespace policy.
      let deployed: string | undefined;
      if (tx.chaincodeName === LSCC_NAMESPACE && written[i]!.has(LSCC_NAMESPACE)) {
        const r = await validateLsccTransaction(tx, endorsers, ctx.config, ctx.queryExecutor);
        if (r.code !== C.VALID) {
          setCode(tx, r.code, r.reason ?? '');
          continue;
        }
        deployed = r.chaincode;
      }
      for (const [ns, keys] of written[i]!) {
        if (deployed !== undefined && (ns === LSCC_NAMESPACE || ns === deployed)) continue;
        if (NOT_WRITABLE.has(ns)) {
          setCode(tx, C.ILLEGAL_WRITESET, `transaction writes to ${ns}`);
          break;
        }
        let def: ChaincodeDefinition | undefined;
        if (ns !== LIFECYCLE_NAMESPACE) {
          if (defs.has(ns)) def = defs.get(ns);
          else {
            def = (await ctx.definition(ns)) ?? (await legacyDefinition(ctx.queryExecutor, ns));
            defs.set(ns, def);
          }
        }
        const policies = namespacePolicies(ctx.config, ns, def, this.policies);
        if (!policies) {
          setCode(tx, C.INVALID_CHAINCODE, `chaincode ${ns} is not defined on channel ${ctx.channelId}`);
          break;
        }
        const r = validateNamespace(ns, {
          keys,
          policies,
          endorsers,
          stateVP: (k) => stateVPs.get(vpKey(k)),
          updatedInBlock: (k) => updatedVPs.has(vpKey(k)),
          cache: this.policies,
          config: ctx.config,
        });
        if (r.code !== C.VALID) {
          setCode(tx, r.code, r.reason ?? '');
          break;
        }
      }
      if (tx.code === C.VALID) for (const k of validationParameterUpdates(tx)) updatedVPs.add(k);
    }
    const codes = Uint8Array.from(work, (w) => w.tx.code);
    return { codes, txs: work.map((w) => w.tx), written, ...(newConfig && { newConfig }) };
  }

  /** Identity checks and the signature jobs of one transaction. */
  private collect(tx: ParsedTx, config: ChannelConfig, jobs: VerifyJob[]): TxWork {
    const w: TxWork = { tx, endorserJobs: [] };
    if (tx.code !== C.VALID) return w;
    let creator: Identity;
    try {
      creator = this.identities.get(config.mspManager, tx.creator);
      creator.validate({ checkExpiry: false });
    } catch (err) {
      setCode(tx, C.BAD_CREATOR_SIGNATURE, `creator: ${errorMessage(err)}`);
      return w;
    }
    w.creatorJob = jobs.push({ identity: creator, data: tx.payload, signature: tx.signature }) - 1;
    // Fabric's SignatureSetToValidIdentities: undeserializable endorsers are dropped, each identity
    // counts once and is de-duplicated before its signature is checked.
    const seen = new Set<string>();
    for (const e of tx.endorsements ?? []) {
      let id: Identity;
      try {
        id = this.identities.get(config.mspManager, e.endorser);
      } catch {
        continue;
      }
      const key = `${id.mspId}\u0000${id.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      w.endorserJobs.push({
        job: jobs.push({ identity: id, data: e.data, signature: e.signature }) - 1,
        identity: id,
      });
    }
    return w;
  }

  /** VALIDATION_PARAMETER of every written public key, read from state in one go. */
  private async loadStateVPs(
    qe: QueryExecutor,
    written: Map<string, WrittenKey[]>[],
  ): Promise<Map<string, Uint8Array>> {
    const wanted = new Map<string, WrittenKey>();
    for (const m of written)
      for (const keys of m.values()) for (const k of keys) if (k.coll === '') wanted.set(vpKey(k), k);
    // One multi-get per namespace.
    const byNs = new Map<string, [string, string][]>();
    for (const [id, k] of wanted) {
      const keys = byNs.get(k.ns);
      if (keys) keys.push([id, k.key]);
      else byNs.set(k.ns, [[id, k.key]]);
    }
    const out = new Map<string, Uint8Array>();
    await Promise.all(
      [...byNs].map(async ([ns, keys]) => {
        const mds = await qe.getStateMetadataMultipleKeys(
          ns,
          keys.map(([, key]) => key),
        );
        mds.forEach((md, i) => {
          const vp = md?.[VALIDATION_PARAMETER];
          if (vp && vp.length > 0) out.set(keys[i]![0], vp);
        });
      }),
    );
    return out;
  }
}

function setCode(tx: ParsedTx, code: number, reason: string): void {
  tx.code = code;
  tx.reason = reason;
}
