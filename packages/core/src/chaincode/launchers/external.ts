// External builders (Fabric's core/container/externalbuilder): for each configured builder in order,
// bin/detect SRC META; the first to exit 0 builds (bin/build SRC META BUILD_OUTPUT), releases
// (bin/release BUILD_OUTPUT RELEASE_OUTPUT, optional) and, unless the release holds
// chaincode/server/connection.json (then the peer dials the chaincode), runs it
// (bin/run BUILD_OUTPUT RUN_METADATA_DIR with chaincode.json). Builds persist per package id.
import { randomBytes } from 'node:crypto';
import { access, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Logger } from '../../logging/index.js';
import { type Launcher, type LaunchOutcome, type LaunchRequest } from '../launcher.js';
import { type ChaincodePackage, extractCode } from '../package.js';
import { ChildProgram, runToCompletion } from '../process.js';
import { parseConnectionJson } from './ccaas.js';
import { baseEnvironment, packageDirName } from './env.js';

export interface ExternalBuilderConfig {
  name: string;
  /** The folder holding bin/detect, bin/build, and optionally bin/release and bin/run. */
  path: string;
  propagateEnvironment?: string[] | undefined;
}

export interface ExternalBuildersOptions {
  builders: ExternalBuilderConfig[];
  /** Durable build folder: peer.fileSystemPath/externalbuilder/builds. */
  buildsDir: string;
  /** Where run metadata and scratch folders go; default buildsDir/../tmp. */
  scratchDir?: string;
  stopGraceMs?: number;
  /** Ceiling for detect/build/release (chaincode.installTimeout); default 300 s. */
  buildTimeoutMs?: number;
  logger?: Logger;
}

interface BuildInfo {
  builder_name: string;
}

const exists = (p: string): Promise<boolean> =>
  access(p).then(
    () => true,
    () => false,
  );

export class ExternalBuilderLauncher implements Launcher {
  readonly name = 'external';
  private readonly builds = new Map<
    string,
    Promise<{ builder: ExternalBuilderConfig; dir: string } | undefined>
  >();
  private readonly warned = new Set<string>();

  constructor(private readonly opts: ExternalBuildersOptions) {}

  async launch(req: LaunchRequest): Promise<LaunchOutcome | undefined> {
    const pkg = await req.loadPackage();
    if (!pkg || this.opts.builders.length === 0) return undefined;
    let build = this.builds.get(pkg.packageId);
    if (!build) {
      build = this.build(pkg, req.logger);
      this.builds.set(pkg.packageId, build);
      build.catch(() => this.builds.delete(pkg.packageId));
    }
    const built = await build;
    if (!built) return undefined;
    const { builder, dir } = built;
    const connFile = join(dir, 'release', 'chaincode', 'server', 'connection.json');
    if (await exists(connFile)) {
      return { kind: 'server', connection: parseConnectionJson(await readFile(connFile)) };
    }
    const run = join(builder.path, 'bin', 'run');
    if (!(await exists(run)))
      throw new Error(`external builder ${builder.name} has no bin/run and released no connection.json`);
    const conn = await req.peerConnection();
    const runDir = join(
      this.scratch,
      `run-${packageDirName(pkg.packageId)}-${randomBytes(4).toString('hex')}`,
    );
    await mkdir(runDir, { recursive: true, mode: 0o700 });
    const chaincodeJson = {
      chaincode_id: pkg.packageId,
      peer_address: conn.peerAddress,
      client_cert: conn.tls?.clientCertPem ?? '',
      client_key: conn.tls?.clientKeyPem ?? '',
      root_cert: conn.tls?.rootCertPem ?? '',
      mspid: conn.mspId,
    };
    await writeFile(join(runDir, 'chaincode.json'), JSON.stringify(chaincodeJson), { mode: 0o600 });
    const program = new ChildProgram(run, [join(dir, 'bld'), runDir], {
      env: baseEnvironment(builder.propagateEnvironment),
      logger: req.logger,
      signal: req.signal,
    });
    void program.exited.then(() => rm(runDir, { recursive: true, force: true }));
    return {
      kind: 'process',
      exited: program.exited,
      stop: () => program.stop(this.opts.stopGraceMs ?? 5000),
    };
  }

