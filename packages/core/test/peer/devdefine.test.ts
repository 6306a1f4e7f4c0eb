// The Jest story: createPeer({}, { chaincodes }) in the dev network defines each in-process chaincode
// during start(), so it answers proposals right after `await peer.start()`; `define: false` opts out,
// and a persisted dev network started again does not define twice. Requests use the peer's own codecs
// (own-codec.ts): this file runs fabric-shim in process, so @hyperledger/fabric-protos must stay out.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PrivateKey, SigningIdentity } from '@fabric-peer/msp';
import { createPeer, LoggingSystem, type Peer } from '../../src/index.js';
import { clientCredentials } from '../../src/server/index.js';
import { AssetContract } from '../gateway/contract.js';
import { ownEndorser, ownSignedProposal } from './own-codec.js';

/** A logging system whose lines the test can read (info and up, the user's default view). */
function capturedLogging(): { logging: LoggingSystem; lines: string[] } {
  const lines: string[] = [];
  const writer = { write: (s: string) => (lines.push(s), true) };
  return { logging: new LoggingSystem({ spec: 'info', writer }), lines };
}

const chaincodes = {
  assets: { contracts: [AssetContract] },
  manual: { contracts: [AssetContract], define: false },
};

/** User1 of the dev network calls `chaincode` with `args` through the peer's Endorser over TLS. */
async function call(
  peer: Peer,
  chaincode: string,
  args: string[],
): Promise<{ status: number; message: string }> {
  const dev = peer.devNetwork!;
  const user = SigningIdentity.from(
    dev.peer.localMsp.identityFromCertificate(dev.user.certificate),
    PrivateKey.fromPem(dev.user.privateKey),
    'sha256',
  );
  const { tlsCACerts } = Object.values(dev.connectionProfile.peers)[0]!;
  const endorser = ownEndorser(peer.address, clientCredentials({ rootCerts: [tlsCACerts.pem] }));
  try {
    const r = await endorser.call(ownSignedProposal(dev.channelId, chaincode, args, user));
    return { status: r.response?.status ?? 0, message: r.response?.message ?? '' };
  } finally {
    endorser.close();
  }
}

describe('createPeer dev network: in-process chaincode defined at start', () => {
  it('is invocable right after start(), unless define: false', async () => {
    const { logging, lines } = capturedLogging();
    const peer = await createPeer({}, { inMemory: true, logging, chaincodes });
    try {
      await peer.start();
      const channel = peer.devNetwork!.channelId;
      // Genesis, the approval block, the commit block.
      assert.equal(peer.height(channel), 3);

      const put = await call(peer, 'assets', ['put', 'k1', 'v1']);
      assert.equal(put.status, 200, put.message);
      const manual = await call(peer, 'manual', ['put', 'k1', 'v1']);
      assert.equal(manual.status, 500);
      assert.match(manual.message, /manual/);

      const defined = lines.find((l) => l.includes('defined in-process chaincode on the dev channel'));
      assert.ok(defined, 'start() logs the definition');
      assert.match(defined, /assets/);
      assert.doesNotMatch(defined, /manual/);
      // The in-memory dev network hands its TLS pair over as PEMs: no file is looked for.
      assert.equal(
        lines.some((l) => l.includes('without a TLS client certificate')),
        false,
        lines.join(''),
      );
    } finally {
      await peer.stop();
    }
  });

  it('with pullBlocks: false nothing could commit, so nothing is defined (and start() says so)', async () => {
    const { logging, lines } = capturedLogging();
    const peer = await createPeer({}, { inMemory: true, pullBlocks: false, logging, chaincodes });
    try {
      await peer.start();
      assert.equal(peer.height(peer.devNetwork!.channelId), 1);
      assert.ok(lines.some((l) => l.includes('pullBlocks is false') && l.includes('assets')));
    } finally {
      await peer.stop();
    }
  });

  it('a persisted dev network started again keeps the definition and does not define twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fabric-peer-devdefine-'));
    try {
      const first = await createPeer({}, { baseDir: dir, logging: capturedLogging().logging, chaincodes });
      await first.start();
      const channel = first.devNetwork!.channelId;
      assert.equal(first.height(channel), 3);
      await first.stop();

      const { logging, lines } = capturedLogging();
      const again = await createPeer({}, { baseDir: dir, logging, chaincodes });
      try {
        await again.start();
        assert.equal(again.height(channel), 3, 'no new lifecycle transactions');
        assert.equal(
          lines.some((l) => l.includes('defined in-process chaincode')),
          false,
        );
        const put = await call(again, 'assets', ['put', 'k2', 'v2']);
        assert.equal(put.status, 200, put.message);
      } finally {
        await again.stop();
      }

      // A chaincode added later is defined on the next start; the others stay as they are.
      const added = capturedLogging();
      const third = await createPeer(
        {},
        {
          baseDir: dir,
          logging: added.logging,
          chaincodes: { ...chaincodes, more: { contracts: [AssetContract] } },
        },
      );
      try {
        await third.start();
        assert.equal(third.height(channel), 5);
        const defined = added.lines.find((l) => l.includes('defined in-process chaincode'));
        assert.match(defined ?? '', /"chaincodes":"more"/);
        assert.equal((await call(third, 'more', ['put', 'k3', 'v3'])).status, 200);
      } finally {
        await third.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
