import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main, type CliIO } from 'fabric-peer';

function capture(): CliIO & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (t: string) => {
      io.out += t;
    },
    stderr: (t: string) => {
      io.err += t;
    },
  };
  return io;
}

test('version prints the Go peer layout with the Node version', async () => {
  const io = capture();
  assert.equal(await main(['version'], io), 0);
  assert.match(io.out, /^fabric-peer:\n Version: \d+\.\d+\.\d+\n Commit SHA: .+\n Node version: v\d+/);
  assert.match(io.out, / OS\/Arch: \w+\/\w+/);
});

test('an unknown command fails with "Error:" and exit code 1, as the Go peer does', async () => {
  const io = capture();
  assert.equal(await main(['nosuch'], io), 1);
  assert.equal(io.err, 'Error: unknown command "nosuch" for "fabric-peer"\n');
  const io2 = capture();
  assert.equal(await main(['node', 'nosuch'], io2), 1);
  assert.match(io2.err, /unknown command "nosuch" for "fabric-peer node"/);
});

test('help lists the command groups', async () => {
  const io = capture();
  assert.equal(await main(['--help'], io), 0);
  assert.match(io.out, /node\s+Operate a peer node/);
  assert.match(io.out, /version\s+Print fabric-peer version/);
});

test('--help works on every group and command, and lists the Go flags', async () => {
  const cases: [string[], RegExp][] = [
    [['channel', '--help'], /fetch <newest\|oldest\|config\|number>/],
    [['channel', 'fetch', '--help'], /--ordererTLSHostnameOverride/],
    [['channel', 'join', '--help'], /-b, --blockpath/],
    [['chaincode', 'invoke', '--help'], /--waitForEvent/],
    [['chaincode', 'query', '--help'], /--peerAddresses/],
    [['lifecycle', 'chaincode', 'approveformyorg', '--help'], /--signature-policy/],
    [['lifecycle', 'chaincode', 'querycommitted', '--help'], /-O, --output/],
    [['logging', '--help'], /setlevel <logger> <level>/],
    [['node', 'rollback', '--help'], /-b, --blockNumber/],
    [['node', 'start', '--help'], /--peer-chaincodedev/],
  ];
  for (const [argv, re] of cases) {
    const io = capture();
    assert.equal(await main(argv, io, { env: {} }), 0, argv.join(' '));
    assert.match(io.out, re, argv.join(' '));
  }
});

test('the hidden --logging-level is accepted on any command', async () => {
  const io = capture();
  assert.equal(await main(['--logging-level', 'debug', 'version'], io), 0);
  assert.match(io.out, /^fabric-peer:/);
});

test('snapshot says plainly that this peer has no snapshot service', async () => {
  const io = capture();
  assert.equal(await main(['snapshot', 'submitrequest', '-c', 'mychannel'], io, { env: {} }), 1);
  assert.match(
    io.err,
    /^Error: "peer snapshot" needs the peer's snapshot service, which fabric-peer does not have yet/,
  );
});

test('flags are read as typed: versions stay strings, booleans take =true/=false as pflag', async () => {
  const { flagOn, rawValue, rawValues } = await import('../src/program.js');
  const argv = [
    '-v',
    '1.0',
    '--sequence=2',
    '--peerAddresses',
    'a:1',
    '--peerAddresses',
    'b:2',
    '--tls=true',
    '--waitForEvent=false',
  ];
  assert.equal(rawValue(argv, '', '-v', '--version'), '1.0');
  assert.equal(rawValue(argv, '', '--sequence'), '2');
  assert.deepEqual(rawValues(argv, '--peerAddresses'), ['a:1', 'b:2']);
  assert.equal(flagOn(argv, '--tls'), true);
  assert.equal(flagOn(argv, '--waitForEvent'), false);
  assert.equal(flagOn(['--isInit'], '--isInit', '-I'), true);
});

test('an unknown flag fails as pflag words it', async () => {
  const io = capture();
  assert.equal(await main(['channel', 'list', '--nosuch'], io, { env: {} }), 1);
  assert.equal(io.err, 'Error: unknown flag: --nosuch\n');
  const io2 = capture();
  assert.equal(await main(['channel', 'list', '-z'], io2, { env: {} }), 1);
  assert.equal(io2.err, "Error: unknown shorthand flag: 'z' in -z\n");
});
