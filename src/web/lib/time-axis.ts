/**
 * The time axis of the dashboard's moved-over-time chart. Hours are placed in proportion to time,
 * except across a long quiet stretch: an operation that paused for weeks, then had one new action
 * today, would otherwise squash all its busy days into a sliver at the left. A gap longer than
 * `maxGapMs` is drawn as if it lasted `gapMs`, and the chart marks it as a break. Shorter
 * quiet stretches keep their true length — a ceasefire suspended for two days must show as the
 * flat stretch it was.
 */

export interface AxisBreak {
  /** Position on the axis, from 0 to 1, of the break's middle. */
  at: number;
  /** The last hour before the gap and the first after it. */
  from: number;
  to: number;
}

export interface TimeAxis {
  /** Position from 0 (the first time) to 1 (the last) of one of the times given. */
  position(t: number): number;
  breaks: AxisBreak[];
}

export const DAY_MS = 86_400_000;

/** `times` in ascending order (milliseconds). */
export function timeAxis(times: readonly number[], maxGapMs = 3 * DAY_MS, gapMs = 12 * 3_600_000): TimeAxis {
  const placed = new Map<number, number>();
  const breaks: { at: number; from: number; to: number }[] = [];
  let x = 0;
  let prev: number | undefined;
  for (const t of times) {
    if (prev !== undefined) {
      const gap = t - prev;
      if (gap > maxGapMs) {
        breaks.push({ at: x + gapMs / 2, from: prev, to: t });
        x += gapMs;
      } else x += gap;
    }
    placed.set(t, x);
    prev = t;
  }
  // A single hour (or none) still spans an hour, so it is not drawn at both ends at once.
  const span = Math.max(x, 3_600_000);
  return {
    position: (t) => (placed.get(t) ?? 0) / span,
    breaks: breaks.map((b) => ({ ...b, at: b.at / span })),
  };
}
