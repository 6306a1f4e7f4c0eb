import { test } from 'node:test';
import assert from 'node:assert/strict';
import { placeholder } from '@fabric-peer/protos';

test('protos resolves to source', () => {
  assert.equal(placeholder, true);
});
