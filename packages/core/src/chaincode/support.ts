// ChaincodeSupport (Fabric's core/chaincode/chaincode_support.go): runs a transaction on a user
// chaincode. It finds the chaincode's package id (through a resolver `_lifecycle` can provide),
// launches the chaincode when it is not running, sends the transaction over its stream, and turns
// the chaincode's answer into a Response (+ event) or a typed error the endorser reports.
import { protos } from '@fabric-peer/protos';
import { type Logger, NOOP_LOGGER } from '../logging/index.js';
import { type MetricsProvider } from '../operations/index.js';
import { CHAINCODE_ERRORS, ChaincodeError, messageOf } from './errors.js';
import { type ChaincodeStream, Handler } from './handler.js';
import { type LaunchDeps, LaunchTimeout, startLaunch, stopOutcome } from './launch.js';
import { type Launcher, type PeerConnectionInfo } from './launcher.js';
import { ChaincodeMetrics } from './metrics.js';
import {
  type ChaincodePackage,
  type PackageStore,
  packageFromDeploymentSpec,
  parseChaincodePackage,
} from './package.js';
import { HandlerRegistry } from './registry.js';
import { parseInvokeTarget } from './requests.js';
import { type TLSCA } from './tlsca.js';
import { type HistoryQueryExecutor, type TransactionContext, type TransactionParams } from './txcontext.js';

/** What `_lifecycle` tells about a chaincode name on a channel: which installed package runs it. */
export interface ChaincodeResolution {
  packageId: string;
}

/**
 * `simulator` is the transaction's (the caller's, for a chaincode-to-chaincode call): what a resolver
 * reads through it lands in the transaction's read set, as Fabric's lookups through the TxSimulator do.
 */
export type ChaincodeResolver = (
  channelId: string,
  name: string,
  simulator?: TransactionParams['simulator'],
) => ChaincodeResolution | undefined | Promise<ChaincodeResolution | undefined>;

/**
 * The channel's ACL check of a signed proposal (the ACLProvider's checkACLProposal); throws when the
 * proposal's creator is not allowed `resource` on `channelId`.
 */
export type ProposalACLCheck = (resource: string, channelId: string, sp: protos.SignedProposal) => void;

/** Fabric's resources.Peer_ChaincodeToChaincode: checked before a chaincode calls another. */
export const CHAINCODE_TO_CHAINCODE_RESOURCE = 'peer/ChaincodeToChaincode';

/** A chaincode called on another channel runs on that channel's state, and its writes are dropped. */
export interface OtherChannelContext {
  simulator: TransactionParams['simulator'];
  history?: HistoryQueryExecutor | undefined;
  /** Releases the simulator / executor. */
  done(): Promise<void>;
}

export interface ExecuteResult {
  response: protos.Response;
  event?: protos.ChaincodeEvent | undefined;
}

/** The contract the endorser and system chaincodes use (COMPONENTS.md). */
export interface ChaincodeExecutor {
  execute(
    ctx: TransactionParams,
    chaincodeName: string,
    input: protos.ChaincodeInput,
  ): Promise<ExecuteResult>;
}

/** TLS of the chaincode listener: the root chaincode trusts, and the CA that issues their client certs. */
export interface ChaincodeTLSMaterial {
  ca: TLSCA;
  /** PEM the chaincode verifies the listener with (CORE_PEER_TLS_ROOTCERT_FILE). */
  rootCertPem: string;
  serverCertPem: string;
  serverKeyPem: string;
}

