// Node chaincode packages (`type: node`, made by `peer lifecycle chaincode package --lang node`):
// unpacked once per package id, dependencies installed with npm (offline from its cache when it
// can), then `npm start -- --peer.address <listener>` runs as a child that registers with the peer.
// Fabric does the same inside a Docker image; here the chaincode runs on the peer's host.
import { randomBytes } from 'node:crypto';
import { access, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Launcher, type LaunchOutcome, type LaunchRequest } from '../launcher.js';
import { type ChaincodePackage, extractCode } from '../package.js';
import { ChildProgram, runToCompletion } from '../process.js';
import { baseEnvironment, packageDirName, shimEnvironment } from './env.js';

export interface NodeLauncherOptions {
  /** Where packages are unpacked and built: <dir>/<package id>/. */
  buildsDir: string;
  /** Per-run files (TLS material handed to the chaincode); default <buildsDir>/../run. */
  runDir?: string;
  /** npm to run; default "npm" from PATH. */
  npmCommand?: string;
  /** npm's cache folder (--cache); default npm's own. */
  npmCache?: string;
  /**
   * Never touch the network (--offline): everything comes from the cache or file: paths. Default:
   * --prefer-offline (the cache first, the registry only for what the cache lacks).
   */
  offline?: boolean;
  /** chaincode.installTimeout for the npm install; default 300 s. */
  installTimeoutMs?: number;
  /** Time between SIGTERM and SIGKILL on stop; default 5 s. */
  stopGraceMs?: number;
  /** CORE_CHAINCODE_LOGGING_LEVEL for the shim (chaincode.logging.level). */
  logLevel?: string;
  /** Extra variables of the peer's environment to pass on (e.g. npm_config_registry). */
  propagateEnvironment?: string[];
}

const MARKER = '.fabric-peer-built';
const exists = (p: string): Promise<boolean> =>
  access(p).then(
    () => true,
    () => false,
  );

export class NodeLauncher implements Launcher {
  readonly name = 'node';
  private readonly builds = new Map<string, Promise<string>>();

  constructor(private readonly opts: NodeLauncherOptions) {}

  async launch(req: LaunchRequest): Promise<LaunchOutcome | undefined> {
    const pkg = await req.loadPackage();
    if (!pkg || pkg.metadata.type.toLowerCase() !== 'node') return undefined;
    const dir = await this.build(pkg, req);
    const conn = await req.peerConnection();
    const runDir = join(
      this.opts.runDir ?? join(this.opts.buildsDir, '..', 'run'),
      `${packageDirName(pkg.packageId)}-${randomBytes(4).toString('hex')}`,
    );
    const env = {
      ...baseEnvironment(this.opts.propagateEnvironment),
      ...(this.opts.npmCache ? { npm_config_cache: this.opts.npmCache } : {}),
      ...(await shimEnvironment(pkg.packageId, conn, runDir, this.opts.logLevel)),
    };
    const program = new ChildProgram(
      this.opts.npmCommand ?? 'npm',
      ['start', '--', '--peer.address', conn.peerAddress],
      {
        cwd: dir,
        env,
        logger: req.logger,
        signal: req.signal,
      },
    );
    void program.exited.then(() => rm(runDir, { recursive: true, force: true }));
    return {
      kind: 'process',
      exited: program.exited,
      stop: () => program.stop(this.opts.stopGraceMs ?? 5000),
    };
  }

  /** The folder holding package.json, built once per package id (concurrent launches share it). */
  build(pkg: ChaincodePackage, req: Pick<LaunchRequest, 'logger' | 'signal'>): Promise<string> {
    let p = this.builds.get(pkg.packageId);
    if (!p) {
      p = this.doBuild(pkg, req);
      this.builds.set(pkg.packageId, p);
      p.catch(() => this.builds.delete(pkg.packageId));
    }
    return p;
  }

  private async doBuild(
    pkg: ChaincodePackage,
    req: Pick<LaunchRequest, 'logger' | 'signal'>,
  ): Promise<string> {
    const dir = join(this.opts.buildsDir, packageDirName(pkg.packageId));
    if (await exists(join(dir, MARKER))) return sourceDir(dir);
    // Built aside and renamed into place, so a crash never leaves a half-built folder that looks done.
    const tmp = `${dir}.tmp-${randomBytes(4).toString('hex')}`;
    try {
      await extractCode(pkg, tmp);
      const src = await sourceDir(tmp);
      const locked =
        (await exists(join(src, 'package-lock.json'))) || (await exists(join(src, 'npm-shrinkwrap.json')));
      const args = [
        locked ? 'ci' : 'install',
        '--omit=dev',
        this.opts.offline === true ? '--offline' : '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--loglevel=warn',
      ];
      if (this.opts.npmCache) args.push('--cache', this.opts.npmCache);
      req.logger.info(`installing dependencies: npm ${args.join(' ')}`);
      await runToCompletion(this.opts.npmCommand ?? 'npm', args, {
        cwd: src,
        env: baseEnvironment(this.opts.propagateEnvironment),
        logger: req.logger,
        signal: req.signal,
        timeoutMs: this.opts.installTimeoutMs ?? 300_000,
      });
      await writeFile(join(tmp, MARKER), new Date().toISOString());
      await rm(dir, { recursive: true, force: true });
      await rename(tmp, dir);
    } catch (err) {
      await rm(tmp, { recursive: true, force: true });
      throw new Error(`error building chaincode: ${(err as Error).message}`);
    }
    return sourceDir(dir);
  }
}

/** `peer lifecycle chaincode package` puts node sources under src/; a bare package.json also works. */
async function sourceDir(root: string): Promise<string> {
  if (await exists(join(root, 'src', 'package.json'))) return join(root, 'src');
  if (await exists(join(root, 'package.json'))) return root;
  throw new Error('node chaincode package has no package.json (looked in src/ and the root)');
}
