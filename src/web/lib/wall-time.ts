/**
 * A time as written on paper — a wall-clock date and time in the operation's time zone, as typed
 * (`2016-12-15 08:30`, in any digits) or as a `datetime-local` field holds it — turned into the
 * instant it names, whatever zone the device itself is set to; and back, an instant as the wall
 * clock of the operation's zone read it (what a date-and-time field shows by default).
 */
import { westernDigits } from '../../domain/digits.js';
import { offsetAt } from '../../domain/time-zone.js';

/** The wall clock's fields as a UTC time value (`2016-12-15 08:30` → Date.UTC(2016, 11, 15, 8, 30)); undefined when not a date and time. */
function wallClockOf(local: string): number | undefined {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:T| +)(\d{1,2}):(\d{2})$/.exec(westernDigits(local.trim()));
  if (!m) return undefined;
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
  if (hour > 23 || minute > 59) return undefined;
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // 2016-02-30 is not a day (Date.UTC would carry it into March).
  const d = new Date(wall);
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return undefined;
  return wall;
}

function instantOf(wall: number, timeZone: string): number {
  // Twice: the offset at the first guess may differ from the offset at the answer (a clock change between).
  const at = wall - offsetAt(timeZone, wall);
  return wall - offsetAt(timeZone, at);
}

/**
 * `2016-12-15T08:30` in `Asia/Damascus` → `2016-12-15T06:30:00.000Z`; undefined when not a date and
 * time. Typed from paper it may also read `2016-12-15 8:30`, in Arabic-Indic or Persian digits
 * (`٢٠١٦-١٢-١٥ ٠٨:٣٠`).
 */
export function wallTimeToIso(local: string, timeZone: string): string | undefined {
  const wall = wallClockOf(local);
  return wall === undefined ? undefined : new Date(instantOf(wall, timeZone)).toISOString();
}

/** An instant as the zone's wall clock shows it, `2016-12-15 08:30` (Western digits, to the minute). */
export function isoToWallTime(at: string | number, timeZone: string): string {
  const ms = typeof at === 'number' ? at : Date.parse(at);
  return new Date(ms + offsetAt(timeZone, ms)).toISOString().slice(0, 16).replace('T', ' ');
}

/** Why a typed date and time cannot be used: none given, not a date and time, or a time the zone skipped. */
export type WallTimeProblem = 'required' | 'format' | 'skipped';

/**
 * A date-and-time field's text read in the operation's zone: the instant, or why not. Empty is
 * fine unless required (the situation report's "as of" means now when left empty). A wall-clock
 * time the zone never showed — the hour skipped when the clocks went forward — is refused rather
 * than moved silently; a time shown twice (the clocks went back) is read with the offset after the
 * change.
 */
export function readWallTime(text: string, timeZone: string, required = false): { iso?: string; problem?: WallTimeProblem } {
  if (text.trim() === '') return required ? { problem: 'required' } : {};
  const wall = wallClockOf(text);
  if (wall === undefined) return { problem: 'format' };
  const at = instantOf(wall, timeZone);
  if (at + offsetAt(timeZone, at) !== wall) return { problem: 'skipped' };
  return { iso: new Date(at).toISOString() };
}
