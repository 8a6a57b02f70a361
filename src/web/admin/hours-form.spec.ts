import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AdminCenterView } from '../../admin/dto/admin.views';
import { hoursBody, hoursFieldOf, hoursGrid, hoursValues } from './hours-form';

const center = (hours: AdminCenterView['hours']): AdminCenterView => ({ hours }) as AdminCenterView;

describe('the opening-hours form', () => {
  it('sends the rows filled in, in weekday order, with counters as numbers and anything else as typed', () => {
    const { body, rows } = hoursBody({ opens_2_1: '13:30', closes_2_1: '17:30', counters_2_1: '2', opens_1_0: '08:30', closes_1_0: '12:00', counters_1_0: 'x', opens_3_0: '', closes_3_0: '' });
    assert.deepEqual(body.hours, [
      { weekday: 1, opens: '08:30', closes: '12:00', counters: 'x' },
      { weekday: 2, opens: '13:30', closes: '17:30', counters: 2 },
    ]);
    assert.equal(body.onBookings, undefined);
    assert.deepEqual(rows.map((r) => r.opens), ['opens_1_0', 'opens_2_1']);
  });

  it('shows a refusal next to the input it concerns, and one about the whole list above the grid', () => {
    const { rows } = hoursBody({ opens_5_0: '08:00', opens_6_2: '25:00' });
    const fieldOf = hoursFieldOf(rows);
    assert.equal(fieldOf('hours.1.opens'), 'opens_6_2');
    assert.equal(fieldOf('hours.0.counters'), 'counters_5_0');
    assert.equal(fieldOf('hours'), 'hours');
    assert.equal(fieldOf('hours.9.opens'), 'hours');
  });

  it('offers at least three periods a day, more where a day has more, and fills in the stored ones', () => {
    assert.equal(hoursGrid(center([])).length, 21);
    const four = [0, 1, 2, 3].map((n) => ({ weekday: 4, opens: `0${n}:00`, closes: `0${n}:30`, counters: n + 1 }));
    assert.equal(hoursGrid(center(four)).length, 28);
    const values = hoursValues(center(four));
    assert.equal(values.opens_4_3, '03:00');
    assert.equal(values.counters_4_0, '1');
  });
});
