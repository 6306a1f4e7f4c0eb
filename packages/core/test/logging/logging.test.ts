import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FabricPeerError } from '../../src/errors/index.js';
import { LoggingSystem, levelFor, parseLogSpec } from '../../src/logging/index.js';

function capture(): { lines: string[]; write(chunk: string): void } {
  const lines: string[] = [];
  return { lines, write: (chunk: string) => void lines.push(...chunk.split('\n').filter((l) => l !== '')) };
}

// 2026-11-24 06:05:07.042 in the process's zone; assertions below use the zone-free parts.
const fixedClock = (): Date => new Date(2026, 10, 24, 6, 5, 7, 42);

describe('FABRIC_LOGGING_SPEC', () => {
  it('parses the default level and per-logger levels, and prints the canonical form', () => {
    const spec = parseLogSpec('info:ledger,gossip=debug:grpc=warn');
    assert.equal(spec.defaultLevel, 'info');
    assert.equal(levelFor(spec, 'ledger'), 'debug');
    assert.equal(levelFor(spec, 'ledger.blkstorage'), 'debug');
    assert.equal(levelFor(spec, 'ledgerx'), 'info');
    assert.equal(levelFor(spec, 'grpc.server'), 'warn');
    assert.equal(levelFor(spec, 'peer'), 'info');
    const system = new LoggingSystem({ spec: 'info:ledger,gossip=debug:grpc=warn', writer: capture() });
    assert.equal(system.spec(), 'gossip=debug:grpc=warn:ledger=debug:info');
  });

  it('accepts levels in any case and Fabric aliases', () => {
    assert.equal(parseLogSpec('WARNING').defaultLevel, 'warn');
    assert.equal(parseLogSpec('Debug').defaultLevel, 'debug');
    assert.equal(levelFor(parseLogSpec('peer=CRITICAL'), 'peer'), 'dpanic');
    assert.equal(parseLogSpec('fatal').defaultLevel, 'fatal');
    assert.equal(parseLogSpec('').defaultLevel, 'info');
    assert.equal(parseLogSpec('debug:').defaultLevel, 'info', "Fabric's empty segment means info");
  });

  it('a trailing dot names one logger, not its children', () => {
    const spec = parseLogSpec('warn:ledger.=debug');
    assert.equal(levelFor(spec, 'ledger'), 'debug');
    assert.equal(levelFor(spec, 'ledger.blkstorage'), 'warn');
  });

  it('rejects bad specs with a typed error', () => {
    // Fabric's own cases (flogging loggerlevels_test.go), same messages.
    const fabricCases: [string, string][] = [
      ['=INFO:DEBUG', "invalid logging specification '=INFO:DEBUG': no logger specified in segment '=INFO'"],
      ['=INFO=:DEBUG', "invalid logging specification '=INFO=:DEBUG': bad segment '=INFO='"],
      ['bogus', "invalid logging specification 'bogus': bad segment 'bogus'"],
      ['a*=info:debug', "invalid logging specification 'a*=info:debug': bad logger name 'a*'"],
      ['.a=info:debug', "invalid logging specification '.a=info:debug': bad logger name '.a'"],
    ];
    for (const [spec, message] of fabricCases) assert.throws(() => parseLogSpec(spec), { message });
    for (const bad of ['verbose', 'a=b=c', '=debug', 'ledger=loud', 'bad name=info', 'a=']) {
      assert.throws(
        () => parseLogSpec(bad),
        (err: unknown) => FabricPeerError.is(err) && err.code === 'LOGGING_INVALID_SPEC',
        bad,
      );
    }
  });
});

