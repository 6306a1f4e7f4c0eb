// `fabric-peer node start|status|pause|resume|rollback|rebuild-dbs|reset|unjoin` with a core.yaml
// (FABRIC_CFG_PATH): start serves until told to stop; the offline commands refuse to run while it
// does and act on its ledgers after.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildAnchorUpdate } from './anchor.js';
import { main } from 'fabric-peer';
import { LAYOUT } from '../../core/src/devnet/index.js';
import { capture, startNet, type Net } from './harness.js';

describe('fabric-peer node', () => {
  let net: Net;
  let cfg: string;
  let env: Record<string, string>;
  before(async () => {
    net = await startNet();
    cfg = join(net.dir, 'config2');
    mkdirSync(cfg);
    writeFileSync(
      join(cfg, 'core.yaml'),
      [
        'peer:',
        '  id: peer1.org1.example.com',
        '  listenAddress: 127.0.0.1:0',
        '  chaincodeListenAddress: 127.0.0.1:0',
        '  localMspId: Org1MSP',
        `  mspConfigPath: ${join(net.dir, LAYOUT.peerNode, 'msp')}`,
        `  fileSystemPath: ${join(net.dir, 'peer1')}`,
        '  tls:',
        '    enabled: true',
        `    cert: { file: ${join(net.dir, LAYOUT.peerNode, 'tls', 'server.crt')} }`,
        `    key: { file: ${join(net.dir, LAYOUT.peerNode, 'tls', 'server.key')} }`,
        `    rootcert: { file: ${join(net.dir, LAYOUT.peerNode, 'tls', 'ca.crt')} }`,
        `    clientRootCAs: { files: [${join(net.dir, LAYOUT.peerNode, 'tls', 'ca.crt')}] }`,
        'operations:',
        '  listenAddress: 127.0.0.1:0',
        'metrics:',
        '  provider: disabled',
        '',
      ].join('\n'),
    );
    env = {
      FABRIC_CFG_PATH: cfg,
      FABRIC_LOGGING_SPEC: 'error',
      CORE_PEER_LOCALMSPID: 'Org1MSP',
      CORE_PEER_MSPCONFIGPATH: net.env.CORE_PEER_MSPCONFIGPATH!,
    };
  });
  after(async () => {
    await net?.stop();
  });

  const run = async (argv: string[], extra: Record<string, string> = {}) => {
    const io = capture();
    const code = await main(argv, io, { env: { ...env, ...extra }, cwd: net.dir });
    return { code, out: io.out, err: io.err };
  };

  it('start serves from core.yaml until stopped; status, join and the offline refusal meanwhile', async () => {
    let stop!: (s: string) => void;
    const io = capture();
    const started = main(['node', 'start'], io, {
      env,
      cwd: net.dir,
      stopSignal: new Promise((r) => (stop = r)),
    });
    let address = '';
    for (let i = 0; i < 500 && address === ''; i++) {
      address = /serving at (\S+)/.exec(io.out)?.[1] ?? '';
      await new Promise((r) => setTimeout(r, 10));
    }
    try {
      await whileRunning(address);
    } finally {
      stop('SIGTERM');
    }
    assert.equal(await started, 0, io.err);
    const down = await run(['node', 'status'], { CORE_PEER_ADDRESS: address });
    assert.equal(down.code, 1);
    assert.match(down.err, /failed to connect to peer/);
  });

  async function whileRunning(address: string): Promise<void> {
    assert.notEqual(address, '');
    const peerEnv = { CORE_PEER_ADDRESS: address };
    const st = await run(['node', 'status'], peerEnv);
    assert.equal(st.code, 0, st.err);
    assert.equal(st.out, 'status:STARTED\n');
    const joined = await run(['channel', 'join', '-b', net.genesisFile], peerEnv);
    assert.equal(joined.code, 0, joined.err);
    // A second block (an anchor peer update through the orderer) so that rollback has something to undo.
    const tx = join(net.dir, 'anchors.tx');
    writeFileSync(tx, await buildAnchorUpdate(net));
    const up = await run(['channel', 'update', '-c', 'mychannel', '-f', tx, ...net.ordererFlags], net.env);
    assert.equal(up.code, 0, up.err);
    let info = '';
    for (let i = 0; i < 300 && !info.includes('"height":2'); i++) {
      info = (await run(['channel', 'getinfo', '-c', 'mychannel'], peerEnv)).out;
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.match(info, /"height":2/);
    const busy = await run(['node', 'pause', '-c', 'mychannel']);
    assert.equal(busy.code, 1);
    assert.match(busy.err, /^Error: the ledger folder .* is in use: a peer is running on it\. Stop the peer/);
  }

  it('rollback, pause, resume, rebuild-dbs, reset, unjoin act on the stopped peer’s ledgers', async () => {
    for (const argv of [
      ['node', 'rollback', '-c', 'mychannel', '-b', '0'],
      ['node', 'pause', '-c', 'mychannel'],
      ['node', 'resume', '-c', 'mychannel'],
      ['node', 'rebuild-dbs'],
      ['node', 'reset'],
      ['node', 'unjoin', '-c', 'mychannel'],
    ]) {
      const r = await run(argv);
      assert.equal(r.code, 0, `${argv.join(' ')}: ${r.err}`);
    }
    const gone = await run(['node', 'unjoin', '-c', 'mychannel']);
    assert.equal(gone.code, 1);
    assert.equal(gone.err, 'Error: ledger [mychannel] does not exist\n');
  });

  it('rollback needs -c and -b and a block below the last one', async () => {
    assert.equal((await run(['node', 'rollback', '-b', '1'])).err, 'Error: Must supply channel ID (-c)\n');
    assert.equal(
      (await run(['node', 'rollback', '-c', 'mychannel'])).err,
      'Error: Must supply block number (-b)\n',
    );
    const r = await run(['node', 'rollback', '-c', 'mychannel', '-b', '0']);
    assert.equal(r.code, 1);
    assert.match(r.err, /^Error: ledger \[mychannel\] does not exist/);
  });

  it('offline commands on a folder with no ledgers say which setting to check', async () => {
    const r = await run(['node', 'reset'], { CORE_PEER_FILESYSTEMPATH: join(net.dir, 'nowhere') });
    assert.equal(r.code, 1);
    assert.match(r.err, /CORE_PEER_FILESYSTEMPATH/);
  });

  it('node --help lists the sub-commands; start with a missing FABRIC_CFG_PATH folder fails', async () => {
    const h = await run(['node', '--help']);
    for (const c of ['start', 'status', 'reset', 'rollback', 'rebuild-dbs', 'pause', 'resume', 'unjoin'])
      assert.match(h.out, new RegExp(`\\b${c}\\b`));
    const r = await run(['node', 'start'], { FABRIC_CFG_PATH: join(net.dir, 'nope') });
    assert.equal(r.code, 1);
    assert.match(r.err, /^Error: /);
  });
});
