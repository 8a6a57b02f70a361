import { formatInstant } from '../common/time/format';

/**
 * formatInstant costs ~8 µs (luxon asks Intl for the zone's offset), and slot times are the
 * same few thousand instants in answer after answer (availability lists up to ~3,000 of them).
 * The function is pure — zone rules do not change while the process runs — so its results
 * are kept, a bounded number of them.
 */
const LIMIT = 50_000;
const zones = new Map<string, Map<number, string>>();
let kept = 0;

export function formatSlotInstant(epochMs: number, timezone: string): string {
  let zone = zones.get(timezone);
  if (!zone) zones.set(timezone, (zone = new Map()));
  let text = zone.get(epochMs);
  if (text === undefined) {
    if (kept >= LIMIT) {
      zones.clear();
      kept = 0;
      zones.set(timezone, (zone = new Map()));
    }
    text = formatInstant(new Date(epochMs), timezone);
    zone.set(epochMs, text);
    kept += 1;
  }
  return text;
}
