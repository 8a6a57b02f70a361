import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lastBookableDate, localDate, windowEnd } from './booking-window';

const settings = { timezone: 'Asia/Shanghai', bookingWindowDays: 14, releaseTime: '08:00:00' };

describe('booking window', () => {
  it('uses the center-local date', () => {
    assert.equal(localDate(new Date('2026-12-01T17:00:00Z'), 'Asia/Shanghai'), '2026-12-02');
  });

  it('opens the last day of the window at release time', () => {
    assert.equal(lastBookableDate(settings, new Date('2026-12-01T23:59:00Z')), '2026-12-15', '07:59 local: not yet released');
    assert.equal(lastBookableDate(settings, new Date('2026-12-02T00:00:00Z')), '2026-12-16', '08:00 local: released');
  });

  it('ends the window at local midnight after the last day', () => {
    assert.equal(windowEnd(settings, new Date('2026-12-02T00:00:00Z')).toISOString(), '2026-12-16T16:00:00.000Z');
  });
});
