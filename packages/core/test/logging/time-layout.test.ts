import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileTimeLayout } from '../../src/logging/time-layout.js';

describe('Go time layouts', () => {
  // Local time, so the zone-free tokens read the same in every TZ.
  const d = new Date(2026, 0, 5, 15, 4, 9, 120);

  it('renders the reference tokens', () => {
    assert.equal(compileTimeLayout('2006-01-02 15:04:05.000')(d), '2026-01-05 15:04:09.120');
    assert.equal(compileTimeLayout('Mon Jan _2 03:04:05PM 06')(d), 'Mon Jan  5 03:04:09PM 26');
    assert.equal(compileTimeLayout('Monday, January 2, 3:4:5 pm')(d), 'Monday, January 5, 3:4:9 pm');
    assert.equal(compileTimeLayout('15:04:05.999 | 05.000000')(d), '15:04:09.12 | 09.120000');
    assert.equal(compileTimeLayout('05.999')(new Date(2026, 0, 5, 15, 4, 9, 0)), '09');
  });

  it('renders zones as Go does: Z for UTC with Z07:00, a numeric offset otherwise', () => {
    const offsetMinutes = -d.getTimezoneOffset();
    const rendered = compileTimeLayout('Z07:00|-0700')(d);
    if (offsetMinutes === 0) assert.equal(rendered, 'Z|+0000');
    else assert.match(rendered, /^[+-]\d\d:\d\d\|[+-]\d{4}$/);
    assert.match(compileTimeLayout('MST')(d), /^([A-Z]{2,5}|[+-]\d{4})$/);
  });
});
