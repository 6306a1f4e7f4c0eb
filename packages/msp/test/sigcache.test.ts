import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { generateKeyPairSync } from 'node:crypto';
import { PrivateKey, setSignatureCacheSize, signatureCacheStats } from '../src/index.js';

function key(): PrivateKey {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return PrivateKey.fromKeyObject(privateKey);
}

test('a signature this process made or verified is not verified again, and a wrong one still fails', () => {
  setSignatureCacheSize(8192);
  const k = key();
  const msg = Buffer.from('proposal bytes');
  const sig = k.sign(msg);
  const before = signatureCacheStats().hits;
  k.publicKey.verify(msg, sig);
  assert.equal(signatureCacheStats().hits, before + 1, 'our own signature is a hit');
  // Another message with the same signature is not in the cache and fails in OpenSSL.
  assert.throws(() => k.publicKey.verify(Buffer.from('other bytes'), sig), /signature is invalid/);
  // The same signature under another key fails too.
  assert.throws(() => key().publicKey.verify(msg, sig), /signature is invalid/);
});

test('size 0 turns the cache off and empties it', () => {
  setSignatureCacheSize(8192);
  const k = key();
  const msg = Buffer.from('x');
  const sig = k.sign(msg);
  setSignatureCacheSize(0);
  assert.equal(signatureCacheStats().size, 0);
  const hits = signatureCacheStats().hits;
  k.publicKey.verify(msg, sig);
  assert.equal(signatureCacheStats().hits, hits);
  setSignatureCacheSize(8192);
});
