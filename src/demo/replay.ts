/**
 * Replays the Aleppo 2016 operation against a running server through its public HTTP API, in
 * accelerated time, so the dashboard moves live: a new operation is set up (sites, routes,
 * movement windows, wristband ranges), then on a simulated clock households are registered
 * when their desk registered them, convoys planned, households boarded, head counts taken, and
 * every movement fact is sent to the batch endpoint when its device got signal again — with the
 * device's own time and the fact's client id, late facts late, as a field phone sends them.
 * Its week is placed as the demo's is (src/demo/scenario/timeline.ts): by default every time moves
 * by the whole days that end it today, so the replayed operation's windows and charts sit on
 * today's calendar and a window is open now; `dates: '2016'` keeps December 2016.
 */
import { randomBytes } from 'node:crypto';
import { generate } from 'otplib';
import { ulid } from 'ulid';
import {
  generateScenario,
  isPhoneBoarding,
  shiftDaysEndingAt,
  shiftScenario,
  wallClockOf,
  type Scenario,
  type ScenarioFact,
} from './scenario/index.js';
import { chunksOf, DEMO_SEED, TagMap, usedSpans, type DemoDates } from './load.js';

export interface ReplayOptions {
  url: string;
  username: string;
  password: string;
  /** Simulated seconds per real second. */
  speed: number;
  people: number;
  seed?: number;
  /** Where the replayed week sits: ending today (the default), or on its December 2016 dates. */
  dates?: DemoDates;
  log?: (line: string) => void;
  /** Stop after this many real seconds (tests). */
  maxSeconds?: number;
  /**
   * Requests in flight at once (default 4): an operation has several registration desks and
   * convoy officers working side by side. A boarding waits for its household's registration, its
   * convoy and the fact batches sent before it; a fact batch waits for everything sent before it,
   * without holding up the desks (phones send it, not a desk).
   */
  desks?: number;
}

/** `key` names the step for later ones; `after` are the keys it waits for. */
type Step = { at: number; order: number; label: string; key?: string; after?: string[] } & (
  | { run: () => Promise<void>; household?: undefined; fact?: undefined; boarding?: undefined }
  // Registrations, boardings and facts are sent together with those due at the same time (the replay loop).
  | { household: Record<string, unknown>; run?: undefined; fact?: undefined; boarding?: undefined }
  | { fact: ScenarioFact; run?: undefined; household?: undefined; boarding?: undefined }
  | { boarding: { convoyId: string; body: Record<string, unknown> }; run?: undefined; household?: undefined; fact?: undefined }
);