  private get scratch(): string {
    return this.opts.scratchDir ?? join(this.opts.buildsDir, '..', 'tmp');
  }

  /** Detect + build + release, or the persisted result of an earlier build of this package id. */
  private async build(
    pkg: ChaincodePackage,
    logger: Logger,
  ): Promise<{ builder: ExternalBuilderConfig; dir: string } | undefined> {
    const dir = join(this.opts.buildsDir, packageDirName(pkg.packageId));
    const infoFile = join(dir, 'build-info.json');
    if (await exists(infoFile)) {
      const info = JSON.parse(await readFile(infoFile, 'utf8')) as BuildInfo;
      const builder = this.opts.builders.find((b) => b.name === info.builder_name);
      if (builder) return { builder, dir };
    }
    const work = join(
      this.scratch,
      `build-${packageDirName(pkg.packageId)}-${randomBytes(4).toString('hex')}`,
    );
    const src = join(work, 'src');
    const meta = join(work, 'metadata');
    const out = join(work, 'bld');
    const release = join(work, 'release');
    try {
      await extractCode(pkg, src);
      await mkdir(meta, { recursive: true });
      await mkdir(out, { recursive: true });
      await mkdir(release, { recursive: true });
      await writeFile(join(meta, 'metadata.json'), pkg.metadataJson);
      const builder = await this.detect(src, meta, logger);
      if (!builder) return undefined;
      const run = (script: string, args: string[]): Promise<void> =>
        runToCompletion(join(builder.path, 'bin', script), args, {
          env: baseEnvironment(builder.propagateEnvironment),
          logger,
          timeoutMs: this.opts.buildTimeoutMs ?? 300_000,
        });
      try {
        await run('build', [src, meta, out]);
      } catch (err) {
        throw new Error(`external builder failed: ${(err as Error).message}`);
      }
      if (await exists(join(builder.path, 'bin', 'release'))) {
        try {
          await run('release', [out, release]);
        } catch (err) {
          throw new Error(`external builder release failed: ${(err as Error).message}`);
        }
      }
      const staged = join(work, 'durable');
      await mkdir(staged, { recursive: true });
      await rename(out, join(staged, 'bld'));
      await rename(release, join(staged, 'release'));
      await writeFile(
        join(staged, 'build-info.json'),
        JSON.stringify({ builder_name: builder.name } satisfies BuildInfo),
      );
      await mkdir(this.opts.buildsDir, { recursive: true });
      await rm(dir, { recursive: true, force: true });
      await rename(staged, dir);
      logger.info(`built by external builder ${builder.name}`);
      return { builder, dir };
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  private async detect(
    src: string,
    meta: string,
    logger: Logger,
  ): Promise<ExternalBuilderConfig | undefined> {
    for (const b of this.opts.builders) {
      const detect = join(b.path, 'bin', 'detect');
      if (!(await exists(detect))) {
        // Fabric's default core.yaml names /opt/hyperledger/ccaas_builder; without it the built-in
        // ccaas launcher serves the same packages, so a missing builder is skipped, not fatal.
        if (!this.warned.has(b.name)) {
          this.warned.add(b.name);
          (this.opts.logger ?? logger).warn(`external builder ${b.name} skipped: ${detect} not found`);
        }
        continue;
      }
      try {
        await runToCompletion(detect, [src, meta], {
          env: baseEnvironment(b.propagateEnvironment),
          logger,
          timeoutMs: this.opts.buildTimeoutMs ?? 300_000,
        });
        return b;
      } catch {
        // any non-zero exit: not this builder
      }
    }
    return undefined;
  }
}
