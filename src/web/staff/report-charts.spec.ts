import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dayChart, hourChart, niceMaximum } from './report-charts';

describe('report charts', () => {
  it('rounds the scale up to 1, 2, 4 or 5 times a power of ten', () => {
    assert.deepEqual([0, 3, 5, 9, 11, 37, 101, 450].map(niceMaximum), [4, 4, 5, 10, 20, 40, 200, 500]);
  });

  it('draws one bar per day and outcome, as tall as its share of the scale, on the baseline', () => {
    const chart = dayChart([
      { date: '2026-12-01', booked: 10, fulfilled: 5, cancelled: 0, noShows: 1 },
      { date: '2026-12-02', booked: 2, fulfilled: 2, cancelled: 1, noShows: 0 },
    ]);
    assert.equal(chart.bars.length, 8);
    const [booked, fulfilled, cancelled] = chart.bars;
    assert.equal(booked!.series, 'booked');
    assert.equal(booked!.y + booked!.height, chart.baseline);
    assert.equal(booked!.height, 2 * fulfilled!.height);
    assert.equal(cancelled!.height, 0);
    assert.ok(chart.bars.every((bar) => bar.x >= chart.left && bar.x + bar.width <= chart.right));
    assert.deepEqual(chart.xLabels.map((l) => l.text), ['2026-12-01', '2026-12-02']);
    assert.deepEqual(chart.yTicks.map((tick) => tick.value), [0, 2, 4, 6, 8, 10]);
  });

  it('labels at most twelve days, and puts the busiest hours in the order of the day', () => {
    const days = Array.from({ length: 31 }, (_, i) => ({ date: `2026-12-${String(i + 1).padStart(2, '0')}`, booked: i, fulfilled: 0, cancelled: 0, noShows: 0 }));
    assert.ok(dayChart(days).xLabels.length <= 12);
    const hours = hourChart([{ hour: 14, appointments: 9 }, { hour: 9, appointments: 12 }]);
    assert.deepEqual(hours.bars.map((b) => [b.label, b.value]), [['09:00', 12], ['14:00', 9]]);
  });

  it('draws nothing out of an empty report', () => {
    assert.deepEqual(dayChart([]).bars, []);
  });
});
