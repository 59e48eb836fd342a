/**
 * The demo operation on today's calendar (src/demo/scenario/timeline.ts), on a real database: set
 * up "today", its week ends today or yesterday and nothing it holds is in the future; a movement
 * window is open now, so a coordinator dispatches a new convoy without an override; the counts are
 * the generator's totals, as on the December 2016 dates (the people are the same); and the shift
 * chosen at set-up is the one a resumed load and a later start use, whatever they ask. Its two
 * tracing officers, given new passwords on the resumed load, finish a case: one proposes the
 * person, the other confirms (four eyes).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ulid } from 'ulid';
import { buildApp } from '../src/server/app.js';
import { KeyRing } from '../src/services/keys/keyring.js';
import { ensureFirstAdmin } from '../src/services/accounts/auth.js';
import { findUserByUsername } from '../src/db/queries/users.js';
import { verifyAudit } from '../src/db/queries/audit.js';
import { NIGHT_CONVOYS, generateScenario, shiftDaysEndingAt, shiftScenario, shiftedLatestTime } from '../src/demo/scenario/index.js';
import { demoSources } from '../src/demo/load-sources.js';
import { loadDemo, prepareDemo, runDemoLoad, type PreparedDemo } from '../src/demo/load.js';
import { bySexAgeOf, expectedCounts, type ApiCounts } from '../src/demo/expected.js';
import { demoSettings } from '../src/demo/start.js';
import { dialects, type TestDb } from './support/db.js';

const PEOPLE = 300;
const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Day and time of day ("2016-12-21 21:00") as the clocks of a time zone show an instant. */
const damascus = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Damascus',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});
const wallClock = (iso: string | number) => damascus.format(new Date(iso)).replace(', ', ' ');
/** The scenario's own local time (setting.ts writes December 2016 at UTC+2), as "YYYY-MM-DD HH:MM". */
const scenarioClock = (iso: string) => new Date(Date.parse(iso) + 2 * HOUR).toISOString().slice(0, 16).replace('T', ' ');
const dayOf = (clock: string) => Date.parse(`${clock.slice(0, 10)}T00:00:00Z`);

test('the scenario moved by whole days keeps its people and times of day; shift 0 is December 2016', () => {
  const s = generateScenario({ seed: 2016, people: PEOPLE });
  assert.equal(shiftScenario(s, 0), s);
  const t = shiftScenario(s, 3650);
  // 3650 days on from December 2016 Damascus is at UTC+3, no longer UTC+2: the same clock time is an hour earlier in UTC.
  assert.equal(t.operation.utcOffset, '+03:00');
  assert.equal(Date.parse(t.operation.startsAt) - Date.parse(s.operation.startsAt), 3650 * DAY - HOUR);
  assert.equal(Date.parse(t.facts[5]!.deviceTime) - Date.parse(s.facts[5]!.deviceTime), 3650 * DAY - HOUR);
  assert.deepEqual(
    t.households.map((h) => h.members.map((m) => m.names)),
    s.households.map((h) => h.members.map((m) => m.names)),
  );
  // The outside sources keep their figures and claims; only the day they spoke moves.
  const [a, b] = [demoSources(s), demoSources(t)];
  assert.equal(a[0]?.at, '2016-12-22T20:00:00+02:00');
  assert.equal(b[0]?.at.slice(10), 'T20:00:00+03:00');
  assert.equal(Date.parse(b[0]!.at) - Date.parse(a[0]!.at), 3650 * DAY - HOUR);
  assert.deepEqual(
    b.map((x) => [x.figure, x.claims, x.claimText]),
    a.map((x) => [x.figure, x.claims, x.claimText]),
  );
  // One window more, open after the modelled week.
  assert.equal(t.windows.length, s.windows.length + 1);
  assert.equal(demoSettings(true, {}).dates, 'today');
  assert.equal(demoSettings(true, { CORRIDOR_DEMO_DATES: '2016' }).dates, '2016');
  assert.throws(() => demoSettings(true, { CORRIDOR_DEMO_DATES: 'yesterday' }), /CORRIDOR_DEMO_DATES/);
});

