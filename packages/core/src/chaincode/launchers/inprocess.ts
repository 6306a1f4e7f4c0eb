// In-process chaincode: a fabric-contract-api Contract (or a fabric-shim ChaincodeInterface) given
// as code runs inside the peer's process, yet speaks the real shim protocol: the real fabric-shim's
// chaincode server (shim.server) listens on a Unix socket of its own and the peer dials it like a
// chaincode-as-a-service. (The shim's server binds the address it is given but never reports the
// port it got, so "port 0" cannot work; a fresh socket path needs no port at all.)
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Launcher, type LaunchOutcome, type LaunchRequest } from '../launcher.js';

/** fabric-shim's ChaincodeInterface. */
export interface ShimChaincode {
  Init(stub: unknown): Promise<unknown>;
  Invoke(stub: unknown): Promise<unknown>;
}

export type InProcessChaincode =
  /** Contract classes, as a contract module exports them in `contracts`. */
  { contracts: readonly unknown[]; title?: string; version?: string } | { chaincode: ShimChaincode };

interface ShimServer {
  start(): Promise<void>;
  _server?: {
    forceShutdown(): void;
    tryShutdown(cb: () => void): void;
    start?: () => void;
    /** grpc-js's registered methods (internal): path -> { serialize, deserialize, ... }. */
    handlers?: unknown;
  };
}

/**
 * shim.server().start() binds, then calls grpc-js Server.start(). grpc-js >= 1.10 serves as soon as a
 * bind completes and wraps start() in util.deprecate (whose wrapper is named `deprecated`): there the
 * call only sets a flag nothing else reads, yet Node prints "Calling start() is no longer necessary"
 * to every user of in-process chaincode, about code that is not theirs. On those versions the call is
 * skipped; older grpc-js (which need it) keep it. (Holding the warning back with
 * process.noDeprecation would not do: under Jest, `process` is the test sandbox's copy.)
 */
function skipDeprecatedGrpcStart(server: ShimServer): void {
  const inner = server._server;
  if (inner !== undefined && inner.start?.name === 'deprecated') inner.start = () => undefined;
}

/**
 * When fabric-shim was loaded after fabric-gateway by someone else (an `import 'fabric-shim'` of the
 * user's), its `peer.ChaincodeMessage` is the other copy's class, which its gRPC service's serializer
 * refuses by `instanceof` ("Error serializing response"). The messages are the same proto, so a message
 * the serializer refuses is encoded by its own serializeBinary instead. Best effort: grpc-js keeps its
 * methods in an internal map; if that is not there, nothing changes.
 */
function tolerateOtherMessageClasses(server: ShimServer): void {
  const handlers = server._server?.handlers as { values?: () => Iterable<unknown> } | undefined;
  if (typeof handlers?.values !== 'function') return;
  for (const h of handlers.values()) {
    const handler = h as { serialize?: (m: unknown) => Buffer };
    const serialize = handler.serialize;
    if (typeof serialize !== 'function') continue;
    handler.serialize = (m: unknown): Buffer => {
      try {
        return serialize(m);
      } catch (err) {
        const binary = (m as { serializeBinary?: () => Uint8Array } | null)?.serializeBinary;
        if (typeof binary !== 'function') throw err;
        return Buffer.from(binary.call(m));
      }
    };
  }
}

/** The parts of the fabric-shim module used here. */
export interface ShimModule {
  server(chaincode: ShimChaincode, opts: { ccid: string; address: string }): ShimServer;
}

export interface InProcessLauncherOptions {
  /** The fabric-shim module; default: import('fabric-shim') (it must be installed). */
  shim?: ShimModule;
  /** fabric-shim's log level (CRITICAL, ERROR, WARNING, INFO, DEBUG); default WARNING, so the shim's
   * line per transaction does not flood the peer's output. */
  shimLogLevel?: string;
}

interface Loaded {
  shim: ShimModule;
  fromContracts: (cc: Extract<InProcessChaincode, { contracts: readonly unknown[] }>) => ShimChaincode;
}

/**
 * Loading fabric-shim installs process-wide handlers (a winston logger that handles uncaught
 * exceptions without exiting, and an unhandledRejection listener): in a chaincode process that is
 * its business, in the peer's process it would keep a crashed peer running. They are taken off again.
 */
