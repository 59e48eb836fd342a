/**
 * A time zone's offset from UTC at an instant, from the runtime's time-zone data (Intl): what the
 * demo's timeline, a paper form's time and a movement window's wall-clock times are all turned
 * into instants with. One formatter per zone, kept.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The zone's offset from UTC at an instant, in milliseconds (+3 h in Damascus today). */
export function offsetAt(timeZone: string, ms: number): number {
  const whole = Math.floor(ms / 1000) * 1000;
  const part: Record<string, number> = {};
  for (const p of formatterOf(timeZone).formatToParts(new Date(whole))) if (p.type !== 'literal') part[p.type] = Number(p.value);
  const wall = Date.UTC(part.year as number, (part.month as number) - 1, part.day, part.hour, part.minute, part.second);
  return wall - whole;
}
