// Chaincode packages as `peer lifecycle chaincode package|calculatepackageid` make and read them:
// a .tar.gz of metadata.json {path,type,label} and code.tar.gz (the source under src/, META-INF/
// at the top), package id = label:hex(SHA-256 of the whole file). Reading uses node-tar's parser,
// which takes any tar another tool (Go's peer, GNU tar, configtx scripts) writes.
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import { CLIENT_ERRORS, ClientError } from './errors.js';
import { goGzip, tarBytes, type TarFile } from './tarwriter.js';

export interface PackageMetadata {
  path: string;
  type: string;
  label: string;
}

const LABEL = /^[A-Za-z0-9][A-Za-z0-9_.+-]*$/;

/** persistence.ValidateLabel. */
export function validateLabel(label: string): void {
  if (!LABEL.test(label)) {
    throw new ClientError(CLIENT_ERRORS.PACKAGE, {
      reason: `invalid label '${label}'. Label must be non-empty, can only consist of alphanumerics, symbols from '.+-_', and can only begin with alphanumerics`,
    });
  }
}

/** Per language: directories left out and file extensions left out, as Fabric's platforms. */
const PLATFORMS: Record<string, { excludeDirs: string[]; excludeExt: string[] }> = {
  node: { excludeDirs: ['node_modules'], excludeExt: [] },
  java: { excludeDirs: ['target', 'build', 'out'], excludeExt: ['.class'] },
};

async function walk(root: string, dir: string, excludeDirs: string[], out: string[]): Promise<void> {
  const names = (await readdir(dir)).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  for (const name of names) {
    const p = join(dir, name);
    const st = await stat(p);
    if (st.isDirectory()) {
      if (!excludeDirs.includes(name)) await walk(root, p, excludeDirs, out);
    } else if (st.isFile()) out.push(p);
  }
}

export interface PackageInput {
  path: string;
  lang: string;
  label: string;
  cwd?: string;
}

/** The code.tar.gz of a source folder, as Fabric's platforms write it (src/..., META-INF/...). */
export async function codePackage(i: Omit<PackageInput, 'label'>): Promise<Buffer> {
  if (i.path === '')
    throw new ClientError(CLIENT_ERRORS.PACKAGE, { reason: 'chaincode path must be specified (--path)' });
  if (i.lang === '')
    throw new ClientError(CLIENT_ERRORS.PACKAGE, { reason: 'chaincode language must be specified (--lang)' });
  const type = i.lang.toLowerCase();
  const platform = PLATFORMS[type];
  if (platform === undefined) {
    throw new ClientError(CLIENT_ERRORS.PACKAGE, {
      reason:
        type === 'golang'
          ? 'packaging golang chaincode needs the Go toolchain, which fabric-peer does not run: package it with the Go peer, or use --lang node|java, or chaincode as a service'
          : `unknown chaincodeType: ${i.lang.toUpperCase()}`,
    });
  }
  const root = resolve(i.cwd ?? process.cwd(), i.path);
  const files: string[] = [];
  try {
    await walk(root, root, platform.excludeDirs, files);
  } catch (err) {
    throw new ClientError(CLIENT_ERRORS.FILE_NOT_FOUND, {
      what: 'the chaincode path',
      file: root,
      reason: (err as NodeJS.ErrnoException).code ?? String(err),
    });
  }
  const entries: TarFile[] = [];
  for (const f of files) {
    if (platform.excludeExt.some((e) => f.endsWith(e))) continue;
    const rel = relative(root, f).split(sep).join('/');
    const st = await stat(f);
    entries.push({
      name: rel.startsWith('META-INF/') ? rel : `src/${rel}`,
      body: await readFile(f),
      uid: st.uid,
      gid: st.gid,
    });
  }
  if (entries.length === 0)
    throw new ClientError(CLIENT_ERRORS.PACKAGE, { reason: `no source files found in ${root}` });
  return goGzip(tarBytes(entries));
}

/** `peer lifecycle chaincode package`: the package bytes (write them to the output file). */
export async function createChaincodePackage(i: PackageInput): Promise<Buffer> {
  if (i.path === '')
    throw new ClientError(CLIENT_ERRORS.PACKAGE, { reason: 'chaincode path must be specified (--path)' });
  if (i.lang === '')
    throw new ClientError(CLIENT_ERRORS.PACKAGE, { reason: 'chaincode language must be specified (--lang)' });
  if (i.label === '')
    throw new ClientError(CLIENT_ERRORS.PACKAGE, { reason: 'package label must be specified (--label)' });
  validateLabel(i.label);
  const code = await codePackage(i);
  const metadata: PackageMetadata = { path: i.path, type: i.lang.toLowerCase(), label: i.label };
  return goGzip(
    tarBytes([
      { name: 'metadata.json', body: Buffer.from(JSON.stringify(metadata)) },
      { name: 'code.tar.gz', body: code },
    ]),
  );
}

/** The files of a (gzipped or plain) tar, by name. */
export function readTar(bytes: Uint8Array): Map<string, Buffer> {
  let raw: Buffer;
  try {
    raw = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : Buffer.from(bytes);
  } catch (err) {
    throw new ClientError(CLIENT_ERRORS.PACKAGE, {
      reason: `failed to decompress the package: ${(err as Error).message}`,
    });
  }
  const files = new Map<string, Buffer>();
  const errors: string[] = [];
  const p = new Parser({
    strict: true,
    onwarn: (_code: string, message: string) => errors.push(message),
    onReadEntry: (e: ReadEntry) => {
      const chunks: Buffer[] = [];
      e.on('data', (c: Buffer) => chunks.push(c));
      e.on('end', () => {
        if (e.type === 'File' || e.type === 'OldFile') files.set(e.path, Buffer.concat(chunks));
      });
    },
  });
  try {
    p.end(raw);
  } catch (err) {
    throw new ClientError(CLIENT_ERRORS.PACKAGE, {
      reason: `not a chaincode package (tar.gz): ${(err as Error).message}`,
    });
  }
  if (errors.length > 0 && files.size === 0)
    throw new ClientError(CLIENT_ERRORS.PACKAGE, { reason: `not a tar archive: ${errors[0]}` });
  return files;
}

/** metadata.json of a chaincode package (persistence.ParseChaincodePackage). */
export function packageMetadata(bytes: Uint8Array): PackageMetadata {
  const files = readTar(bytes);
  const md = files.get('metadata.json');
  if (md === undefined)
    throw new ClientError(CLIENT_ERRORS.PACKAGE, {
      reason: 'did not find any package metadata (missing metadata.json)',
    });
  let m: PackageMetadata;
  try {
    m = JSON.parse(md.toString('utf8')) as PackageMetadata;
  } catch (err) {
    throw new ClientError(CLIENT_ERRORS.PACKAGE, {
      reason: `could not unmarshal metadata.json as json: ${(err as Error).message}`,
    });
  }
  if (typeof m.label !== 'string')
    throw new ClientError(CLIENT_ERRORS.PACKAGE, { reason: 'metadata.json has no label' });
  validateLabel(m.label);
  return m;
}

/** `peer lifecycle chaincode calculatepackageid`: label:hex(SHA-256(file)). */
export function calculatePackageId(bytes: Uint8Array): string {
  const { label } = packageMetadata(bytes);
  return `${label}:${createHash('sha256').update(bytes).digest('hex')}`;
}
