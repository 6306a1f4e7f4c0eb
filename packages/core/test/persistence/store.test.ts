// The installed package store on the real fixture packages: Fabric's package ids, file names,
// listing, loading, and the parse errors Fabric gives for bad packages.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import {
  FileChaincodeStore,
  MemoryChaincodeStore,
  PersistenceError,
  installedPackageFromFileName,
  packageFileName,
  parseInstallPackage,
  validateLabel,
} from '../../src/persistence/index.js';

const CC = join(import.meta.dirname, '../../../../test/fixtures/fabric-2.5.12/chaincode');
const pkg = (f: string): Buffer => readFileSync(join(CC, f));
const expectedId = (f: string): string => readFileSync(join(CC, f), 'utf8').trim();

/** A ustar archive of regular files (what `tar` writes), for hand-made bad packages. */
function tarOf(files: Record<string, Buffer | string>): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, body] of Object.entries(files)) {
    const data = Buffer.from(body);
    const h = Buffer.alloc(512);
    h.write(name, 0);
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(data.length.toString(8).padStart(11, '0') + '\0', 124);
    h.write('00000000000\0', 136);
    h.write('        ', 148);
    h.write('0', 156);
    h.write('ustar\0', 257);
    h.write('00', 263);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    blocks.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

describe('persistence: installed chaincode package store', () => {
  for (const [file, idFile, label, type] of [
    ['asset_1.0.tar.gz', 'asset_1.0.package-id', 'asset_1.0', 'ccaas'],
    ['asset-node.tar.gz', 'asset-node.package-id', 'asset_node_1.0', 'node'],
  ] as const) {
    it(`parses ${file} and stores it under Fabric's package id`, async () => {
      const parsed = await parseInstallPackage(pkg(file));
      assert.equal(parsed.metadata.label, label);
      assert.equal(parsed.metadata.type, type);
      assert.ok(parsed.codePackage.length > 0);
      const dir = await mkdtemp(join(tmpdir(), 'ccstore-'));
      try {
        const store = new FileChaincodeStore(join(dir, 'lifecycle', 'chaincodes'));
        const id = await store.save(label, pkg(file));
        assert.equal(id, expectedId(idFile));
        // Fabric's file name: <label>.<sha256hex>.tar.gz
        assert.deepEqual(await readdir(store.path), [`${id.replace(':', '.')}.tar.gz`]);
        assert.equal(await store.save(label, pkg(file)), id, 'saving again is a no-op');
        assert.deepEqual(Buffer.from(await store.loadOrThrow(id)), pkg(file));
        const listed = await store.listInstalledChaincodes();
        assert.deepEqual(
          listed.map((p) => [p.packageId, p.label]),
          [[id, label]],
        );
        await store.delete(id);
        assert.deepEqual(await store.listInstalledChaincodes(), []);
        assert.equal(await store.load(id), undefined);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  }

  it('concurrent saves of one package leave one file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ccstore-'));
    try {
      const store = new FileChaincodeStore(dir);
      const ids = await Promise.all(
        Array.from({ length: 8 }, () => store.save('asset_1.0', pkg('asset_1.0.tar.gz'))),
      );
      assert.ok(ids.every((id) => id === expectedId('asset_1.0.package-id')));
      assert.deepEqual(await readdir(dir), [packageFileName(ids[0]!)]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('memory store gives the same ids and listing', async () => {
    const store = new MemoryChaincodeStore();
    const a = await store.save('asset_node_1.0', pkg('asset-node.tar.gz'));
    const b = await store.save('asset_1.0', pkg('asset_1.0.tar.gz'));
    assert.equal(a, expectedId('asset-node.package-id'));
    assert.equal(b, expectedId('asset_1.0.package-id'));
    assert.deepEqual(
      (await store.listInstalledChaincodes()).map((p) => p.packageId),
      [b, a], // file-name order, as Go's ReadDir: "asset_1.0." < "asset_node_1.0."
    );
  });

  it("a missing package is CodePackageNotFoundErr with Fabric's message", async () => {
    const store = new MemoryChaincodeStore();
    await assert.rejects(store.loadOrThrow('nope:00'), (err: unknown) => {
      assert.ok(err instanceof PersistenceError);
      assert.equal(err.code, 'PERSISTENCE_PACKAGE_NOT_FOUND');
      assert.equal(err.message, "chaincode install package 'nope:00' not found");
      return true;
    });
  });

  it('file names map back to package ids; others are ignored', () => {
    const id = expectedId('asset_1.0.package-id');
    assert.equal(installedPackageFromFileName(packageFileName(id))?.packageId, id);
    assert.equal(installedPackageFromFileName('asset.tar.gz'), undefined);
    assert.equal(installedPackageFromFileName(`x.${'0'.repeat(63)}.tar.gz`), undefined);
  });

  it("refuses bad labels and packages with Fabric's reasons", async () => {
    assert.throws(() => validateLabel('_bad'), /invalid label '_bad'\. Label must be non-empty/);
    assert.throws(() => validateLabel(''), /invalid label ''/);
    validateLabel('a.b+c-d_e');
    const md = (label: string): string => JSON.stringify({ type: 'ccaas', label, path: '' });
    const code = gzipSync(Buffer.from('x'));
    await assert.rejects(
      parseInstallPackage(tarOf({ 'metadata.json': md('bad label'), 'code.tar.gz': code })),
      /invalid label 'bad label'/,
    );
    await assert.rejects(
      parseInstallPackage(tarOf({ 'code.tar.gz': code })),
      /did not find any package metadata \(missing metadata.json\)/,
    );
    await assert.rejects(
      parseInstallPackage(tarOf({ 'metadata.json': md('ok') })),
      /did not find a code package inside the package/,
    );
    await assert.rejects(
      parseInstallPackage(tarOf({ 'metadata.json': md('ok'), 'code.tar.gz': 'plain text' })),
      /^PersistenceError: error retrieving DB artifacts from code package: gzip: invalid header$/,
    );
    await assert.rejects(parseInstallPackage(Buffer.from('not a package')), PersistenceError);
    const ok = await parseInstallPackage(tarOf({ 'metadata.json': md('ok'), 'code.tar.gz': code }));
    assert.equal(ok.metadata.label, 'ok');
  });
});