export interface ChaincodeSupportOptions {
  /** chaincode.executetimeout (ms); default 30 s. */
  executeTimeoutMs?: number;
  /** chaincode.startuptimeout (ms); default 300 s. */
  startupTimeoutMs?: number;
  /** chaincode.mode = dev / --peer-chaincodedev: chaincode is started by the user and registers by name. */
  devMode?: boolean;
  /** ledger.state.totalQueryLimit; default 100000. */
  totalQueryLimit?: number;
  /** peer.localMspId, handed to launched chaincode. */
  mspId?: string;
  /** The chaincode endpoint launched chaincode dials (host:port); settable later with setPeerAddress. */
  peerAddress?: string;
  /** Listener TLS; absent = plaintext listener. */
  tls?: ChaincodeTLSMaterial | undefined;
  /** Name -> package id; default: the name is the id (dev mode, in-process chaincode, tests). */
  resolve?: ChaincodeResolver;
  /** Tried in order; the first that claims a package launches it. */
  launchers?: Launcher[];
  /** Installed packages, read when a launcher needs one. */
  packages?: PackageStore;
  /**
   * Installed legacy (lscc) packages by Fabric 1.x id `name:version`: their deployment spec, run as a
   * package of the spec's type. Asked when `packages` has nothing under the id.
   */
  legacyPackages?: (nameVersion: string) => Promise<protos.ChaincodeDeploymentSpec | undefined>;
  /**
   * INVOKE_CHAINCODE's ACL: the caller's signed proposal is checked against peer/ChaincodeToChaincode
   * on the called chaincode's channel before the callee runs. Absent = no check.
   */
  checkACL?: ProposalACLCheck;
  /**
   * Fabric's CheckInvocation of the called chaincode in INVOKE_CHAINCODE, before it runs: its
   * definition is looked up through the transaction's simulator (so the caller's rw-set reads it, as a
   * Go peer's does) and a chaincode that requires Init and has not had it is refused. Throws to refuse.
   */
  checkInvocation?: (ctx: TransactionParams, chaincodeName: string) => Promise<void>;
  /** Names that are system chaincodes (no ACL check on a call to them, as Fabric); default: none. */
  isSystemChaincode?: (name: string) => boolean;
  logger?: Logger;
  /** Fabric's chaincode_* metrics go here; default: none. */
  metrics?: MetricsProvider;
  /** Loggers for chaincode output: `chaincode.<name>`. */
  getLogger?: (name: string) => Logger;
  /** History for GET_HISTORY_FOR_KEY when the caller's params carry none (a KVLedger will do). */
  history?: (channelId: string) => HistoryQueryExecutor | undefined;
  /** For INVOKE_CHAINCODE to another channel; absent = Fabric's "failed to find ledger for channel". */
  otherChannel?: (channelId: string, txId: string) => Promise<OtherChannelContext | undefined>;
}

export class ChaincodeSupport implements ChaincodeExecutor {
  readonly executeTimeoutMs: number;
  readonly startupTimeoutMs: number;
  readonly devMode: boolean;
  private peerAddress: string;
  private readonly registry: HandlerRegistry;
  private readonly logger: Logger;
  private readonly launchers: Launcher[];
  private readonly metrics: ChaincodeMetrics;
  private closed = false;

  constructor(private readonly opts: ChaincodeSupportOptions = {}) {
    this.executeTimeoutMs = opts.executeTimeoutMs ?? 30_000;
    this.startupTimeoutMs = opts.startupTimeoutMs ?? 300_000;
    this.devMode = opts.devMode ?? false;
    this.peerAddress = opts.peerAddress ?? '';
    this.registry = new HandlerRegistry(this.devMode);
    this.logger = opts.logger ?? NOOP_LOGGER;
    this.launchers = [...(opts.launchers ?? [])];
    this.metrics = new ChaincodeMetrics(opts.metrics);
  }

  /** The address launched chaincode dials (known once the listener is bound). */
  setPeerAddress(address: string): void {
    this.peerAddress = address;
  }

  get chaincodeAddress(): string {
    return this.peerAddress;
  }

  get tls(): ChaincodeTLSMaterial | undefined {
    return this.opts.tls;
  }

  /** Runs `chaincodeName` for a proposal; a chaincode status 500 is a Response, not an error. */
  async execute(
    ctx: TransactionParams,
    chaincodeName: string,
    input: protos.ChaincodeInput,
  ): Promise<ExecuteResult> {
    return this.result(ctx, chaincodeName, await this.invoke(ctx, chaincodeName, input));
  }

  /** Fabric's processChaincodeExecutionResult: COMPLETED gives the Response (+ event), ERROR an error. */
  private result(ctx: TransactionParams, chaincodeName: string, msg: protos.ChaincodeMessage): ExecuteResult {
    const { txId, channelId } = ctx;
    const event = msg.chaincodeEvent
      ? { ...msg.chaincodeEvent, chaincodeId: chaincodeName, txId }
      : undefined;
    if (msg.type === protos.ChaincodeMessage_Type.COMPLETED) {
      let response: protos.Response;
      try {
        response = protos.Response.decode(msg.payload);
      } catch (err) {
        throw new ChaincodeError(
          CHAINCODE_ERRORS.EXECUTE_FAILED,
          { txId, reason: `failed to unmarshal response for transaction ${txId}` },
          { channel: channelId, txId, cause: err },
        );
      }
      return event ? { response, event } : { response };
    }
    const reason =
      msg.type === protos.ChaincodeMessage_Type.ERROR
        ? `transaction returned with failure: ${Buffer.from(msg.payload).toString('utf8')}`
        : `unexpected response type ${msg.type} for transaction ${txId}`;
    throw new ChaincodeError(CHAINCODE_ERRORS.EXECUTE_FAILED, { txId, reason }, { channel: channelId, txId });
  }

