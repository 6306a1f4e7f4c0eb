// `fabric-peer chaincode invoke|query`: argument parsing and the failures a peer gives for a
// chaincode it does not have (the success path runs in deploy.test.ts once _lifecycle is served).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { main } from 'fabric-peer';
import { capture, startNet, type Net } from './harness.js';

describe('fabric-peer chaincode', () => {
  let net: Net;
  before(async () => {
    net = await startNet();
    const j = await net.run(['channel', 'join', '-b', net.genesisFile]);
    assert.equal(j.code, 0, j.err);
  });
  after(async () => {
    await net?.stop();
  });

  it('query of an undefined chaincode fails as "endorsement failure during query"', async () => {
    const r = await net.run([
      'chaincode',
      'query',
      '-C',
      'mychannel',
      '-n',
      'basic',
      '-c',
      '{"Args":["GetAllAssets"]}',
    ]);
    assert.equal(r.code, 1);
    assert.match(r.err, /^Error: endorsement failure during query\. response: status:500 message:".*"\n$/);
  });

  it('invoke without -o takes the orderer from the channel config, then fails the endorsement', async () => {
    const r = await net.run([
      'chaincode',
      'invoke',
      '-C',
      'mychannel',
      '-n',
      'basic',
      '-c',
      '{"function":"InitLedger","Args":[]}',
      '--tls',
      '--cafile',
      net.ordererFlags[6]!,
      '--waitForEvent',
    ]);
    assert.equal(r.code, 1);
    assert.match(
      r.err,
      new RegExp(
        `Retrieved channel \\(mychannel\\) orderer endpoint: ${net.dev.orderer.address.replace(/\./g, '\\.')}`,
      ),
    );
    assert.match(r.err, /Error: endorsement failure during invoke\. response: status:500 message:/);
  });

  it('progress shows on a terminal and stays quiet when piped', async () => {
    const argv = [
      'chaincode',
      'invoke',
      '-C',
      'mychannel',
      '-n',
      'basic',
      '-c',
      '{"Args":[]}',
      ...net.ordererFlags,
      '--waitForEvent',
    ];
    const tty = capture();
    tty.isTTY = true;
    await main(argv, tty, { env: net.env, cwd: net.dir });
    assert.match(tty.err, /Waiting up to 30s for the transaction to commit on 1 peer\(s\)/);
    const piped = await net.run(argv);
    assert.doesNotMatch(piped.err, /Waiting up to/);
  });

  it('bad -c JSON, bad --transient, missing -n/-C and mismatched --peerAddresses are refused before any call', async () => {
    const base = ['chaincode', 'query', '-C', 'mychannel', '-n', 'basic'];
    assert.match((await net.run([...base, '-c', '{"Args":'])).err, /chaincode argument error/);
    assert.match((await net.run([...base, '-c', '{"Args":[1]}'])).err, /"Args" must be an array of strings/);
    assert.match((await net.run([...base, '-c', '{}', '--transient', '{"k":"%%%"}'])).err, /not base64/);
    assert.match(
      (await net.run(['chaincode', 'query', '-C', 'mychannel', '-c', '{}'])).err,
      /chaincode name/,
    );
    assert.match(
      (await net.run(['chaincode', 'query', '-n', 'x', '-c', '{}'])).err,
      /Rerun the command with -C flag/,
    );
    const mism = await net.run([
      ...base,
      '-c',
      '{}',
      '--peerAddresses',
      net.peer.address,
      '--peerAddresses',
      net.peer.address,
      '--tlsRootCertFiles',
      net.env.CORE_PEER_TLS_ROOTCERT_FILE!,
    ]);
    assert.match(
      mism.err,
      /number of peer addresses \(2\) does not match the number of TLS root cert files \(1\)/,
    );
    const profile = await net.run([...base, '-c', '{}', '--connectionProfile', 'profile.yaml']);
    assert.equal(profile.code, 1);
    assert.match(
      profile.err,
      /--connectionProfile is not supported by fabric-peer yet: name the peers with --peerAddresses/,
    );
  });

  it('legacy package/signpackage are refused with what to use; list needs --installed or --instantiated', async () => {
    const r = await net.run(['chaincode', 'package', 'x.pak']);
    assert.equal(r.code, 1);
    assert.match(r.err, /not supported by fabric-peer: use "fabric-peer chaincode install/);
    const l = await net.run(['chaincode', 'list']);
    assert.equal(l.err, 'Error: must explicitly specify "--installed" or "--instantiated"\n');
  });

  it('legacy install/list/instantiate go to lscc', async () => {
    const { cpSync } = await import('node:fs');
    const { join } = await import('node:path');
    cpSync(
      new URL('../../../test/fixtures/fabric-2.5.12/chaincode/src', import.meta.url).pathname,
      join(net.dir, 'legacy'),
      { recursive: true },
    );
    const r = await net.run([
      'chaincode',
      'install',
      '-n',
      'asset',
      '-v',
      '1.0',
      '-p',
      'legacy',
      '-l',
      'node',
    ]);
    assert.equal(r.code, 0, r.err);
    const inst = await net.run([
      'chaincode',
      'instantiate',
      '-C',
      'mychannel',
      '-n',
      'asset',
      '-v',
      '1.0',
      '-c',
      '{"Args":[]}',
      '-P',
      "OR('Org1MSP.member')",
      ...net.ordererFlags,
    ]);
    // Fabric 2.x refuses lscc deploy on a channel with V2_0 application capabilities; so does this peer.
    assert.equal(inst.code, 1);
    assert.match(inst.err, /has been migrated to the new lifecycle, LSCC is now read-only/);
    const none = await net.run(['chaincode', 'list', '--instantiated', '-C', 'mychannel']);
    assert.equal(none.code, 0, none.err);
    assert.equal(none.out, 'Get instantiated chaincodes on channel mychannel:\n');
    const l = await net.run(['chaincode', 'list', '--installed']);
    assert.match(
      l.out,
      /^Get installed chaincodes on peer:\nName: asset, Version: 1\.0, Path: legacy, Id: [0-9a-f]+\n$/,
    );
  });
});
