// test-network's createChannel.sh and deployCC.sh, with `peer` replaced by `fabric-peer`, against the
// in-process dev network: the same commands, flags, env and parsing of the output (jq on --output json).
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildAnchorUpdate } from './anchor.js';
import { startNet, type Net } from './harness.js';

const fixtures = new URL('../../../test/fixtures/fabric-2.5.12/chaincode/', import.meta.url).pathname;

describe('test-network scripts with fabric-peer', () => {
  let net: Net;
  before(async () => {
    net = await startNet();
  });
  after(async () => {
    await net?.stop();
  });

  it('createChannel.sh: join, fetch config, anchor peer update, getinfo', async () => {
    const ok = async (argv: string[]): Promise<{ out: string; err: string }> => {
      const r = await net.run(argv);
      assert.equal(r.code, 0, `${argv.join(' ')}\n${r.err}`);
      return r;
    };
    await ok(['channel', 'join', '-b', net.genesisFile]);
    await ok(['channel', 'fetch', 'config', 'config_block.pb', ...net.ordererFlags, '-c', 'mychannel']);
    const tx = join(net.dir, 'Org1MSPanchors.tx');
    writeFileSync(tx, await buildAnchorUpdate(net));
    await ok(['channel', 'update', ...net.ordererFlags, '-c', 'mychannel', '-f', tx]);
    for (let i = 0; i < 200 && net.peer.height('mychannel') < 2; i++)
      await new Promise((r) => setTimeout(r, 10));
    const info = await ok(['channel', 'getinfo', '-c', 'mychannel']);
    assert.match(
      info.out,
      /^Blockchain info: \{"height":2,"currentBlockHash":"[^"]+","previousBlockHash":"[^"]+"\}\n$/,
    );
  });

  it('deployCC.sh: package, install, queryinstalled, approveformyorg, checkcommitreadiness, commit, querycommitted, invoke --waitForEvent, query', async (t: TestContext) => {
    cpSync(join(fixtures, 'src'), join(net.dir, 'asset'), { recursive: true });
    const pkg = await net.run([
      'lifecycle',
      'chaincode',
      'package',
      'asset.tar.gz',
      '--path',
      'asset',
      '--lang',
      'node',
      '--label',
      'asset_1.0',
    ]);
    assert.equal(pkg.code, 0, pkg.err);
    const id = (await net.run(['lifecycle', 'chaincode', 'calculatepackageid', 'asset.tar.gz'])).out.trim();
    assert.match(id, /^asset_1\.0:[0-9a-f]{64}$/);

    const install = await net.run(['lifecycle', 'chaincode', 'install', 'asset.tar.gz']);
    assert.equal(install.code, 0, install.err);
    assert.match(install.err, new RegExp(`Chaincode code package identifier: ${id}`));
    const installed = await net.run(['lifecycle', 'chaincode', 'queryinstalled', '--output', 'json']);
    assert.equal(installed.code, 0, installed.err);
    const ids = (
      JSON.parse(installed.out) as { installed_chaincodes: { package_id: string }[] }
    ).installed_chaincodes.map((c) => c.package_id);
    assert.ok(ids.includes(id));

    const text = await net.run(['lifecycle', 'chaincode', 'queryinstalled']);
    assert.match(
      text.out,
      new RegExp(`^Installed chaincodes on peer:\\nPackage ID: ${id}, Label: asset_1\\.0\\n`),
    );
    const got = await net.run([
      'lifecycle',
      'chaincode',
      'getinstalledpackage',
      '--package-id',
      id,
      '--output-directory',
      'got',
    ]);
    assert.equal(got.code, 0, got.err);
    assert.deepEqual(
      readFileSync(join(net.dir, 'got', `${id}.tar.gz`)),
      readFileSync(join(net.dir, 'asset.tar.gz')),
    );
    const again = await net.run(['lifecycle', 'chaincode', 'install', 'asset.tar.gz']);
    assert.equal(again.code, 1);
    assert.match(again.err, /already successfully installed/);

    const def = ['--channelID', 'mychannel', '--name', 'asset', '--version', '1.0', '--sequence', '1'];
    const approve = await net.run([
      'lifecycle',
      'chaincode',
      'approveformyorg',
      ...net.ordererFlags,
      ...def,
      '--package-id',
      id,
    ]);
    assert.equal(approve.code, 0, approve.err);
    assert.match(approve.err, /committed with status \(VALID\)/);
    const ready = await net.run([
      'lifecycle',
      'chaincode',
      'checkcommitreadiness',
      ...def,
      '--output',
      'json',
    ]);
    assert.equal(ready.code, 0, ready.err);
    assert.deepEqual(JSON.parse(ready.out), { approvals: { Org1MSP: true } });
    const peers = [
      '--peerAddresses',
      net.peer.address,
      '--tlsRootCertFiles',
      net.env.CORE_PEER_TLS_ROOTCERT_FILE!,
    ];
    const commit = await net.run(['lifecycle', 'chaincode', 'commit', ...net.ordererFlags, ...def, ...peers]);
    assert.equal(commit.code, 0, commit.err);
    const committed = await net.run([
      'lifecycle',
      'chaincode',
      'querycommitted',
      '--channelID',
      'mychannel',
      '--name',
      'asset',
      '--output',
      'json',
    ]);
    assert.equal(committed.code, 0, committed.err);
    const c = JSON.parse(committed.out) as Record<string, unknown>;
    assert.equal(c.sequence, 1);
    assert.equal(c.version, '1.0');
    assert.equal(c.validation_parameter, 'EiAvQ2hhbm5lbC9BcHBsaWNhdGlvbi9FbmRvcnNlbWVudA==');
    const all = await net.run(['lifecycle', 'chaincode', 'querycommitted', '-C', 'mychannel']);
    assert.equal(
      all.out,
      "Committed chaincode definitions on channel 'mychannel':\nName: asset, Version: 1.0, Sequence: 1, Endorsement Plugin: escc, Validation Plugin: vscc\n",
    );

    const invoke = await net.run([
      'chaincode',
      'invoke',
      ...net.ordererFlags,
      '-C',
      'mychannel',
      '-n',
      'asset',
      ...peers,
      '-c',
      '{"function":"Put","Args":["asset1","{\\"owner\\":\\"tom\\"}"]}',
      '--waitForEvent',
    ]);
    // The peer builds the node package with npm (offline, from its cache): a machine that cannot do that
    // gets a todo naming why, not a CLI failure.
    if (invoke.code !== 0 && /launch|build|npm|chaincode registration/i.test(invoke.err)) {
      t.todo(`the peer could not run the node chaincode here: ${invoke.err.trim()}`);
      return;
    }
    assert.equal(invoke.code, 0, invoke.err);
    assert.match(invoke.err, /Chaincode invoke successful\. result: status:200/);
    const query = await net.run([
      'chaincode',
      'query',
      '-C',
      'mychannel',
      '-n',
      'asset',
      '-c',
      '{"Args":["Get","asset1"]}',
    ]);
    assert.equal(query.code, 0, query.err);
    assert.equal(query.out, '{"owner":"tom"}\n');
    const missing = await net.run([
      'chaincode',
      'query',
      '-C',
      'mychannel',
      '-n',
      'asset',
      '-c',
      '{"Args":["Get","nope"]}',
    ]);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /^Error: endorsement failure during query\. response: status:500 message:/);

    // deployCC.sh with CC_INIT_FCN: a definition with --init-required, then invoke --isInit.
    const def2 = [
      '--channelID',
      'mychannel',
      '--name',
      'asset',
      '--version',
      '1.0',
      '--sequence',
      '2',
      '--init-required',
    ];
    const a2 = await net.run([
      'lifecycle',
      'chaincode',
      'approveformyorg',
      ...net.ordererFlags,
      ...def2,
      '--package-id',
      id,
    ]);
    assert.equal(a2.code, 0, a2.err);
    const c2 = await net.run(['lifecycle', 'chaincode', 'commit', ...net.ordererFlags, ...def2, ...peers]);
    assert.equal(c2.code, 0, c2.err);
    const q2 = await net.run([
      'lifecycle',
      'chaincode',
      'querycommitted',
      '-C',
      'mychannel',
      '-n',
      'asset',
      '-O',
      'json',
    ]);
    assert.equal((JSON.parse(q2.out) as { init_required?: boolean }).init_required, true);
    await t.test('a non-init invoke is refused until the chaincode is initialised', async () => {
      const notInit = await net.run([
        'chaincode',
        'invoke',
        ...net.ordererFlags,
        '-C',
        'mychannel',
        '-n',
        'asset',
        '-c',
        '{"Args":["Get","asset1"]}',
      ]);
      assert.equal(notInit.code, 1);
      assert.match(
        notInit.err,
        /chaincode 'asset' has not been initialized for this version, must call as init first/,
      );
    });
    const init = await net.run([
      'chaincode',
      'invoke',
      ...net.ordererFlags,
      '-C',
      'mychannel',
      '-n',
      'asset',
      ...peers,
      '--isInit',
      '-c',
      '{"function":"InitLedger","Args":[]}',
      '--waitForEvent',
    ]);
    assert.equal(init.code, 0, init.err);
    assert.match(init.err, /committed with status \(VALID\)/);
  });
});