  /** Fabric's ChaincodeSupport.Invoke: the chaincode's COMPLETED or ERROR message itself. */
  async invoke(
    ctx: TransactionParams,
    chaincodeName: string,
    input: protos.ChaincodeInput,
  ): Promise<protos.ChaincodeMessage> {
    if (this.closed) throw new ChaincodeError(CHAINCODE_ERRORS.CLOSED, {});
    const { txId, channelId } = ctx;
    const resolved = await (this.opts.resolve ?? ((_c: string, name: string) => ({ packageId: name })))(
      channelId,
      chaincodeName,
      ctx.simulator,
    );
    if (!resolved) {
      throw new ChaincodeError(
        CHAINCODE_ERRORS.NOT_FOUND,
        { name: chaincodeName, channel: channelId, reason: 'no chaincode definition or installed package' },
        { channel: channelId, txId },
      );
    }
    return this.invokePackage(
      ctx,
      this.devModeId(resolved.packageId, !this.opts.resolve),
      chaincodeName,
      input,
    );
  }

  /**
   * Fabric's ExecuteLegacyInit: Init of an lscc deploy or upgrade, run on the package the deploy names
   * (`packageId`, by default Fabric 1.x's `name:version`) rather than on the one the name resolves to,
   * which is still the old version's (or nothing) until the transaction commits. A chaincode ERROR, or
   * a response of status 400 and above, is an error: the deploy is not endorsed.
   */
  async executeLegacyInit(
    ctx: TransactionParams,
    name: string,
    version: string,
    input: protos.ChaincodeInput,
    packageId = `${name}:${version}`,
  ): Promise<ExecuteResult> {
    if (this.closed) throw new ChaincodeError(CHAINCODE_ERRORS.CLOSED, {});
    const msg = await this.invokePackage({ ...ctx, isInit: true }, packageId, name, input);
    const r = this.result(ctx, name, msg);
    if (r.response.status >= 400)
      throw new ChaincodeError(
        CHAINCODE_ERRORS.EXECUTE_FAILED,
        { txId: ctx.txId, reason: `chaincode returned status ${r.response.status}: ${r.response.message}` },
        { channel: ctx.channelId, txId: ctx.txId },
      );
    return r;
  }

  private async invokePackage(
    ctx: TransactionParams,
    packageId: string,
    chaincodeName: string,
    input: protos.ChaincodeInput,
  ): Promise<protos.ChaincodeMessage> {
    const handler = await this.handlerFor(packageId, ctx);
    const params =
      ctx.history || !this.opts.history ? ctx : { ...ctx, history: this.opts.history(ctx.channelId) };
    return handler.execute(params, chaincodeName, input, this.executeTimeoutMs);
  }

  /** Serves one chaincode stream (Register on the listener, or a Connect we dialled). */
  handleStream(stream: ChaincodeStream): Handler {
    const handler = new Handler(stream, {
      logger: this.logger,
      metrics: this.metrics,
      totalQueryLimit: this.opts.totalQueryLimit ?? 100_000,
      invokeChaincode: (ctx, spec) => this.invokeFromChaincode(ctx, spec),
      register: (h) => {
        if (this.closed) throw new Error('chaincode support is closed');
        this.registry.register(h);
      },
      onClose: (h) => {
        const outcome = this.registry.deregister(h);
        if (h.chaincodeId) this.logger.info('chaincode stream ended', { chaincode: h.chaincodeId });
        if (outcome) void stopOutcome(outcome, this.logger);
      },
    });
    return handler;
  }

  /** Resolves when a chaincode has registered as `id` and is ready; false after `timeoutMs`. */
  waitForChaincode(id: string, timeoutMs = this.startupTimeoutMs): Promise<boolean> {
    return this.registry.waitFor(id, timeoutMs);
  }

  /** Whether a chaincode runs (is registered and ready) under `id`. */
  isRunning(id: string): boolean {
    return this.registry.handler(id)?.state === 'ready';
  }

  /** Ends the chaincode's stream and stops what was started for it; the next use relaunches it. */
  stop(id: string): void {
    this.registry.handler(id)?.close();
  }

  /** Ends every stream, stops every launched chaincode, closes the launchers. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const { handlers, launches, outcomes } = this.registry.drain();
    for (const l of launches) l.fail(new Error('chaincode support is closed'));
    for (const h of handlers) h.close();
    await Promise.allSettled(outcomes.map((o) => stopOutcome(o, this.logger)));
    await Promise.allSettled(this.launchers.map((l) => l.close?.()));
  }

  /**
   * Dev mode without `_lifecycle`: a chaincode started as CORE_CHAINCODE_ID_NAME=mycc:1.0 (as Fabric's
   * dev-mode tutorial does) answers for the name mycc when it is the only one registered so.
   */
  private devModeId(id: string, defaultResolution: boolean): string {
    if (!this.devMode || !defaultResolution || id.includes(':') || this.registry.handler(id)) return id;
    const named = this.registry.idsNamed(id);
    return named.length === 1 ? named[0]! : id;
  }

