// `fabric-peer channel ...` against an in-process peer and orderer, with the env of test-network's scripts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startNet, type Net } from './harness.js';

describe('fabric-peer channel', () => {
  let net: Net;
  before(async () => {
    net = await startNet();
  });
  after(async () => {
    await net?.stop();
  });

  it('join -b joins the peer (cscc JoinChain); a second join fails with the Go message', async () => {
    const r = await net.run(['channel', 'join', '-b', net.genesisFile]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /Successfully submitted proposal to join channel/);
    assert.deepEqual(net.peer.channels(), ['mychannel']);
    const again = await net.run(['channel', 'join', '-b', net.genesisFile]);
    assert.equal(again.code, 1);
    assert.match(again.err, /^Error: proposal failed \(err: bad proposal response 500: .*already/m);
  });

  it('join without -b or with a missing file says what to do', async () => {
    const r = await net.run(['channel', 'join']);
    assert.equal(r.code, 1);
    assert.equal(r.err, 'Error: Must supply genesis block file\n');
    const missing = await net.run(['channel', 'join', '-b', 'nope.block']);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /cannot read the genesis block \(-b\) nope\.block: no such file/);
  });

  it('list prints the joined channels as the Go peer', async () => {
    const r = await net.run(['channel', 'list']);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, 'Channels peers has joined: \nmychannel\n');
    // The orderer flags are persistent flags of `peer channel`: scripts pass them to every sub-command.
    const withFlags = await net.run(['channel', 'list', ...net.ordererFlags]);
    assert.equal(withFlags.code, 0, withFlags.err);
  });

  it('getinfo prints "Blockchain info: {json}" with base64 hashes (fixture getinfo.json shape)', async () => {
    const r = await net.run(['channel', 'getinfo', '-c', 'mychannel']);
    assert.equal(r.code, 0, r.err);
    const m = /^Blockchain info: (\{.*\})\n$/.exec(r.out);
    assert.ok(m, r.out);
    const info = JSON.parse(m[1]!) as Record<string, unknown>;
    assert.deepEqual(Object.keys(info), ['height', 'currentBlockHash']);
    assert.equal(info.height, net.peer.height('mychannel'));
    assert.match(String(info.currentBlockHash), /^[A-Za-z0-9+/]{43}=$/);
    const fixture = readFileSync(
      new URL('../../../test/fixtures/fabric-2.5.12/blocks/getinfo.json', import.meta.url),
      'utf8',
    );
    assert.deepEqual(Object.keys(JSON.parse(fixture) as object).slice(0, 2), Object.keys(info));
  });

  it('getinfo of an unknown channel fails with exit 1', async () => {
    const r = await net.run(['channel', 'getinfo', '-c', 'nosuch']);
    assert.equal(r.code, 1);
    assert.match(r.err, /^Error: bad proposal response 500/);
    const noc = await net.run(['channel', 'getinfo']);
    assert.equal(noc.err, 'Error: Must supply channel ID (-c)\n');
  });

  it('fetch oldest|newest|config|<n> from the peer and from the orderer (-o) writes <channel>_<target>.block', async () => {
    for (const target of ['oldest', 'newest', 'config', '0']) {
      const r = await net.run(['channel', 'fetch', target, '-c', 'mychannel']);
      assert.equal(r.code, 0, r.err);
      assert.match(r.err, /Received block: 0/);
      // The peer's copy of block 0 is the genesis block plus its TRANSACTIONS_FILTER.
      assert.ok(
        readFileSync(join(net.dir, `mychannel_${target}.block`)).length >=
          readFileSync(net.genesisFile).length,
      );
    }
    const o = await net.run([
      'channel',
      'fetch',
      'oldest',
      'genesis.block',
      '-c',
      'mychannel',
      ...net.ordererFlags,
    ]);
    assert.equal(o.code, 0, o.err);
    assert.deepEqual(readFileSync(join(net.dir, 'genesis.block')), readFileSync(net.genesisFile));
  });

  it('fetch of a block not there yet, of an unknown target, or from a dead orderer fails', async () => {
    const r = await net.run(['channel', 'fetch', '99', '-c', 'mychannel']);
    assert.equal(r.code, 1);
    assert.match(r.err, /Error: can't read the block/);
    const bad = await net.run(['channel', 'fetch', 'latest', '-c', 'mychannel']);
    assert.match(bad.err, /fetch target required, oldest, newest, config or a number/);
    const dead = await net.run([
      'channel',
      'fetch',
      'oldest',
      '-c',
      'mychannel',
      '-o',
      '127.0.0.1:1',
      '--connTimeout',
      '300ms',
    ]);
    assert.equal(dead.code, 1);
    assert.match(dead.err, /failed to connect to orderer at 127\.0\.0\.1:1/);
  });

  it('signconfigtx adds a signature to the file; update broadcasts it and the peer commits the new config', async () => {
    const fixture = new URL(
      '../../../test/fixtures/fabric-2.5.12/channel/Org1MSPanchors.tx',
      import.meta.url,
    );
    const { buildAnchorUpdate } = await import('./anchor.js');
    const file = join(net.dir, 'anchors.tx');
    writeFileSync(file, await buildAnchorUpdate(net));
    const before = readFileSync(file);
    const s = await net.run(['channel', 'signconfigtx', '-f', file]);
    assert.equal(s.code, 0, s.err);
    assert.ok(readFileSync(file).length > before.length);
    const height = net.peer.height('mychannel');
    const u = await net.run(['channel', 'update', '-c', 'mychannel', '-f', file, ...net.ordererFlags]);
    assert.equal(u.code, 0, u.err);
    assert.match(u.err, /Successfully submitted channel update/);
    for (let i = 0; i < 200 && net.peer.height('mychannel') === height; i++)
      await new Promise((r) => setTimeout(r, 10));
    assert.equal(net.peer.height('mychannel'), height + 1);
    // The real Fabric envelope is for another network's channel config: the orderer refuses it.
    const bad = await net.run([
      'channel',
      'update',
      '-c',
      'mychannel',
      '-f',
      fixture.pathname,
      ...net.ordererFlags,
    ]);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /^Error: got unexpected status: BAD_REQUEST -- /);
  });

  it('create broadcasts a creation tx (configtxgen -outputCreateChannelTx): this orderer, like Fabric 2.5 without a system channel, refuses it', async () => {
    const { createChannelCreateTx } = await import('../../core/src/configtx/index.js');
    const { common } = await import('../../../protos/src/index.js');
    const org = net.dev.network.crypto!.peerOrg;
    const env = await createChannelCreateTx('newchannel', {
      consortium: 'SampleConsortium',
      application: { organizations: [{ name: 'Org1MSP', mspId: 'Org1MSP', msp: { config: org.mspConfig } }] },
    });
    const file = join(net.dir, 'newchannel.tx');
    writeFileSync(file, common.Envelope.encode(env));
    const r = await net.run(['channel', 'create', '-c', 'newchannel', '-f', file, ...net.ordererFlags]);
    assert.equal(r.code, 1);
    assert.match(r.err, /^Error: got unexpected status: (NOT_FOUND|BAD_REQUEST|FORBIDDEN) -- /);
    const wrong = await net.run(['channel', 'create', '-c', 'other', '-f', file, ...net.ordererFlags]);
    assert.equal(wrong.err, 'Error: the config update is for channel "newchannel", not "other" (-c)\n');
    const nof = await net.run(['channel', 'create', '-c', 'x', ...net.ordererFlags]);
    assert.equal(nof.err, 'Error: Must supply the channel configuration transaction file (-f)\n');
  });

  it('without the MSP env the error names the variable to set', async () => {
    const r = await net.run(['channel', 'list'], { CORE_PEER_MSPCONFIGPATH: '/no/such/msp' });
    assert.equal(r.code, 1);
    assert.match(r.err, /CORE_PEER_MSPCONFIGPATH/);
    const noTls = await net.run(['channel', 'list'], { CORE_PEER_TLS_ROOTCERT_FILE: '' });
    assert.match(noTls.err, /CORE_PEER_TLS_ROOTCERT_FILE/);
  });
});
