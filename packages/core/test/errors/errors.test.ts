import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ConfigError,
  ERRORS,
  FabricPeerError,
  type ErrorDescriptor,
  formatErrorMessage,
} from '../../src/errors/index.js';

describe('FabricPeerError', () => {
  it('builds its message from the catalogue and carries code, status and details', () => {
    const err = new FabricPeerError(
      ERRORS.GENERAL.INTERNAL,
      { reason: 'disk full' },
      { channel: 'mychannel', txId: 'abc', cause: new Error('ENOSPC') },
    );
    assert.equal(err.message, 'internal error: disk full');
    assert.equal(err.code, 'GENERAL_INTERNAL');
    assert.equal(err.name, 'FabricPeerError');
    assert.equal(err.status, 500);
    assert.equal(err.grpcCode, 13);
    assert.equal(err.channel, 'mychannel');
    assert.equal((err.cause as Error).message, 'ENOSPC');
    assert.deepEqual(err.getMetadata(), {
      code: 'GENERAL_INTERNAL',
      reason: 'disk full',
      channel: 'mychannel',
      txId: 'abc',
      status: 500,
      grpcCode: 13,
    });
    assert.ok(FabricPeerError.is(err, ERRORS.GENERAL.INTERNAL));
    assert.ok(!FabricPeerError.is(err, ERRORS.GENERAL.NOT_IMPLEMENTED));
    assert.ok(!FabricPeerError.is(new Error('x')));
  });

  it('lets details override the descriptor status', () => {
    const err = new FabricPeerError(ERRORS.GENERAL.INTERNAL, { reason: 'x' }, { status: 403 });
    assert.equal(err.status, 403);
    assert.equal('txId' in err, false, 'unknown details are not set at all');
  });

  it('ConfigError names the key', () => {
    const err = ConfigError.invalidValue('peer.listenAddress', 'host:port', 'abc');
    assert.ok(err instanceof FabricPeerError);
    assert.equal(err.name, 'ConfigError');
    assert.equal(err.key, 'peer.listenAddress');
    assert.equal(err.message, 'peer.listenAddress: expected host:port, got "abc"');
  });

  it('has unique codes across the catalogue', () => {
    const codes = Object.values(ERRORS).flatMap((section) =>
      Object.values(section as Record<string, ErrorDescriptor>).map((d) => d.code),
    );
    assert.equal(new Set(codes).size, codes.length);
  });

  it('keeps unknown placeholders visible', () => {
    assert.equal(formatErrorMessage('{a} and {b}', { a: 1 }), '1 and {b}');
  });
});
