/**
 * The figures other sources gave at the time of the demo's evacuation, recorded as outside
 * sources so the situation report shows them beside Corridor's (synthetic framing: no real
 * agency is named). The figures scale with the demo's population: the full demo (about 34,000
 * people) gets "around 34,000 people had left" and "more than 4,000 fighters overnight in private
 * cars, vans and pick-ups". Each is recorded by the demo coordinator at the time it was said.
 */
import type { Db } from '../db/connection.js';
import { outsideSourceInput } from '../domain/sitrep/sources.js';
import type { Actor } from '../services/context.js';
import { hasOutsideSources } from '../services/demo/load-state.js';
import type { KeyRing } from '../services/keys/keyring.js';
import { recordOutsideSource } from '../services/sitrep/use-cases.js';
import { ctxOf } from './load-convoy.js';
import type { Scenario } from './scenario/index.js';
import { localDayIn } from './scenario/zone.js';

/** A figure as a statement would round it: thousands from 10,000 up, tens below. */
const rounded = (n: number) => (n >= 10_000 ? Math.round(n / 1000) * 1000 : Math.max(10, Math.round(n / 10) * 10));

export function demoSources(s: Scenario) {
  // Said on the last day of the week, wherever the demo's calendar puts it (22 December 2016 in the
  // scenario), at the time of day the operation's clocks showed (its offset on those dates).
  const lastDay = localDayIn(s.operation.timeZone, Date.parse(s.operation.endsAt));
  const on = (time: string) => `${lastDay}T${time}${s.operation.utcOffset}`;
  const scale = (s.truth.totals.registeredRecords + s.truth.totals.headCountOnly.total) / 34_000;
  const left = rounded(34_000 * scale);
  const fighters = rounded(4_000 * scale);
  return [
    outsideSourceInput.parse({
      source: 'Agency A, press statement (synthetic)',
      at: on('20:00:00'),
      figure: left,
      qualifier: 'about',
      claims: 'left',
      claimText: `around ${left.toLocaleString('en')} people had left eastern Aleppo since the evacuation began`,
    }),
    outsideSourceInput.parse({
      source: 'Monitoring group B, report (synthetic)',
      at: on('08:00:00'),
      figure: fighters,
      qualifier: 'more_than',
      claims: 'head_count_vehicles',
      claimText: `more than ${fighters.toLocaleString('en')} fighters left overnight in private cars, vans and pick-ups`,
    }),
  ];
}

export async function loadOutsideSources(db: Db, keys: KeyRing, s: Scenario, operationId: string, coordinator: Actor): Promise<number> {
  if (await hasOutsideSources(db.kysely, operationId)) return 0;
  const sources = demoSources(s);
  for (const input of sources) {
    // Recorded a few minutes after it was said, by the coordinator, as the loader records facts at their time.
    const at = new Date(Date.parse(input.at) + 10 * 60_000);
    await db.kysely
      .transaction()
      .execute((trx) => recordOutsideSource(ctxOf(trx, keys, coordinator, ['coordinator'], at, operationId), input));
  }
  return sources.length;
}
