import assert from 'node:assert/strict';
import { it } from 'node:test';
import { lifecycleV20 } from '../../src/lifecycle/index.js';

it('lifecycleV20: V2_0, or V2_5 alone (Fabric 2.5 test-network channels carry only V2_5), as Fabric decides', () => {
  assert.equal(lifecycleV20({ application: ['V2_0'] }), true);
  assert.equal(lifecycleV20({ application: ['V2_5'] }), true);
  assert.equal(lifecycleV20({ application: ['V1_4_2', 'V2_5'] }), true);
  assert.equal(lifecycleV20({ application: ['V1_4_2'] }), false);
  assert.equal(lifecycleV20({ application: [] }), false);
});
