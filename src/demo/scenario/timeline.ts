/**
 * The demo's own timeline. The scenario is modelled on the week of 15–22 December 2016 and the
 * generator writes its times on those dates; the demo operation a new user opens must make sense
 * on today's calendar instead — a movement window open now, so a convoy can be dispatched
 * without an override, and a moved-over-time chart that shows the week and today's new actions
 * side by side. So the whole scenario is moved by a whole number of days, chosen once when the
 * demo operation is first set up (and kept with it, so a resumed load and later starts use the
 * same): every time it holds — registrations, dates of birth, convoy days and departures, device
 * and receipt times, movement windows, tracing requests and the day a sought person was last
 * seen — moves by the same days, and a time of day stays the time of day it was on the clocks of
 * the operation's time zone (zone.ts): a night departure at 21:00 in Damascus in 2016 (UTC+2)
 * leaves at 21:00 in Damascus today (UTC+3), not at 22:00. Nothing here draws from the
 * generator's random numbers: the people are the same, only their dates move.
 *
 * Placed on today's calendar (a shift above zero), the operation also gets one more movement
 * window after its last: departures stay allowed from the end of the modelled week for
 * `CONTINUING_DAYS` days, so the coordinator can dispatch a new convoy now.
 */
import type { MovementWindow, Scenario, ScenarioPerson } from './types.js';
import { isoOffset, offsetAt, shiftWallClock } from './zone.js';

export const DAY_MS = 86_400_000;
/** How long the demo's last window stays open after the modelled week. */
export const CONTINUING_DAYS = 90;

const shiftIso = (value: string, days: number) => new Date(Date.parse(value) + days * DAY_MS).toISOString();
/** An instant moved by whole days of the zone's calendar, keeping its wall-clock time there. */
const shiftIn = (timeZone: string, value: string, days: number) =>
  new Date(shiftWallClock(timeZone, Date.parse(value), days)).toISOString();
/** A calendar day (YYYY-MM-DD) moved by whole days. */
export const shiftDay = (day: string, days: number) => shiftIso(`${day}T00:00:00.000Z`, days).slice(0, 10);

/** The latest time the scenario holds: a late fact's receipt or a tracing request taken down after the week. */
export function latestTime(s: Scenario): number {
  let latest = Date.parse(s.operation.endsAt);
  for (const h of s.households) latest = Math.max(latest, Date.parse(h.registeredAt));
  for (const f of s.facts) latest = Math.max(latest, Date.parse(f.receivedAt), Date.parse(f.deviceTime));
  for (const r of s.tracingRequests) latest = Math.max(latest, Date.parse(r.createdAt));
  for (const w of s.windows) latest = Math.max(latest, Date.parse(w.to));
  return latest;
}

/** The scenario's latest time (`latestTime`) once the scenario is moved by `days`. */
export const shiftedLatestTime = (s: Scenario, days: number): number => shiftWallClock(s.operation.timeZone, latestTime(s), days);

/**
 * The whole days that put the scenario's last time at most a day before `now` and never after it:
 * its last day becomes today (or yesterday, when that time of day has not come yet today). Counted
 * on the zone's clocks: the wall clock kept, an offset that changed since 2016 moves the instant.
 */
export function shiftDaysEndingAt(s: Scenario, now: Date): number {
  let days = Math.max(0, Math.floor((now.getTime() - latestTime(s)) / DAY_MS));
  while (days > 0 && shiftedLatestTime(s, days) > now.getTime()) days--;
  while (shiftedLatestTime(s, days + 1) <= now.getTime()) days++;
  return days;
}

/** The window that keeps departures allowed after the modelled week (only on today's calendar). */
export function continuingWindow(windows: readonly MovementWindow[], timeZone = 'UTC'): MovementWindow | undefined {
  const lastAllowed = windows
    .filter((w) => w.departuresAllowed)
    .sort((a, b) => Date.parse(a.to) - Date.parse(b.to))
    .pop();
  if (!lastAllowed) return undefined;
  return {
    id: 'w4-continuing',
    from: lastAllowed.to,
    to: shiftIn(timeZone, lastAllowed.to, CONTINUING_DAYS),
    departuresAllowed: true,
    reason: 'demo_continuing',
    noteEn: 'Departures allowed after the modelled week (demo)',
    noteAr: 'المغادرة مسموحة بعد الأسبوع المحاكى (عرض تجريبي)',
  };
}

/** Whole years of age on a day, as the registration service counts them. */
function ageOn(dob: string, at: string): number {
  const [y, m, d] = dob.split('-').map(Number) as [number, number, number];
  const [ay, am, ad] = at.slice(0, 10).split('-').map(Number) as [number, number, number];
  return ay - y - (am < m || (am === m && ad < d) ? 1 : 0);
}

/**
 * A date of birth moved with its registration: by the same days, then by a day more or less
 * when the leap days in between would otherwise make the person a year older or younger on the
 * day they were registered (a birthday within a day of it). Ages at registration, and so every
 * age band the dashboard counts, stay what the scenario made them. `shiftedAt` is the
 * registration's time once moved (by default moved by whole days of UTC).
 */
export function shiftBirth(dob: string, registeredAt: string, days: number, shiftedAt = shiftIso(registeredAt, days)): string {
  const want = ageOn(dob, registeredAt);
  const at = shiftedAt;
  let out = shiftDay(dob, days);
  for (let i = 0; i < 3 && ageOn(out, at) !== want; i++) out = shiftDay(out, ageOn(out, at) > want ? 1 : -1);
  return out;
}

function shiftPerson(p: ScenarioPerson, registeredAt: string, shiftedAt: string, days: number): ScenarioPerson {
  return p.dateOfBirth ? { ...p, dateOfBirth: shiftBirth(p.dateOfBirth, registeredAt, days, shiftedAt) } : p;
}

/**
 * The scenario with every time moved by `days` whole days of the operation's calendar, each
 * keeping its wall-clock time in the operation's time zone (0: the scenario as generated, on its
 * December 2016 dates). The operation's `utcOffset` becomes the zone's offset on the new dates.
 * A shift above zero adds the continuing window.
 */
export function shiftScenario(s: Scenario, days: number): Scenario {
  if (!Number.isInteger(days) || days < 0) throw new Error(`the demo's shift must be a whole number of days from 0, not ${days}`);
  if (days === 0) return s;
  const zone = s.operation.timeZone;
  const t = (value: string) => shiftIn(zone, value, days);
  const windows = s.windows.map((w) => ({ ...w, from: t(w.from), to: t(w.to) }));
  const extra = continuingWindow(windows, zone);
  const startsAt = t(s.operation.startsAt);
  return {
    ...s,
    operation: {
      ...s.operation,
      startsAt,
      endsAt: t(s.operation.endsAt),
      utcOffset: isoOffset(offsetAt(zone, Date.parse(startsAt))),
    },
    windows: extra ? [...windows, extra] : windows,
    households: s.households.map((h) => {
      const registeredAt = t(h.registeredAt);
      return { ...h, registeredAt, members: h.members.map((m) => shiftPerson(m, h.registeredAt, registeredAt, days)) };
    }),
    convoys: s.convoys.map((c) => ({ ...c, day: shiftDay(c.day, days), departedAt: t(c.departedAt) })),
    facts: s.facts.map((f) => ({ ...f, deviceTime: t(f.deviceTime), receivedAt: t(f.receivedAt) })),
    tracingRequests: s.tracingRequests.map((r) => ({
      ...r,
      createdAt: t(r.createdAt),
      lastSeen: { ...r.lastSeen, date: shiftDay(r.lastSeen.date, days) },
    })),
  };
}