test('on today’s calendar every departure, arrival and other time keeps the scenario’s wall-clock time in Asia/Damascus', () => {
  const s = generateScenario({ seed: 2016, people: PEOPLE });
  // The 2016 dates read right in the operation's zone as generated (Damascus was at UTC+2 then).
  assert.equal(s.operation.timeZone, 'Asia/Damascus');
  assert.equal(wallClock(NIGHT_CONVOYS.from), '2016-12-21 21:00');
  const now = new Date('2026-12-07T16:00:00Z');
  const days = shiftDaysEndingAt(s, now);
  const t = shiftScenario(s, days);
  const same = (label: string, from: string, to: string) => {
    const want = scenarioClock(from);
    const got = wallClock(to);
    assert.equal(got.slice(11), want.slice(11), `${label}: ${want} in the scenario, ${got} in Damascus on today's calendar`);
    assert.equal(dayOf(got) - dayOf(want), days * DAY, `${label}: moved by ${days} whole days`);
  };
  s.convoys.forEach((c, i) => {
    same(`departure of ${c.label}`, c.departedAt, t.convoys[i]!.departedAt);
    assert.equal(t.convoys[i]!.day, wallClock(t.convoys[i]!.departedAt).slice(0, 10), `${c.label} departs on its day`);
  });
  const arrivals = s.facts.flatMap((f, i) => (f.kind === 'arrived' || f.kind === 'checked_in' ? [i] : []));
  assert.ok(arrivals.length > 100);
  for (const i of arrivals) same(`${s.facts[i]!.kind} ${s.facts[i]!.id}`, s.facts[i]!.deviceTime, t.facts[i]!.deviceTime);
  s.facts.forEach((f, i) => same(`received ${f.id}`, f.receivedAt, t.facts[i]!.receivedAt));
  s.households.forEach((h, i) => same(`registration of ${h.id}`, h.registeredAt, t.households[i]!.registeredAt));
  s.windows.forEach((w, i) => same(`window ${w.id}`, w.from, t.windows[i]!.from));
  same('start of the operation', s.operation.startsAt, t.operation.startsAt);
  // The night of the fighters' cars: 21:00 to 04:30 on the operation's clocks, as in the scenario.
  const night = t.convoys.filter((c) => c.label.startsWith('N21-')).map((c) => wallClock(c.departedAt).slice(11));
  assert.ok(night.length > 0 && night.every((h) => h >= '21:00' || h <= '04:30'), night.join(', '));
  // Its week ends today (or yesterday), never after now.
  const last = shiftedLatestTime(s, days);
  assert.ok(last <= now.getTime() && last > now.getTime() - DAY, new Date(last).toISOString());
});

