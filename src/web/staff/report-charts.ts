import { BusyHourView, DayFiguresView, ReportView } from '../../supervision/dto/supervision.dto';

/** The drawing area of every chart (SVG user units; the page scales it to its width). */
const WIDTH = 720;
const HEIGHT = 260;
const MARGIN = { top: 12, right: 8, bottom: 28, left: 40 };
const MAX_BAR = 28;
const MAX_X_LABELS = 12;

export interface ChartBar {
  series: string;
  x: number;
  y: number;
  width: number;
  height: number;
  value: number;
  /** What the bar stands for, e.g. the day: shown as its tooltip with the value. */
  label: string;
}

export interface BarChart {
  width: number;
  height: number;
  /** The plot's frame: left edge, baseline. */
  left: number;
  right: number;
  baseline: number;
  series: string[];
  bars: ChartBar[];
  xLabels: Array<{ x: number; text: string }>;
  yTicks: Array<{ y: number; value: number }>;
}

export interface ReportCharts {
  days: BarChart;
  hours: BarChart;
}

interface Group {
  label: string;
  values: Record<string, number>;
}

export const DAY_SERIES = ['booked', 'fulfilled', 'cancelled', 'noShows'] as const;

/** The report's charts: bookings per day by outcome, and appointments by hour of day. */
export function reportCharts(report: ReportView): ReportCharts {
  return { days: dayChart(report.days), hours: hourChart(report.busiestHours) };
}

export function dayChart(days: DayFiguresView[]): BarChart {
  return barChart(
    days.map((d) => ({ label: d.date, values: { booked: d.booked, fulfilled: d.fulfilled, cancelled: d.cancelled, noShows: d.noShows } })),
    [...DAY_SERIES],
  );
}

/** The busiest hours in the order of the day. */
export function hourChart(hours: BusyHourView[]): BarChart {
  const inOrder = [...hours].sort((a, b) => a.hour - b.hour);
  return barChart(inOrder.map((h) => ({ label: hourLabel(h.hour), values: { appointments: h.appointments } })), ['appointments']);
}

export const hourLabel = (hour: number): string => `${String(hour).padStart(2, '0')}:00`;

/** Grouped bars: one group per label, one bar per series, on a scale from 0 to a round maximum. */
export function barChart(groups: Group[], series: string[]): BarChart {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const baseline = MARGIN.top + plotHeight;
  const top = niceMaximum(Math.max(0, ...groups.flatMap((g) => series.map((s) => g.values[s] ?? 0))));
  const groupWidth = groups.length > 0 ? plotWidth / groups.length : plotWidth;
  const barWidth = Math.min(MAX_BAR, (groupWidth * 0.8) / series.length);
  const bars = groups.flatMap((group, i) => {
    const start = MARGIN.left + i * groupWidth + (groupWidth - barWidth * series.length) / 2;
    return series.map((name, j) => {
      const value = group.values[name] ?? 0;
      const height = (value / top) * plotHeight;
      return { series: name, x: round(start + j * barWidth), y: round(baseline - height), width: round(barWidth), height: round(height), value, label: group.label };
    });
  });
  const every = Math.max(1, Math.ceil(groups.length / MAX_X_LABELS));
  const xLabels = groups.filter((_, i) => i % every === 0).map((group, k) => ({ x: round(MARGIN.left + (k * every + 0.5) * groupWidth), text: group.label }));
  // Whole-numbered ticks: quarters or fifths of the scale, whichever divides it.
  const parts = top % 4 === 0 ? 4 : 5;
  const yTicks = Array.from({ length: parts + 1 }, (_, k) => ({ y: round(baseline - (k / parts) * plotHeight), value: (k * top) / parts }));
  return { width: WIDTH, height: HEIGHT, left: MARGIN.left, right: WIDTH - MARGIN.right, baseline, series, bars, xLabels, yTicks };
}

/** 1, 2, 4 or 5 times a power of ten, at least the value (and at least 4, so that ticks are whole numbers). */
export function niceMaximum(value: number): number {
  if (value <= 4) return 4;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 4, 5, 10].find((m) => m * power >= value)!;
  return step * power;
}

const round = (value: number): number => Math.round(value * 100) / 100;