async function withoutShimProcessHandlers<T>(load: () => Promise<T>): Promise<T> {
  type AnyListener = (...args: unknown[]) => void;
  const events = ['uncaughtException', 'unhandledRejection'];
  const listeners = (e: string): AnyListener[] => process.listeners(e as 'exit') as AnyListener[];
  const before = events.map((e) => new Set(listeners(e)));
  try {
    return await load();
  } finally {
    events.forEach((e, i) => {
      for (const l of listeners(e)) {
        if (!before[i]!.has(l) || l.name === 'loggerUnhandledRejectionFn') process.removeListener(e, l);
      }
    });
  }
}

/**
 * fabric-shim's messages come from `@hyperledger/fabric-protos` 0.2, fabric-gateway's from 0.3: both are
 * google-protobuf code that defines every class under one global namespace (`globalThis.proto.protos.X`)
 * and ends each module with `exports = <the whole namespace as it stands>`. Loaded after fabric-gateway,
 * fabric-protos 0.2's `peer` index therefore hands out 0.3's `ChaincodeMessage` (the first module to
 * export the name wins, and early modules already saw 0.3's) while its gRPC service checks `instanceof`
 * against its own class: every message the shim sends fails with "Error serializing response".
 *
 * So the shim is loaded against a namespace of its own: each namespace object already there is
 * shadowed by one that keeps the shim's definitions and reads through to the existing ones for
 * anything it has not defined (so code running meanwhile still finds its classes), and the modules'
 * exports hold only the shim's own classes. Afterwards the global namespace is put back, with the names
 * only the shim defines added: the state that loading the shim first would have left, whatever the
 * user imported before.
 */
type Namespace = Record<string | symbol, unknown>;

interface Shadow {
  readonly base: Namespace;
  readonly own: Namespace;
  readonly proxy: Namespace;
  readonly children: Map<string, Shadow>;
}

/** A plain object (of any realm: under Jest the modules run in the test's own context). */
const isNamespace = (v: unknown): v is Namespace =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  Object.getPrototypeOf(Object.getPrototypeOf(v) ?? Object.prototype) === null;

function shadow(base: Namespace, depth = 0): Shadow {
  const own: Namespace = {};
  const children = new Map<string, Shadow>();
  if (depth < 8) {
    for (const [k, v] of Object.entries(base)) {
      if (!isNamespace(v)) continue;
      const child = shadow(v, depth + 1);
      children.set(k, child);
      own[k] = child.proxy;
    }
  }
  const proxy = new Proxy(own, { get: (t, k) => (Object.hasOwn(t, k) ? t[k] : base[k]) });
  return { base, own, proxy, children };
}

/** Adds to the real namespaces what only the shadowed load defined (the existing definitions win). */
function mergeShadow(s: Shadow): void {
  for (const [k, v] of Object.entries(s.own)) {
    const child = s.children.get(k);
    if (child !== undefined && v === child.proxy) mergeShadow(child);
    else if (!Object.hasOwn(s.base, k)) s.base[k] = v;
  }
}

async function withOwnProtobufNamespace<T>(load: () => Promise<T>): Promise<T> {
  const g = globalThis as { proto?: unknown };
  const existing = g.proto;
  if (!isNamespace(existing)) return load();
  const s = shadow(existing);
  g.proto = s.proxy;
  try {
    return await load();
  } finally {
    g.proto = existing;
    mergeShadow(s);
  }
}

async function loadShim(opts: InProcessLauncherOptions): Promise<Loaded> {
  return withoutShimProcessHandlers(() => withOwnProtobufNamespace(() => loadShimModules(opts)));
}

/**
 * The shim's modules are CommonJS. Where this module runs as CommonJS (the package's CJS build, which is
 * what Jest's default config loads, or ts-jest compiling the sources) they are required: Jest refuses
 * import() without --experimental-vm-modules ("A dynamic import callback was invoked without
 * --experimental-vm-modules"), and a require loads them in one synchronous step. As ES modules they
 * are imported.
 */
async function loadModule(id: string): Promise<unknown> {
  // `module`, not `require`: a bundler turns `require` in an ES module into a stub that throws.
  const cjs = typeof module === 'object' && module !== null ? module : undefined;
  if (typeof cjs?.require === 'function') return cjs.require(id) as unknown;
  return import(id);
}

