// `fabric-peer lifecycle chaincode package|calculatepackageid` (offline) and the _lifecycle calls'
// failures against a peer; the deploy sequence itself is in deploy.test.ts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from 'fabric-peer';
import { capture } from './harness.js';

const fixtures = new URL('../../../test/fixtures/fabric-2.5.12/chaincode/', import.meta.url).pathname;

async function run(argv: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  const io = capture();
  const code = await main(argv, io, { env: {}, cwd });
  return { code, out: io.out, err: io.err };
}

describe('fabric-peer lifecycle chaincode (offline)', () => {
  it('calculatepackageid of the real Fabric packages prints the fixture ids (text and --output json)', async () => {
    for (const name of ['asset_1.0', 'asset-node']) {
      const id = readFileSync(join(fixtures, `${name}.package-id`), 'utf8').trim();
      const r = await run(['lifecycle', 'chaincode', 'calculatepackageid', `${name}.tar.gz`], fixtures);
      assert.equal(r.code, 0, r.err);
      assert.equal(r.out, `${id}\n`);
      const j = await run(
        ['lifecycle', 'chaincode', 'calculatepackageid', `${name}.tar.gz`, '--output', 'json'],
        fixtures,
      );
      assert.equal(j.out, `{\n\t"package_id": "${id}"\n}\n`);
    }
  });

  it('calculatepackageid of a missing or non-package file fails with exit 1', async () => {
    const r = await run(['lifecycle', 'chaincode', 'calculatepackageid', 'nope.tar.gz'], fixtures);
    assert.equal(r.code, 1);
    assert.match(r.err, /^Error: cannot read the chaincode package nope\.tar\.gz: no such file/);
    const bad = await run(['lifecycle', 'chaincode', 'calculatepackageid', 'metadata.json'], fixtures);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /^Error: not a chaincode package/);
  });

  it('package writes the layout `peer lifecycle chaincode package` makes; its id is label:sha256', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fabric-peer-pkg-'));
    cpSync(join(fixtures, 'src'), join(dir, 'src'), { recursive: true });
    const r = await run(
      [
        'lifecycle',
        'chaincode',
        'package',
        'asset-node.tar.gz',
        '--path',
        'src',
        '--lang',
        'node',
        '--label',
        'asset_node_1.0',
      ],
      dir,
    );
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, '');
    const id = await run(['lifecycle', 'chaincode', 'calculatepackageid', 'asset-node.tar.gz'], dir);
    assert.match(id.out, /^asset_node_1\.0:[0-9a-f]{64}\n$/);
    // Same entries and metadata as the real Fabric package of the same folder.
    const { readTar } = await import('../../core/src/client/index.js');
    const ours = readTar(readFileSync(join(dir, 'asset-node.tar.gz')));
    const theirs = readTar(readFileSync(join(fixtures, 'asset-node.tar.gz')));
    assert.deepEqual(ours.get('metadata.json'), theirs.get('metadata.json'));
    const inner = (m: Map<string, Buffer>): Map<string, Buffer> => readTar(m.get('code.tar.gz')!);
    assert.deepEqual([...inner(ours).entries()], [...inner(theirs).entries()]);
  });

  it('package without a label, with a bad label or a golang path fails with what to do', async () => {
    const r = await run(
      ['lifecycle', 'chaincode', 'package', 'x.tar.gz', '--path', 'src', '--lang', 'node'],
      fixtures,
    );
    assert.equal(r.code, 1);
    assert.equal(r.err, 'Error: package label must be specified (--label)\n');
    const bad = await run(
      ['lifecycle', 'chaincode', 'package', 'x.tar.gz', '-p', 'src', '-l', 'node', '--label', 'bad label'],
      fixtures,
    );
    assert.match(bad.err, /invalid label 'bad label'/);
    const go = await run(
      ['lifecycle', 'chaincode', 'package', 'x.tar.gz', '-p', 'src', '--label', 'a'],
      fixtures,
    );
    assert.match(go.err, /golang chaincode needs the Go toolchain/);
  });

  it('lifecycle --help lists chaincode; an unknown sub-command fails', async () => {
    const h = await run(['lifecycle', '--help'], fixtures);
    assert.match(h.out, /chaincode\s+Perform chaincode operations/);
    const u = await run(['lifecycle', 'nosuch'], fixtures);
    assert.equal(u.err, 'Error: unknown command "nosuch" for "fabric-peer lifecycle"\n');
    const hc = await run(['lifecycle', 'chaincode', '--help'], fixtures);
    assert.match(hc.out, /approveformyorg/);
    assert.match(hc.out, /querycommitted/);
  });
});
