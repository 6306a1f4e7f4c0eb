// Mutual TLS: a peer with peer.tls.clientAuthRequired takes the CLI with CORE_PEER_TLS_CLIENTAUTHREQUIRED
// and the client certificate; Deliver (channel fetch) checks the TLS certificate hash bound in the request.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from 'fabric-peer';
import { LAYOUT } from '../../core/src/devnet/index.js';
import { capture, startNet, type Net } from './harness.js';

describe('fabric-peer with mutual TLS', () => {
  let net: Net;
  let stop!: (s: string) => void;
  let started: Promise<number>;
  let env: Record<string, string>;
  before(async () => {
    net = await startNet();
    const cfg = join(net.dir, 'mtls');
    mkdirSync(cfg);
    const tls = (f: string): string => join(net.dir, LAYOUT.peerNode, 'tls', f);
    writeFileSync(
      join(cfg, 'core.yaml'),
      [
        'peer:',
        '  id: peer2.org1.example.com',
        '  listenAddress: 127.0.0.1:0',
        '  chaincodeListenAddress: 127.0.0.1:0',
        '  localMspId: Org1MSP',
        `  mspConfigPath: ${join(net.dir, LAYOUT.peerNode, 'msp')}`,
        `  fileSystemPath: ${join(net.dir, 'peer2')}`,
        '  tls:',
        '    enabled: true',
        '    clientAuthRequired: true',
        `    cert: { file: ${tls('server.crt')} }`,
        `    key: { file: ${tls('server.key')} }`,
        `    rootcert: { file: ${tls('ca.crt')} }`,
        `    clientRootCAs: { files: [${tls('ca.crt')}] }`,
        'operations:',
        '  listenAddress: 127.0.0.1:0',
        'metrics:',
        '  provider: disabled',
        '',
      ].join('\n'),
    );
    env = { FABRIC_CFG_PATH: cfg, FABRIC_LOGGING_SPEC: 'error', ...net.env };
    delete env.CORE_PEER_ADDRESS;
    const io = capture();
    started = main(['node', 'start'], io, { env, cwd: net.dir, stopSignal: new Promise((r) => (stop = r)) });
    let address = '';
    for (let i = 0; i < 500 && address === ''; i++) {
      address = /serving at (\S+)/.exec(io.out)?.[1] ?? '';
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.notEqual(address, '', io.err);
    env.CORE_PEER_ADDRESS = address;
  });
  after(async () => {
    stop?.('SIGTERM');
    await started;
    await net?.stop();
  });

  const run = async (argv: string[], extra: Record<string, string> = {}) => {
    const io = capture();
    const code = await main(argv, io, { env: { ...env, ...extra }, cwd: net.dir });
    return { code, out: io.out, err: io.err };
  };
  const admin = (f: string): string => join(net.dir, LAYOUT.admin, 'tls', f);

  it('with the client certificate: join, list and fetch (TLS cert hash bound) work', async () => {
    const client = {
      CORE_PEER_TLS_CLIENTAUTHREQUIRED: 'true',
      CORE_PEER_TLS_CLIENTCERT_FILE: admin('client.crt'),
      CORE_PEER_TLS_CLIENTKEY_FILE: admin('client.key'),
    };
    const j = await run(['channel', 'join', '-b', net.genesisFile], client);
    assert.equal(j.code, 0, j.err);
    assert.equal((await run(['channel', 'list'], client)).out, 'Channels peers has joined: \nmychannel\n');
    const f = await run(['channel', 'fetch', 'oldest', '-c', 'mychannel'], client);
    assert.equal(f.code, 0, f.err);
  });

  it('without it the call fails; with CLIENTAUTHREQUIRED but no files the error names them', async () => {
    const r = await run(['channel', 'list']);
    assert.equal(r.code, 1);
    const m = await run(['channel', 'list'], { CORE_PEER_TLS_CLIENTAUTHREQUIRED: 'true' });
    assert.equal(m.code, 1);
    assert.match(m.err, /CORE_PEER_TLS_CLIENTCERT_FILE and CORE_PEER_TLS_CLIENTKEY_FILE/);
  });
});
