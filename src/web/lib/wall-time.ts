/**
 * A time as written on paper — a wall-clock date and time in the operation's time zone, as typed
 * (`2016-12-15 08:30`, in any digits) or as a `datetime-local` field holds it — turned into the
 * instant it names, whatever zone the device itself is set to.
 */
import { westernDigits } from '../../domain/digits.js';
import { offsetAt } from '../../domain/time-zone.js';

/**
 * `2016-12-15T08:30` in `Asia/Damascus` → `2016-12-15T06:30:00.000Z`; undefined when not a date and
 * time. Typed from paper it may also read `2016-12-15 8:30`, in Arabic-Indic or Persian digits
 * (`٢٠١٦-١٢-١٥ ٠٨:٣٠`).
 */
export function wallTimeToIso(local: string, timeZone: string): string | undefined {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:T| +)(\d{1,2}):(\d{2})$/.exec(westernDigits(local.trim()));
  if (!m) return undefined;
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
  if (hour > 23 || minute > 59) return undefined;
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // 2016-02-30 is not a day (Date.UTC would carry it into March).
  const d = new Date(wall);
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return undefined;
  // Twice: the offset at the first guess may differ from the offset at the answer (a clock change between).
  let at = wall - offsetAt(timeZone, wall);
  at = wall - offsetAt(timeZone, at);
  return new Date(at).toISOString();
}