class Api {
  private cookie = '';
  constructor(private readonly base: string) {}
  async login(username: string, password: string): Promise<{ id: string }> {
    const r = await fetch(`${this.base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (r.status !== 200) throw new Error(`login as ${username} failed: ${r.status} ${await r.text()}`);
    this.cookie = (r.headers.get('set-cookie') ?? '').split(';')[0] as string;
    return ((await r.json()) as { user: { id: string } }).user;
  }
  /**
   * One write with a client id of its own. A 409 `request.in_progress` (a copy with this id is still
   * being processed) is not a refusal: the same write is sent again with the same id after its
   * Retry-After, and then answers the first copy's result.
   */
  async send(method: 'POST' | 'PUT', path: string, body: unknown): Promise<{ status: number; body: unknown }> {
    // The same client id on a retry: a request that was done before its answer was lost is replayed, not repeated.
    const key = ulid();
    for (let attempt = 0; ; attempt++) {
      const r = await this.fetchOnce(method, path, body, key);
      const text = await r.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      // Over the server's rate limit (a fast replay on a server with small limits), or a copy with this id
      // still being processed: wait as told, then send again with the same id.
      const inProgress = r.status === 409 && (parsed as { error?: { code?: string } } | null)?.error?.code === 'request.in_progress';
      if ((!inProgress && r.status !== 429) || attempt >= 20) return { status: r.status, body: parsed };
      const seconds = Number(r.headers.get('retry-after'));
      await new Promise((resolve) => setTimeout(resolve, Math.min(60, Number.isFinite(seconds) && seconds > 0 ? seconds : 1) * 1000));
    }
  }
  async get<T>(path: string): Promise<T> {
    const r = await fetch(`${this.base}${path}`, { headers: { cookie: this.cookie } });
    if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${(await r.text()).slice(0, 300)}`);
    return (await r.json()) as T;
  }
  private fetchOnce(method: 'POST' | 'PUT', path: string, body: unknown, key: string) {
    return fetch(`${this.base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', cookie: this.cookie, 'idempotency-key': key },
      body: JSON.stringify(body),
    });
  }
  async must(method: 'POST' | 'PUT', path: string, body: unknown): Promise<unknown> {
    const r = await this.send(method, path, body);
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
    return r.body;
  }
}

function steps(
  s: Scenario,
  api: Api,
  op: () => string,
  tags: TagMap,
  stats: { households: number; boardings: number; facts: number; refused: number },
  log: (l: string) => void,
): Step[] {
  const out: Step[] = [];
  const p = (path: string) => `/api/operations/${op()}${path}`;
  const soft = async (label: string, method: 'POST', path: string, body: unknown) => {
    const r = await api.send(method, path, body);
    if (r.status >= 300) {
      stats.refused++;
      log(`refused: ${label}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
    }
    return r.status < 300;
  };
  const registeredAt = new Map(s.households.map((h) => [h.id, Date.parse(h.registeredAt)]));
  const sizeOf = new Map(s.households.map((h) => [h.id, h.members.length]));
  for (const c of chunksOf(s)) {
    for (const h of c.households) {
      // Sent with the desk's queue (the batch endpoint), at the time the desk registered it.
      const household = {
        id: h.id,
        siteId: h.siteId,
        registeredAt: h.registeredAt,
        members: h.members.map((m) => ({ ...m, ...(m.tag ? { tag: tags.map(m.tag) } : {}) })),
      };
      out.push({ at: Date.parse(h.registeredAt), order: 0, label: `household ${h.id}`, key: `h:${h.id}`, household });
    }
    const convoy = c.convoy;
    out.push({
      at: Date.parse(convoy.departedAt) - 3 * 3_600_000,
      order: 1,
      label: `convoy ${convoy.label}`,
      key: `c:${convoy.id}`,
      run: async () => {
        await api.must('POST', p('/convoys'), { id: convoy.id, routeId: convoy.routeId, name: convoy.label });
        for (const v of convoy.vehicles)
          await api.must('POST', p(`/convoys/${convoy.id}/vehicles`), {
            id: v.id,
            kind: v.kind,
            capacity: v.capacity,
            mode: v.mode,
            plate: v.label,
          });
      },
    });
    const boarded = new Map<string, ScenarioFact>();
    for (const f of c.facts) if (f.kind === 'boarded' && f.personId && !isPhoneBoarding(f)) boarded.set(f.personId, f);
    // A boarding is sent after the household's registration and before the server learns the
    // convoy has left: its departure, or any later movement that reached the server first (a
    // phone that had signal at a halt while the departure was still queued on another).
    const moved = c.facts.filter((f) => f.kind !== 'boarded').map((f) => Date.parse(f.receivedAt));
    const departedAt = Math.min(Date.parse(convoy.departedAt), ...moved);
    const boardAt = (householdId: string, f: ScenarioFact | undefined) =>
      Math.max(registeredAt.get(householdId) ?? 0, Math.min(Date.parse(f?.receivedAt ?? convoy.departedAt), departedAt - 1));
    for (const v of convoy.vehicles) {
      if (v.mode === 'head_count') {
        const f = c.facts.find((x) => x.kind === 'boarded' && x.vehicleId === v.id && !x.personId);
        if (!v.headCount?.length) continue;
        out.push({
          at: Math.min(Date.parse(f?.receivedAt ?? convoy.departedAt), departedAt - 1),
          order: 2,
          label: `head count ${v.label}`,
          after: [`c:${convoy.id}`],
          run: async () => {
            if (
              await soft(`head count ${v.label}`, 'POST', p(`/convoys/${convoy.id}/head-counts`), {
                vehicleId: v.id,
                rows: v.headCount,
                at: f?.deviceTime ?? convoy.departedAt,
              })
            )
              stats.boardings++;
          },
        });
        continue;
      }
      const groups = new Map<string, typeof v.manifest>();
      for (const m of v.manifest) groups.set(m.householdId, [...(groups.get(m.householdId) ?? []), m]);
      for (const [householdId, members] of groups) {
        const first = members
          .map((m) => boarded.get(m.personId))
          .filter((f): f is ScenarioFact => f !== undefined)
          .sort((x, y) => (x.deviceTime < y.deviceTime ? -1 : 1))[0];
        const householdSize = sizeOf.get(householdId) ?? members.length;
        const whole = householdSize === members.length;
        const splitReason = convoy.vehicles
          .flatMap((x) => x.manifest)
          .find((m) => m.householdId === householdId && m.splitReason)?.splitReason;
        const body = {
          householdId,
          vehicleId: v.id,
          ...(whole ? {} : { memberIds: members.map((m) => m.personId), ...(splitReason ? { splitReason } : {}) }),
          at: first?.deviceTime ?? convoy.departedAt,
        };
        out.push({
          at: boardAt(householdId, first),
          order: 2,
          label: `boarding ${householdId}`,
          after: [`h:${householdId}`, `c:${convoy.id}`],
          boarding: { convoyId: convoy.id, body },
        });
      }
    }
    for (const f of c.facts) {
      // The board's boardings go above; an offline phone's is a fact like the others.
      if (f.kind === 'boarded' && !isPhoneBoarding(f)) continue;
      out.push({ at: Date.parse(f.receivedAt), order: 3, label: `fact ${f.id}`, fact: f });
    }
  }
  return out.sort((a, b) => a.at - b.at || a.order - b.order);
}

