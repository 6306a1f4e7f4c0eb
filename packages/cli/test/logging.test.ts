// `fabric-peer logging ...` through the peer's Admin service, as Org1's admin; a client identity is refused.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { LAYOUT } from '../../core/src/devnet/index.js';
import { startNet, type Net } from './harness.js';

describe('fabric-peer logging', () => {
  let net: Net;
  before(async () => {
    net = await startNet();
  });
  after(async () => {
    await net?.stop();
  });

  it('getlevel, setlevel, revertlevels, getlogspec, setlogspec', async () => {
    const g = await net.run(['logging', 'getlevel', 'gossip']);
    assert.equal(g.code, 0, g.err);
    assert.match(g.err, /Current log level for logger 'gossip': ERROR/);
    const s = await net.run(['logging', 'setlevel', 'gossip', 'debug']);
    assert.equal(s.code, 0, s.err);
    assert.match((await net.run(['logging', 'getlevel', 'gossip'])).err, /'gossip': DEBUG/);
    assert.equal((await net.run(['logging', 'revertlevels'])).code, 0);
    assert.match((await net.run(['logging', 'getlevel', 'gossip'])).err, /'gossip': ERROR/);
    assert.match((await net.run(['logging', 'getlogspec'])).err, /Current logging spec: error/);
    assert.equal((await net.run(['logging', 'setlogspec', 'info:gossip=warn'])).code, 0);
    assert.match((await net.run(['logging', 'getlogspec'])).err, /Current logging spec: gossip=warn:info/);
  });

  it('a bad level, a missing argument or a non-admin caller fails with exit 1', async () => {
    const bad = await net.run(['logging', 'setlevel', 'gossip', 'loud']);
    assert.equal(bad.code, 1);
    assert.equal(bad.err, 'Error: invalid log level provided - loud\n');
    const missing = await net.run(['logging', 'getlevel']);
    assert.equal(missing.code, 1);
    const user = await net.run(['logging', 'getlevel', 'gossip'], {
      CORE_PEER_MSPCONFIGPATH: join(net.dir, LAYOUT.user, 'msp'),
    });
    assert.equal(user.code, 1);
    assert.match(user.err, /access denied/);
  });
});