for (const dialect of dialects) {
  describe(`the demo operation set up today (${dialect.name})`, () => {
    let db: TestDb;
    let keys: KeyRing;
    let app: FastifyInstance;
    let adminId: string;
    let first: PreparedDemo;
    let resumed: PreparedDemo;
    const now = new Date();

    before(async () => {
      db = await dialect.open();
      keys = new KeyRing(randomBytes(32));
      await db.kysely.transaction().execute((trx) => ensureFirstAdmin(trx, new Date()));
      adminId = (await findUserByUsername(db.kysely, 'admin'))!.id;
      // Set up today, cut short before the load; resumed asking for other dates, it keeps its own.
      first = await prepareDemo(db, keys, { adminId, people: PEOPLE, dates: 'today', now });
      resumed = await prepareDemo(db, keys, { adminId, people: PEOPLE, dates: '2016' });
      await runDemoLoad(db, keys, resumed);
      app = await buildApp({ db, keys, logLevel: 'silent' });
      await app.ready();
    });
    after(async () => {
      await app?.close();
      await db?.close();
    });

    // The resumed load gave the accounts new passwords (those shown first were never used).
    const login = async (label: string) => {
      const { username, password } = resumed.accounts.find((a) => a.label === label)!;
      assert.equal(username, first.accounts.find((a) => a.label === label)?.username);
      const r = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
      assert.equal(r.statusCode, 200, r.body);
      const cookie = String([r.headers['set-cookie']].flat()[0]).split(';')[0] as string;
      const base = `/api/operations/${first.operationId}`;
      return {
        get: async (url: string) => {
          const res = await app.inject({ method: 'GET', url: `${base}${url}`, headers: { cookie } });
          assert.equal(res.statusCode, 200, res.body);
          return JSON.parse(res.body);
        },
        post: async (url: string, payload: unknown) => {
          const headers = { cookie, 'idempotency-key': ulid() };
          const res = await app.inject({ method: 'POST', url: `${base}${url}`, headers, payload: payload as object });
          return { status: res.statusCode, body: JSON.parse(res.body) };
        },
      };
    };

    test('its week ends today or yesterday, nothing in the future; the shift is kept across the resumed load and a later start', async () => {
      assert.ok(first.shiftDays > 3000, `moved by ${first.shiftDays} days`);
      assert.equal(resumed.shiftDays, first.shiftDays);
      assert.equal(resumed.scenario.operation.startsAt, first.scenario.operation.startsAt);
      const last = shiftedLatestTime(generateScenario({ seed: 2016, people: PEOPLE }), first.shiftDays);
      assert.ok(last <= now.getTime() && last > now.getTime() - DAY, new Date(last).toISOString());
      const again = await loadDemo(db, keys, { adminId, people: PEOPLE, dates: '2016' });
      assert.equal(again.loaded, false);
      assert.equal(again.shiftDays, first.shiftDays);
      const v = await verifyAudit(db.kysely);
      assert.equal(v.ok, true, JSON.stringify(v.firstBreak));
    });

    test('the counts are the generator’s totals, as on the December 2016 dates', async () => {
      const viewer = await login('viewer');
      const counts = (await viewer.get('/counts')) as ApiCounts;
      const want = expectedCounts(resumed.scenario.truth.totals);
      assert.deepEqual(counts.totals, want.totals);
      assert.deepEqual(bySexAgeOf(counts.bySexAge.arrived ?? []), want.arrivedBySexAge);
    });

    test('the moved-over-time counts have each convoy leaving in the hour the scenario gives it, on the Damascus clock', async () => {
      const viewer = await login('viewer');
      const counts = (await viewer.get('/counts')) as { hourly: Record<string, { hour: string; value: number }[]> };
      const hours = new Set((counts.hourly.in_transit ?? []).map((p) => wallClock(p.hour).slice(0, 13)));
      const generated = generateScenario({ seed: 2016, people: PEOPLE });
      assert.ok(generated.convoys.length > 3);
      for (const c of generated.convoys) {
        const clock = scenarioClock(c.departedAt);
        const day = new Date(dayOf(clock) + first.shiftDays * DAY).toISOString().slice(0, 10);
        const want = `${day} ${clock.slice(11, 13)}`;
        assert.ok(hours.has(want), `${c.label} left at ${clock} in the scenario: the hour ${want} in ${[...hours].sort().join(', ')}`);
      }
    });

    test('two tracing officers, found again on the resumed load: one proposes a found person, the other confirms it', async () => {
      assert.deepEqual(
        resumed.accounts.filter((a) => a.role === 'tracing_officer').map((a) => a.label),
        ['tracing_officer', 'tracing_officer_2'],
      );
      const [proposer, confirmer] = [await login('tracing_officer'), await login('tracing_officer_2')];
      const open = (await proposer.get('/tracing?status=open&limit=200')) as { requests: { id: string; candidates: number }[] };
      const withCandidates = open.requests.filter((r) => r.candidates > 0);
      assert.ok(withCandidates.length > 0, 'the demo has open requests with candidates');
      const req = withCandidates[0]!;
      const detail = await proposer.get(`/tracing/${req.id}`);
      const personId = detail.candidates[0].personId as string;
      const proposed = await proposer.post(`/tracing/${req.id}/outcome`, { outcome: 'found', personId });
      assert.equal(proposed.status, 200, JSON.stringify(proposed.body));
      assert.equal(proposed.body.status, 'found_pending');
      // Four eyes: the proposer cannot confirm; the second demo tracing officer can.
      const own = await proposer.post(`/tracing/${req.id}/outcome`, { outcome: 'confirm_found', personId });
      assert.equal(own.status, 403, JSON.stringify(own.body));
      assert.equal(own.body.error.code, 'tracing.same_officer');
      assert.equal((await confirmer.get(`/tracing/${req.id}`)).proposedByYou, false);
      const confirmed = await confirmer.post(`/tracing/${req.id}/outcome`, { outcome: 'confirm_found', personId });
      assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
      assert.ok(['found', 'found_no_contact'].includes(confirmed.body.status), confirmed.body.status);
      assert.equal(confirmed.body.foundPersonId, personId);
    });

    test('a movement window is open now, and a coordinator dispatches a new convoy without an override', async () => {
      const coordinator = await login('coordinator');
      const windows = (await coordinator.get('/movement-windows')) as { start: string; end: string }[];
      const t = Date.now();
      assert.ok(
        windows.some((w) => Date.parse(w.start) <= t && t < Date.parse(w.end)),
        `a window open now: ${JSON.stringify(windows)}`,
      );
      const c = await coordinator.post('/convoys', { id: 'today-1', routeId: 'to-rashidin', name: 'Convoy of today' });
      assert.equal(c.status, 201, JSON.stringify(c.body));
      const bus = await coordinator.post('/convoys/today-1/vehicles', { id: 'today-bus-1', kind: 'bus', capacity: 50 });
      assert.equal(bus.status, 201, JSON.stringify(bus.body));
      const board = await coordinator.post('/convoys/today-1/transitions', { event: 'board' });
      assert.equal(board.status, 200, JSON.stringify(board.body));
      const depart = await coordinator.post('/convoys/today-1/transitions', { event: 'depart' });
      assert.equal(depart.status, 200, JSON.stringify(depart.body));
      assert.equal(depart.body.state, 'departed');
    });
  });
}
