import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  calculatePackageId,
  createChaincodePackage,
  packageMetadata,
  readTar,
} from '../../src/client/index.js';
import { tarBytes } from '../../src/client/tarwriter.js';

const fixtures = new URL('../../../../test/fixtures/fabric-2.5.12/chaincode/', import.meta.url).pathname;

test('calculatepackageid of the real Fabric packages gives the fixture package ids', () => {
  for (const name of ['asset_1.0', 'asset-node']) {
    const id = calculatePackageId(readFileSync(join(fixtures, `${name}.tar.gz`)));
    assert.equal(id, readFileSync(join(fixtures, `${name}.package-id`), 'utf8').trim());
  }
});

test('the tar writer writes the bytes of Go archive/tar (the fixture code.tar, decompressed)', () => {
  const outer = readTar(readFileSync(join(fixtures, 'asset-node.tar.gz')));
  const innerGo = gunzipSync(outer.get('code.tar.gz')!);
  const ours = tarBytes(
    ['index.js', 'package.json'].map((f) => ({
      name: `src/${f}`,
      body: readFileSync(join(fixtures, 'src', f)),
      uid: 500,
      gid: 500,
    })),
  );
  assert.deepEqual(ours, innerGo);
  const outerGo = gunzipSync(readFileSync(join(fixtures, 'asset-node.tar.gz')));
  const oursOuter = tarBytes([
    { name: 'metadata.json', body: outer.get('metadata.json')! },
    { name: 'code.tar.gz', body: outer.get('code.tar.gz')! },
  ]);
  assert.deepEqual(oursOuter, outerGo);
});

test('package makes metadata.json {path,type,label} + code.tar.gz with src/ entries, node_modules left out', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cc-'));
  mkdirSync(join(dir, 'src', 'lib'), { recursive: true });
  mkdirSync(join(dir, 'src', 'node_modules', 'x'), { recursive: true });
  mkdirSync(join(dir, 'src', 'META-INF', 'statedb'), { recursive: true });
  writeFileSync(join(dir, 'src', 'index.js'), 'module.exports = {};\n');
  writeFileSync(join(dir, 'src', 'lib', 'a.js'), '1');
  writeFileSync(join(dir, 'src', 'node_modules', 'x', 'i.js'), '2');
  writeFileSync(join(dir, 'src', 'META-INF', 'statedb', 'x.json'), '{}');
  const pkg = await createChaincodePackage({ path: 'src', lang: 'node', label: 'asset_node_1.0', cwd: dir });
  assert.deepEqual(JSON.parse(readTar(pkg).get('metadata.json')!.toString()), {
    path: 'src',
    type: 'node',
    label: 'asset_node_1.0',
  });
  assert.deepEqual([...readTar(pkg).keys()], ['metadata.json', 'code.tar.gz']);
  const code = readTar(readTar(pkg).get('code.tar.gz')!);
  assert.deepEqual([...code.keys()], ['META-INF/statedb/x.json', 'src/index.js', 'src/lib/a.js']);
  assert.equal(packageMetadata(pkg).label, 'asset_node_1.0');
  assert.match(calculatePackageId(pkg), /^asset_node_1\.0:[0-9a-f]{64}$/);
  // Deterministic: the same folder gives the same package id.
  const again = await createChaincodePackage({
    path: 'src',
    lang: 'node',
    label: 'asset_node_1.0',
    cwd: dir,
  });
  assert.equal(calculatePackageId(again), calculatePackageId(pkg));
});

test('package refuses bad labels, unknown languages, golang and missing paths with what to do', async () => {
  await assert.rejects(
    createChaincodePackage({ path: 'src', lang: 'node', label: '_bad' }),
    /invalid label '_bad'/,
  );
  await assert.rejects(
    createChaincodePackage({ path: 'src', lang: 'cobol', label: 'a' }),
    /unknown chaincodeType: COBOL/,
  );
  await assert.rejects(createChaincodePackage({ path: 'src', lang: 'golang', label: 'a' }), /Go toolchain/);
  await assert.rejects(createChaincodePackage({ path: '/no/such/dir', lang: 'node', label: 'a' }), {
    code: 'CLIENT_FILE_NOT_FOUND',
  });
  assert.throws(() => calculatePackageId(Buffer.from('not a package')), { code: 'CLIENT_PACKAGE_INVALID' });
});