/** Runs the replay; resolves when everything was sent (or maxSeconds passed). */
export async function replay(
  opts: ReplayOptions,
): Promise<{ operationId: string; seconds: number; households: number; boardings: number; facts: number; refused: number }> {
  const log =
    opts.log ??
    ((l: string) => {
      process.stdout.write(`${l}\n`);
    });
  const generated = generateScenario({ seed: opts.seed ?? DEMO_SEED, people: opts.people });
  const s = shiftScenario(generated, opts.dates === '2016' ? 0 : shiftDaysEndingAt(generated, new Date()));
  const api = new Api(opts.url.replace(/\/$/, ''));
  await api.login(opts.username, opts.password);
  const stamp = new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '').toLowerCase();
  const o = s.operation;
  const created = (await api.must('POST', '/api/operations', {
    code: `aleppo-replay-${stamp}`.slice(0, 40),
    nameEn: `${o.nameEn} (replay ${stamp})`,
    nameAr: o.nameAr,
    originArea: o.originArea,
    status: 'active',
    timeZone: o.timeZone,
  })) as { id: string };
  const operationId = created.id;
  const p = (path: string) => `/api/operations/${operationId}${path}`;
  // Nobody grants roles to themselves: the system admin makes an account for the replay's desks,
  // grants it their roles (a system admin needs no second approval) and the replay works as it.
  const desk = { username: `replay-${stamp}-${randomBytes(3).toString('hex')}`, password: randomBytes(15).toString('base64url') };
  const deskUser = (await api.must('POST', '/api/users', {
    username: desk.username,
    displayName: `Replay ${stamp}`,
    password: desk.password,
  })) as { id: string };
  await api.must('PUT', p(`/staff/${deskUser.id}`), {
    roles: ['admin', 'coordinator', 'registrar', 'convoy_officer', 'checkpoint_monitor', 'reception_officer', 'viewer'],
  });
  await api.login(desk.username, desk.password);
  // Its roles require a second factor on a server that asks for one (CORRIDOR_2FA_ROLES): it sets one up, as a person would.
  if ((await api.get<{ pending: string | null }>('/api/auth/me')).pending === 'second_factor_enrolment') {
    const { secret } = (await api.must('POST', '/api/auth/second-factor/setup', {})) as { secret: string };
    await api.must('POST', '/api/auth/second-factor/enable', { code: await generate({ secret }) });
  }
  for (const site of s.sites)
    await api.must('POST', p('/sites'), {
      id: site.id,
      kind: site.kind,
      nameEn: site.nameEn,
      nameAr: site.nameAr,
      lat: site.lat,
      lon: site.lon,
      ...(site.capacity > 0 ? { capacity: site.capacity } : {}),
    });
  for (const r of s.routes) await api.must('POST', p('/routes'), { id: r.id, name: r.nameEn, nameAr: r.nameAr, siteIds: r.siteIds });
  for (const w of s.windows)
    if (w.departuresAllowed)
      await api.must('POST', p('/movement-windows'), {
        start: w.from,
        end: w.to,
        note: w.noteEn.slice(0, 200),
        noteAr: w.noteAr.slice(0, 200),
      });
  const tags = new TagMap();
  const spans = usedSpans(s);
  for (const site of s.sites) {
    let left = Math.max(2000, Math.ceil((spans.get(site.id) ?? 0) / 2000) * 2000);
    let base: number | undefined;
    while (left > 0) {
      const count = Math.min(left, 100_000);
      const r = (await api.must('POST', p('/tag-ranges'), { count, siteId: site.id, label: `${site.nameEn} wristbands` })) as {
        firstSerial: number;
      };
      base ??= r.firstSerial;
      left -= count;
    }
    tags.set(site.tagRange.first, site.tagRange.last, base as number);
  }
  log(
    `Replaying ${o.nameEn} into operation ${operationId} (${opts.people.toLocaleString('en')} people, ${s.convoys.length} convoys, ${s.facts.length.toLocaleString('en')} facts) at ${opts.speed}× — open ${opts.url.replace(/\/$/, '')}/ to watch.`,
  );

  const stats = { households: 0, boardings: 0, facts: 0, refused: 0 };
  const plan = steps(s, api, () => operationId, tags, stats, log);
  const simStart = (plan[0]?.at ?? Date.parse(o.startsAt)) - 60_000;
  const t0 = performance.now();
  const simNow = () => simStart + (performance.now() - t0) * opts.speed;
  const desks = Math.max(1, opts.desks ?? 4);
  const started = new Map<string, Promise<void>>();
  /** Everything sent and not yet answered; `atDesks` the part a desk is busy with (phones' fact batches are not). */
  const running = new Set<Promise<void>>();
  const atDesks = new Set<Promise<void>>();
  let failure: unknown;
  const launch = (waits: readonly Promise<void>[], keys: readonly string[], work: () => Promise<void>, desk = true) => {
    const run: Promise<void> = Promise.all(waits)
      .then(work)
      .catch((err: unknown) => {
        failure ??= err;
      })
      .finally(() => {
        running.delete(run);
        atDesks.delete(run);
      });
    running.add(run);
    if (desk) atDesks.add(run);
    for (const k of keys) started.set(k, run);
  };
  const after = (keys: readonly string[]) => keys.flatMap((k) => started.get(k) ?? []);
  const settle = async () => {
    await Promise.all(running);
    if (failure) throw failure;
  };
  const freeDesk = async () => {
    while (atDesks.size >= desks) await Promise.race(atDesks);
  };
  /** The steps from `i` on that are due by `now` and carry `field` (what one request sends together), at most `max`. */
  const takeDue = (field: 'fact' | 'household' | 'boarding', now: number, max: number): Step[] => {
    const out: Step[] = [];
    while (i < plan.length && out.length < max) {
      const next = plan[i] as Step;
      if (!next[field] || next.at > now) break;
      // One officer's queue is one convoy's.
      if (field === 'boarding' && next.boarding?.convoyId !== out[0]?.boarding?.convoyId && out.length > 0) break;
      out.push(next);
      i++;
    }
    return out;
  };
  /** One batch request; refused, it is counted and printed, not thrown (the replay goes on). */
  const sendBatch = async (what: 'facts' | 'households' | 'boardings', path: string, body: unknown, n: number) => {
    const r = await api.send('POST', p(path), body);
    if (r.status >= 300) {
      stats.refused += n;
      log(`refused: ${n} ${what}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
    } else stats[what] += n;
  };
  let i = 0;
  let lastLog = 0;
  while (i < plan.length) {
    if (failure) throw failure;
    if (opts.maxSeconds !== undefined && performance.now() - t0 > opts.maxSeconds * 1000) break;
    const now = simNow();
    const step = plan[i] as Step;
    if (step.at > now) {
      await new Promise((r) => setTimeout(r, Math.min(250, (step.at - now) / opts.speed)));
      continue;
    }
    if (step.fact) {
      // Facts due now go together, at most 500 to a batch: what a phone's queue sends on
      // reconnecting. The batch reaches the server after everything sent before it (earlier
      // batches, the boardings and convoys it speaks of); the desks go on meanwhile.
      const batch = takeDue('fact', now, 500);
      const body = {
        facts: batch.map((b) => {
          const { receivedAt: _r, operationId: _o, ...f } = b.fact as ScenarioFact;
          return f;
        }),
      };
      launch([...running], ['facts'], () => sendBatch('facts', '/facts', body, batch.length), false);
    } else if (step.household) {
      // Households due now go in one desk queue, at most 100 to a batch.
      const queue = takeDue('household', now, 100);
      await freeDesk();
      launch(
        [],
        queue.map((q) => q.key as string),
        () => sendBatch('households', '/households/batch', { households: queue.map((q) => q.household) }, queue.length),
      );
    } else if (step.boarding) {
      // A convoy officer's boardings due now on one convoy go in one queue, at most 200 to a
      // batch, after the households' registrations, the convoy and the phones' facts before them.
      const queue = takeDue('boarding', now, 200);
      const convoyId = step.boarding.convoyId;
      await freeDesk();
      launch(after([...new Set(queue.flatMap((q) => q.after ?? [])), 'facts']), [], () =>
        sendBatch('boardings', `/convoys/${convoyId}/boardings/batch`, { boardings: queue.map((q) => q.boarding?.body) }, queue.length),
      );
    } else {
      await freeDesk();
      // Convoys and head counts also wait for the phones' facts sent before them (a second leg's
      // boarding needs the first leg's arrival); registration queues do not.
      launch(after([...(step.after ?? []), 'facts']), step.key ? [step.key] : [], step.run);
      i++;
    }
    if (performance.now() - lastLog > 5000) {
      lastLog = performance.now();
      const lag = (now - step.at) / 1000 / opts.speed;
      log(
        `  ${new Date(wallClockOf(s.operation.timeZone, step.at)).toISOString().slice(0, 16).replace('T', ' ')} (Aleppo time) · ${stats.households} households · ${stats.boardings} boardings · ${stats.facts} facts${stats.refused ? ` · ${stats.refused} refused` : ''}${lag > 5 ? ` · ${lag.toFixed(0)} s behind` : ''}`,
      );
    }
  }
  await settle();
  const seconds = (performance.now() - t0) / 1000;
  log(
    `Replay done in ${seconds.toFixed(0)} s: ${stats.households} households, ${stats.boardings} boardings and head counts, ${stats.facts} facts${stats.refused ? `, ${stats.refused} refused` : ''}.`,
  );
  return { operationId, seconds, ...stats };
}