async function loadShimModules(opts: InProcessLauncherOptions): Promise<Loaded> {
  let shim = opts.shim;
  const mod = (await loadModule('fabric-shim').catch((err: Error) => {
    if (shim) return undefined;
    throw new Error(
      `in-process chaincode needs the fabric-shim package (npm i fabric-shim@2.5): ${err.message}`,
    );
  })) as unknown as (ShimModule & { default?: ShimModule }) | undefined;
  shim ??= mod?.default ?? mod;
  const logger = (await loadModule('fabric-shim/lib/logger.js').catch(() => undefined)) as
    { setLevel?: (l: string) => void; default?: { setLevel?: (l: string) => void } } | undefined;
  (logger?.default ?? logger)?.setLevel?.(opts.shimLogLevel ?? 'WARNING');
  try {
    const spi = (await loadModule('fabric-shim/lib/contract-spi/chaincodefromcontract.js')) as {
      default?: new (...a: unknown[]) => ShimChaincode;
    } & (new (...a: unknown[]) => ShimChaincode);
    const api = (await loadModule('fabric-contract-api')) as {
      JSONSerializer: unknown;
      default?: { JSONSerializer: unknown };
    };
    const ChaincodeFromContract = spi.default ?? spi;
    const JSONSerializer = api.JSONSerializer ?? api.default?.JSONSerializer;
    // What fabric-shim's bootstrap does for `fabric-chaincode-node start`, minus reading package.json.
    const serializers = { transaction: 'jsonSerializer', serializers: { jsonSerializer: JSONSerializer } };
    return {
      shim: shim!,
      fromContracts: (cc) =>
        new ChaincodeFromContract(
          [...cc.contracts],
          serializers,
          {},
          cc.title ?? 'chaincode',
          cc.version ?? '1.0',
        ),
    };
  } catch (err) {
    // A ChaincodeInterface object still runs; contract classes need the contract SPI.
    const reason = (err as Error).message;
    return {
      shim: shim!,
      fromContracts: (cc) => {
        throw new Error(`contract classes (${cc.title ?? 'chaincode'}) need fabric-contract-api: ${reason}`);
      },
    };
  }
}

export class InProcessLauncher implements Launcher {
  readonly name = 'in-process';
  private readonly chaincodes = new Map<string, InProcessChaincode>();
  private loaded: Promise<Loaded> | undefined;
  private socketDir: Promise<string> | undefined;

  constructor(private readonly opts: InProcessLauncherOptions = {}) {}

  /** Makes `chaincode` the code run for `packageId` (a name, in the default resolution). */
  add(packageId: string, chaincode: InProcessChaincode): void {
    this.chaincodes.set(packageId, chaincode);
  }

  remove(packageId: string): boolean {
    return this.chaincodes.delete(packageId);
  }

  has(packageId: string): boolean {
    return this.chaincodes.has(packageId);
  }

  launchesInDevMode(packageId: string): boolean {
    return this.chaincodes.has(packageId);
  }

  async launch(req: LaunchRequest): Promise<LaunchOutcome | undefined> {
    const cc = this.chaincodes.get(req.packageId);
    if (!cc) return undefined;
    const { shim, fromContracts } = await (this.loaded ??= loadShim(this.opts));
    const chaincode = 'chaincode' in cc ? cc.chaincode : fromContracts(cc);
    const dir = await (this.socketDir ??= mkdtemp(join(tmpdir(), 'fpcc-')));
    const socket = join(dir, `${randomBytes(6).toString('hex')}.sock`);
    const address = `unix:${socket}`;
    const server = shim.server(chaincode, { ccid: req.packageId, address });
    skipDeprecatedGrpcStart(server);
    tolerateOtherMessageClasses(server);
    await server.start();
    return {
      kind: 'server',
      connection: { address, dialTimeoutMs: 5000 },
      stop: async () => {
        server._server?.forceShutdown();
        await rm(socket, { force: true });
      },
    };
  }

  async close(): Promise<void> {
    const dir = await this.socketDir?.catch(() => undefined);
    this.socketDir = undefined;
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}
