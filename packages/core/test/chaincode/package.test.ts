// Chaincode packages: the real Fabric 2.5.12 packages parse to the package ids Fabric printed, code
// unpacks as Fabric allows (regular files and folders inside the root only), installed packages are
// stored under Fabric's file names, and connection.json is read as Fabric's ccaas builder reads it.
import assert from 'node:assert/strict';
import { access, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { create as tarCreate } from 'tar';
import {
  CHAINCODE_ERRORS,
  ChaincodeError,
  FilePackageStore,
  packageFileName,
  parseChaincodePackage,
  parseConnectionJson,
} from '../../src/chaincode/index.js';
import { extractCode, readCodeFile } from '../../src/chaincode/package.js';
import { FIXTURES, tempDir } from './helpers.js';
import { buildPackage } from './launch-helpers.js';

const fixture = (name: string): Promise<Buffer> => readFile(join(FIXTURES, 'chaincode', name));
const exists = (p: string): Promise<boolean> =>
  access(p).then(
    () => true,
    () => false,
  );

describe('chaincode packages', () => {
  test('the real node package: package id, metadata, code under src/', async () => {
    const pkg = await parseChaincodePackage(await fixture('asset-node.tar.gz'));
    assert.equal(pkg.packageId, (await fixture('asset-node.package-id')).toString().trim());
    assert.deepEqual(pkg.metadata, { path: 'src', type: 'node', label: 'asset_node_1.0' });
    const dir = await tempDir();
    try {
      await extractCode(pkg, dir.path);
      assert.deepEqual((await readdir(join(dir.path, 'src'))).sort(), ['index.js', 'package.json']);
      const src = await readFile(join(dir.path, 'src', 'index.js'), 'utf8');
      assert.match(src, /class AssetContract extends Contract/);
    } finally {
      await dir.remove();
    }
  });

  test('the real ccaas package: connection.json as Fabric reads it', async () => {
    const pkg = await parseChaincodePackage(await fixture('asset_1.0.tar.gz'));
    assert.equal(pkg.packageId, (await fixture('asset_1.0.package-id')).toString().trim());
    const conn = parseConnectionJson((await readCodeFile(pkg, 'connection.json'))!);
    assert.deepEqual(conn, { address: '127.0.0.1:28999', dialTimeoutMs: 10_000 });
  });

  test('connection.json: TLS fields, templates, and what is required', () => {
    const tls = parseConnectionJson(
      JSON.stringify({
        address: 'cc:9999',
        dial_timeout: '1m30s',
        tls_required: true,
        client_auth_required: true,
        client_key: 'K',
        client_cert: 'C',
        root_cert: 'R',
      }),
    );
    assert.deepEqual(tls, {
      address: 'cc:9999',
      dialTimeoutMs: 90_000,
      tls: { rootCertPem: 'R', clientKeyPem: 'K', clientCertPem: 'C' },
    });
    // Fabric's ccaas builder fills Go-template values from CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG.
    const templ = parseConnectionJson('{"address":"{{.peername}}_cc:9999"}', { peername: 'peer0org1' });
    assert.equal(templ.address, 'peer0org1_cc:9999');
    assert.throws(
      () => parseConnectionJson('{"address":"x:1","tls_required":true}'),
      /root_cert is required/,
    );
    assert.throws(
      () =>
        parseConnectionJson(
          '{"address":"x:1","tls_required":true,"root_cert":"R","client_auth_required":true}',
        ),
      /client_key and client_cert are required/,
    );
    assert.throws(() => parseConnectionJson('{}'), /chaincode address not provided/);
  });

  test('malformed packages are refused with typed errors', async () => {
    const bad = async (bytes: Uint8Array, pattern: RegExp): Promise<void> => {
      await assert.rejects(parseChaincodePackage(bytes), (err: unknown) => {
        assert.ok(ChaincodeError.is(err, CHAINCODE_ERRORS.BAD_PACKAGE));
        assert.match(err.message, pattern);
        return true;
      });
    };
    await bad(Buffer.from('not a tarball at all'), /not a gzipped tar|did not find any package metadata/);
    await bad(
      await buildPackage({ type: 'node', label: 'bad label!' }, { 'a.js': '' }),
      /invalid label 'bad label!'/,
    );
    const dir = await tempDir();
    try {
      await writeFile(join(dir.path, 'metadata.json'), '{"type":"node","label":"ok"}');
      await writeFile(join(dir.path, 'extra.txt'), 'x');
      await tarCreate({ gzip: true, file: join(dir.path, 'p.tgz'), cwd: dir.path }, [
        'metadata.json',
        'extra.txt',
      ]);
      await bad(await readFile(join(dir.path, 'p.tgz')), /found unexpected file 'extra.txt' in package/);
    } finally {
      await dir.remove();
    }
  });

  test('code.tar.gz may hold only files and folders inside its root', async () => {
    const dir = await tempDir();
    try {
      const code = join(dir.path, 'code');
      await mkdir(join(code, 'src'), { recursive: true });
      await writeFile(join(code, 'src', 'a.js'), 'a');
      await symlink('/etc/passwd', join(code, 'src', 'link'));
      await tarCreate({ gzip: true, file: join(dir.path, 'code.tar.gz'), cwd: code }, ['src']);
      const withLink = {
        packageId: 'x:1',
        metadata: { type: 'node', label: 'x' },
        metadataJson: Buffer.from('{}'),
        codeTarGz: await readFile(join(dir.path, 'code.tar.gz')),
      };
      await assert.rejects(extractCode(withLink, join(dir.path, 'out1')), /illegal file mode in src\/link/);

      await writeFile(join(dir.path, 'evil'), 'evil');
      await tarCreate({ gzip: true, file: join(dir.path, 'escape.tar.gz'), cwd: code, preservePaths: true }, [
        '../evil',
      ]);
      const escaping = { ...withLink, codeTarGz: await readFile(join(dir.path, 'escape.tar.gz')) };
      await mkdir(join(dir.path, 'out2', 'inner'), { recursive: true });
      await assert.rejects(extractCode(escaping, join(dir.path, 'out2', 'inner')));
      assert.equal(await exists(join(dir.path, 'out2', 'evil')), false);
    } finally {
      await dir.remove();
    }
  });

  test('installed packages are stored as <label>.<hash>.tar.gz', async () => {
    const dir = await tempDir();
    try {
      const store = new FilePackageStore(join(dir.path, 'lifecycle', 'chaincodes'));
      const bytes = await fixture('asset-node.tar.gz');
      const id = await store.save(bytes);
      assert.equal(packageFileName(id), `asset_node_1.0.${id.split(':')[1]}.tar.gz`);
      assert.deepEqual(await readdir(store.dir), [packageFileName(id)]);
      assert.deepEqual(Buffer.from((await store.load(id))!), bytes);
      assert.deepEqual(await store.list(), [id]);
      assert.equal(await store.load('nope:00'), undefined);
    } finally {
      await dir.remove();
    }
  });
});