  private async handlerFor(packageId: string, ctx: TransactionParams): Promise<Handler> {
    const running = this.registry.handler(packageId);
    if (running?.state === 'ready') return running;
    const { txId, channelId } = ctx;
    if (this.devMode && !running && !this.launchers.some((l) => l.launchesInDevMode?.(packageId) === true)) {
      throw new ChaincodeError(
        CHAINCODE_ERRORS.NOT_REGISTERED,
        { txId, packageId, peerAddress: this.peerAddress || '<chaincode listener>' },
        { channel: channelId, txId },
      );
    }
    const { state, alreadyStarted } = this.registry.launch(packageId);
    if (!alreadyStarted) startLaunch(state, this.launchDeps());
    try {
      return await state.done;
    } catch (err) {
      if (err instanceof LaunchTimeout) {
        throw new ChaincodeError(
          CHAINCODE_ERRORS.LAUNCH_TIMEOUT,
          { txId, packageId },
          { channel: channelId, txId },
        );
      }
      throw new ChaincodeError(
        CHAINCODE_ERRORS.LAUNCH_FAILED,
        { txId, packageId, reason: messageOf(err) },
        { channel: channelId, txId, cause: err },
      );
    }
  }

  private launchDeps(): LaunchDeps {
    return {
      launchers: this.launchers,
      devMode: this.devMode,
      startupTimeoutMs: this.startupTimeoutMs,
      logger: this.logger,
      getLogger: this.opts.getLogger,
      loadPackage: (id) => this.loadPackage(id),
      peerConnection: (id) => this.peerConnection(id),
      handleStream: (stream) => this.handleStream(stream),
      stopOutcome: (o) => stopOutcome(o, this.logger),
      metrics: this.metrics,
    };
  }

  /** The lifecycle package installed under `packageId`, else the legacy one of that `name:version`. */
  private async loadPackage(packageId: string): Promise<ChaincodePackage | undefined> {
    const bytes = await this.opts.packages?.load(packageId);
    if (bytes) return parseChaincodePackage(bytes, packageId);
    const cds = await this.opts.legacyPackages?.(packageId);
    return cds ? packageFromDeploymentSpec(packageId, cds) : undefined;
  }

  private async peerConnection(packageId: string): Promise<PeerConnectionInfo> {
    const tls = this.opts.tls;
    const info: PeerConnectionInfo = { peerAddress: this.peerAddress, mspId: this.opts.mspId ?? '' };
    if (tls) {
      const client = await tls.ca.newClientCert(packageId);
      info.tls = { rootCertPem: tls.rootCertPem, clientCertPem: client.certPem, clientKeyPem: client.keyPem };
    }
    return info;
  }

  /** INVOKE_CHAINCODE (Fabric's HandleInvokeChaincode): same channel joins the caller's simulation. */
  private async invokeFromChaincode(
    caller: TransactionContext,
    spec: protos.ChaincodeSpec,
  ): Promise<protos.ChaincodeMessage> {
    const target = parseInvokeTarget(spec.chaincodeId?.name ?? '');
    const channelId = target.channelId !== '' ? target.channelId : caller.channelId;
    // Fabric's Handler.checkACL: the caller's proposal must be allowed to call chaincode on that channel.
    if (this.opts.checkACL && !(this.opts.isSystemChaincode?.(target.name) ?? false)) {
      const sp = caller.params.signedProposal;
      if (!sp) throw new Error(`signed proposal must not be nil from caller [${target.name}]`);
      this.opts.checkACL(CHAINCODE_TO_CHAINCODE_RESOURCE, channelId, sp);
    }
    let params: TransactionParams = { ...caller.params, isInit: false };
    let other: OtherChannelContext | undefined;
    if (channelId !== caller.channelId) {
      other = await this.opts.otherChannel?.(channelId, caller.txId);
      if (!other) throw new Error(`failed to find ledger for channel: ${channelId}`);
      params = { ...params, channelId, simulator: other.simulator, history: other.history };
    }
    try {
      await this.opts.checkInvocation?.(params, target.name);
      return await this.invoke(params, target.name, spec.input ?? protos.ChaincodeInput.create());
    } catch (err) {
      throw new Error(`execute failed: ${messageOf(err)}`);
    } finally {
      await other?.done();
    }
  }
}
