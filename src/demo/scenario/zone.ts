/**
 * Wall-clock time in the operation's time zone, for the demo's timeline. The scenario is written
 * in Damascus local time of December 2016 (UTC+2); Syria has kept UTC+3 all year since 2022, so a
 * demo week placed on today's calendar must be moved by its wall clock in the zone, not by whole
 * days of UTC, or every departure and arrival reads an hour late. Pure: the zone rules come from
 * the runtime's time-zone data (Intl), the instants are passed in.
 */
import { offsetAt } from '../../domain/time-zone.js';

export { offsetAt };

/** The wall clock of an instant in the zone, as milliseconds of a UTC calendar (read it with getUTC…). */
export const wallClockOf = (timeZone: string, ms: number): number => ms + offsetAt(timeZone, ms);

/**
 * The instant the zone's clocks show a wall-clock time (given as UTC calendar milliseconds). A
 * time the clocks skipped (a change forward) is read with the offset from before the change; a
 * time they showed twice (a change back), the first time.
 */
export function instantOfWallClock(timeZone: string, wall: number): number {
  const before = offsetAt(timeZone, wall - 86_400_000);
  const after = offsetAt(timeZone, wall + 86_400_000);
  for (const offset of [before, after]) if (offsetAt(timeZone, wall - offset) === offset) return wall - offset;
  return wall - before;
}

/** The instant whose wall clock in the zone is this one's moved by whole days (the same time of day). */
export function shiftWallClock(timeZone: string, ms: number, days: number): number {
  return instantOfWallClock(timeZone, wallClockOf(timeZone, ms) + days * 86_400_000);
}

/** The zone's calendar day (YYYY-MM-DD) of an instant. */
export const localDayIn = (timeZone: string, ms: number): string => new Date(wallClockOf(timeZone, ms)).toISOString().slice(0, 10);

/** An offset as ISO 8601 writes it: +03:00. */
export function isoOffset(offsetMs: number): string {
  const minutes = Math.round(Math.abs(offsetMs) / 60_000);
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${offsetMs < 0 ? '-' : '+'}${hh}:${mm}`;
}