describe('LoggingSystem', () => {
  it('writes Fabric default format lines without colour on a non-TTY', () => {
    const out = capture();
    const system = new LoggingSystem({ writer: out, now: fixedClock });
    function serve(): void {
      system.getLogger('nodeCmd').info('Starting peer');
    }
    serve();
    assert.equal(out.lines.length, 1);
    assert.match(
      out.lines[0] ?? '',
      /^2026-11-24 06:05:07\.042 \S+ 0001 INFO \[nodeCmd\] serve -> Starting peer$/,
    );
    assert.equal((out.lines[0] ?? '').includes('\x1b'), false);
  });

  it('colours by level when asked and renders channel/txID as a prefix', () => {
    const out = capture();
    const system = new LoggingSystem({
      writer: out,
      color: true,
      format: '%{color}%{level}%{color:reset} %{message}',
    });
    system.getLogger('kvledger').warn('Committed block [5]', {
      channel: 'mychannel',
      txID: '7e1505a3403f9cf7aaaa',
      blockNum: 5,
    });
    assert.equal(
      out.lines[0],
      '\x1b[33mWARN\x1b[0m [mychannel][7e1505a3] Committed block [5] {"blockNum":5}',
    );
  });

  it('writes json records with all context fields', () => {
    const out = capture();
    const system = new LoggingSystem({ writer: out, format: 'json', now: fixedClock });
    system
      .getLogger('endorser')
      .with({ channel: 'mychannel' })
      .error('failed', { txID: 'abc' }, new Error('boom'));
    const record = JSON.parse(out.lines[0] ?? '') as Record<string, unknown>;
    assert.deepEqual(record, {
      level: 'error',
      ts: fixedClock().getTime() / 1000,
      name: 'endorser',
      msg: 'failed',
      channel: 'mychannel',
      txID: 'abc',
      error: 'boom',
    });
  });

  it('changes levels at runtime: activateSpec, setModuleLevel, revertLevels', () => {
    const out = capture();
    const system = new LoggingSystem({ spec: 'warn', writer: out, format: '%{module} %{level} %{message}' });
    const ledger = system.getLogger('ledger.blkstorage');
    ledger.info('hidden');
    system.activateSpec('warn:ledger=debug');
    ledger.debug('shown');
    assert.equal(system.moduleLevel('ledger.blkstorage'), 'debug');
    system.setModuleLevel('ledger.blkstorage', 'error');
    ledger.warn('hidden again');
    assert.equal(system.moduleLevel('ledger'), 'debug');
    assert.equal(system.spec(), 'ledger.blkstorage=error:ledger=debug:warn');
    system.revertLevels();
    assert.equal(system.spec(), 'warn');
    assert.throws(() => system.activateSpec('ledger=nope'), /invalid logging specification/);
    assert.equal(system.spec(), 'warn');
    assert.throws(() => system.setModuleLevel('ledger', 'nope'), /invalid log level: nope/);
    assert.deepEqual(out.lines, ['ledger.blkstorage DEBUG shown']);
  });

  it('a disabled level does not format or write', () => {
    let writes = 0;
    const system = new LoggingSystem({ spec: 'error', writer: { write: () => writes++ } });
    const logger = system.getLogger('peer');
    const context = {
      get channel(): string {
        throw new Error('context must not be read');
      },
    };
    for (let i = 0; i < 1000; i++) logger.debug('x', context);
    assert.equal(writes, 0);
    assert.equal(logger.isEnabledFor('error'), true);
  });

  it('reads FABRIC_LOGGING_SPEC and FABRIC_LOGGING_FORMAT', () => {
    const out = capture();
    const system = LoggingSystem.fromEnv(
      { FABRIC_LOGGING_SPEC: 'debug', FABRIC_LOGGING_FORMAT: 'logfmt' },
      out,
    );
    system.getLogger('gossip.comm').debug('hello world', { peers: 2 });
    assert.match(out.lines[0] ?? '', /^ts=[\d.]+ level=debug name=gossip\.comm msg="hello world" peers=2$/);
  });

  it('rejects unknown format verbs', () => {
    assert.throws(() => new LoggingSystem({ format: '%{nope} %{message}' }), /unknown verb 'nope'/);
    assert.throws(() => new LoggingSystem({ format: '%{level:q}' }), /unsupported verb/);
    assert.throws(() => new LoggingSystem().getLogger('bad name'), /invalid logger name: bad name/);
  });
});
