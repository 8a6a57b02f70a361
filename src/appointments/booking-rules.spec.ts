import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { windowEnd } from '../slots/booking-window';
import { windowEndCached } from './booking-rules';

describe('windowEndCached', () => {
  it('answers exactly what windowEnd answers, minute by minute across release times, midnights and DST changes', () => {
    const cases = [
      { timezone: 'Asia/Shanghai', bookingWindowDays: 14, releaseTime: '08:00:00' },
      { timezone: 'Asia/Shanghai', bookingWindowDays: 31, releaseTime: '00:00:00' },
      { timezone: 'Europe/Berlin', bookingWindowDays: 7, releaseTime: '02:30:00' },
      { timezone: 'America/New_York', bookingWindowDays: 3, releaseTime: '23:59:30' },
    ];
    // Around the 2026 spring-forward weekend in Europe and the US, and back and forth in time.
    const starts = [Date.parse('2026-03-07T00:00:00Z'), Date.parse('2026-03-28T12:00:00Z'), Date.parse('2026-12-01T15:00:00Z')];
    for (const settings of cases) {
      for (const start of starts) {
        for (let minute = 0; minute < 3 * 24 * 60; minute += 7) {
          const now = new Date(start + minute * 60_000 + (minute % 3) * 13_000);
          assert.equal(windowEndCached(settings, now).getTime(), windowEnd(settings, now).getTime(), `${settings.timezone} ${now.toISOString()}`);
        }
        const back = new Date(start - 3600_000);
        assert.equal(windowEndCached(settings, back).getTime(), windowEnd(settings, back).getTime(), 'after the clock moved back');
      }
    }
  });
});
