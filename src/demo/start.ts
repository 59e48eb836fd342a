/**
 * The demo at `corridor serve` (`npm start`): on a database with no operation, the demo operation
 * (a week modelled on the evacuation of eastern Aleppo in December 2016, placed on today's
 * calendar: src/demo/scenario/timeline.ts) is set up before the server listens (seconds), then loaded through the services
 * while it serves, with a progress bar; the dashboard shows the numbers growing, and every
 * number it shows is whole (each step commits its counts with its records). A load cut short
 * resumes at the next start; a loaded operation is reused and nothing is created twice.
 *
 * Several servers may start at once on one database (PostgreSQL). The demo's setup runs under the
 * startup lock, and its load under a lock of its own, taken before the startup lock is let go and
 * held until the load ends: a server that finds the operation there but cannot take the load lock
 * knows another server is loading it, and serves without touching it (no new passwords, no second
 * `demo.loaded`). A load whose server died released the lock with its connection: the next start
 * resumes it. Demo accounts are created only on a database with no operation at all.
 *
 * CORRIDOR_DEMO=0 starts empty. CORRIDOR_DEMO_PEOPLE sets the population (34,000 by default),
 * CORRIDOR_DEMO_SEED the seed (2016), CORRIDOR_DEMO_DATES where its week sits when it is set up:
 * `today` (the default: its last day is today, a movement window open now) or `2016` (the
 * scenario's own dates, 15–22 December 2016).
 */
import { takeDbLock, withDbLock, type HeldLock } from '../db/database-lock.js';
import type { Booted } from '../server/boot.js';
import type { ServerHooks } from '../server/server.js';
import { firstActiveAdminId } from '../services/demo/load-state.js';
import { DEFAULT_PEOPLE, wallClockOf } from './scenario/index.js';
import {
  DEMO_OPERATION_ID,
  DEMO_SEED,
  demoState,
  hasNoOperation,
  prepareDemo,
  runDemoLoad,
  type DemoDates,
  type LoadProgress,
  type PreparedDemo,
} from './load.js';

export interface DemoSettings {
  enabled: boolean;
  people: number;
  seed: number;
  dates: DemoDates;
}

export function demoSettings(enabled: boolean, env: NodeJS.ProcessEnv = process.env): DemoSettings {
  const int = (name: string, fallback: number, min: number, max: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`Configuration is not valid:\n  ${name}: give a whole number from ${min} to ${max}`);
    return n;
  };
  return {
    enabled,
    people: int('CORRIDOR_DEMO_PEOPLE', DEFAULT_PEOPLE, 50, 1_000_000),
    seed: int('CORRIDOR_DEMO_SEED', DEMO_SEED, 0, 2 ** 31 - 1),
    dates: dates(env.CORRIDOR_DEMO_DATES),
  };
}

function dates(raw: string | undefined): DemoDates {
  if (raw === undefined || raw === '' || raw === 'today') return 'today';
  if (raw === '2016') return '2016';
  throw new Error(
    'Configuration is not valid:\n  CORRIDOR_DEMO_DATES: give today (the demo week ends today) or 2016 (its December 2016 dates)',
  );
}

/** The demo's week as the operation's calendar has it (in its time zone), e.g. "28 Nov – 5 Dec 2026". */
export function weekOf(p: PreparedDemo): string {
  const day = (iso: string) =>
    new Date(wallClockOf(p.scenario.operation.timeZone, Date.parse(iso))).toLocaleDateString('en-GB', {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      timeZone: 'UTC',
    });
  return `${day(p.scenario.operation.startsAt)} – ${day(p.scenario.operation.endsAt)}`;
}

/** A one-line bar on a terminal; elsewhere (a log file, a test) a line every few seconds. */
export function progressPrinter(out: NodeJS.WriteStream | { isTTY?: boolean; write(s: string): unknown } = process.stdout) {
  const t0 = performance.now();
  let lastLine = 0;
  return (p: LoadProgress, done = false) => {
    const secs = (performance.now() - t0) / 1000;
    const share = p.totalPeople === 0 ? 1 : Math.min(1, p.people / p.totalPeople);
    const frac = done ? 1 : Math.min(share, p.totalConvoys ? (p.convoys + 0.5) / p.totalConvoys : 1);
    const width = 30;
    const bar = '█'.repeat(Math.round(frac * width)).padEnd(width, '░');
    const after =
      p.stage === 'tracing'
        ? ` · tracing requests ${p.tracing}/${p.totalTracing}`
        : p.stage === 'duplicates'
          ? ' · scanning for duplicates'
          : '';
    const text = `Loading the demo operation ${bar} ${p.people.toLocaleString('en')}/${p.totalPeople.toLocaleString('en')} people · convoy ${p.convoys}/${p.totalConvoys} · ${p.facts.toLocaleString('en')} facts${after} · ${secs.toFixed(0)} s`;
    if (out.isTTY) {
      out.write(`\r${text}${done ? '\n' : ''}`);
    } else if (done || performance.now() - lastLine > 5000) {
      lastLine = performance.now();
      out.write(`${text}\n`);
    }
  };
}

async function firstAdminId(b: Booted): Promise<string | undefined> {
  return firstActiveAdminId(b.db.kysely);
}

/** Server hooks that set the demo up before listening and load it while serving. */
export function demoHooks(
  settings: DemoSettings,
  log: (line?: string) => void = (l = '') => {
    process.stdout.write(`${l}\n`);
  },
): ServerHooks & { loaded: Promise<void> } {
  let prepared: PreparedDemo | undefined;
  let loading: HeldLock | undefined;
  let resolveLoaded: () => void = () => undefined;
  const loaded = new Promise<void>((r) => {
    resolveLoaded = r;
  });
  return {
    loaded,
    // The demo operation's accounts (and the printed admin, who administers it) log in with a
    // password alone: the demo is for trying Corridor out, on a database holding nothing else.
    // Roles in any other operation still need the second factor (docs/security.md).
    secondFactorExemptOperations: settings.enabled ? [DEMO_OPERATION_ID] : [],
    afterBoot: async (b) => {
      if (!settings.enabled) return resolveLoaded();
      await withDbLock(b.db, 'startup', async () => {
        const state = await demoState(b.db.kysely);
        // Someone's own operations: the demo stays out of their database.
        if (state === 'loaded' || (state === 'absent' && !(await hasNoOperation(b.db.kysely)))) return;
        const held = await takeDbLock(b.db, 'demoLoad', { wait: false });
        if (!held) {
          log('Demo: another server is loading the demo operation; serving meanwhile.');
          return;
        }
        try {
          const adminId = await firstAdminId(b);
          if (!adminId) {
            log('Demo: no administrator account to set the demo operation up; starting without it.');
            return await held.release();
          }
          log(
            state === 'absent'
              ? `Demo: setting up the demo operation, modelled on the evacuation of eastern Aleppo in December 2016 (${settings.people.toLocaleString('en')} synthetic people, seed ${settings.seed})…`
              : 'Demo: resuming the demo load that was cut short…',
          );
          prepared = await prepareDemo(b.db, b.keys, {
            adminId,
            people: settings.people,
            seed: settings.seed,
            dates: settings.dates,
          });
          loading = held;
        } catch (err) {
          await held.release();
          throw err;
        }
      });
      if (!prepared) resolveLoaded();
    },
    afterListen: async (b, address) => {
      if (!prepared) return;
      const p = prepared;
      const url = address.replace('127.0.0.1', 'localhost');
      log('');
      log(`Demo operation: ${p.scenario.operation.nameEn} (${p.operationId}) — open ${url}/ and sign in.`);
      log(
        p.shiftDays > 0
          ? `Its week, modelled on 15–22 December 2016, runs ${weekOf(p)}; departures are allowed until ${new Date(Date.parse(p.scenario.windows[p.scenario.windows.length - 1]?.to ?? p.scenario.operation.endsAt)).toISOString().slice(0, 16).replace('T', ' ')} UTC.`
          : `Its week is on the scenario's own dates, ${weekOf(p)}.`,
      );
      if (p.accounts.length) {
        log(
          'One demo account per role, a second tracing officer to confirm what the first proposes, and a field lead (operation admin, with every role a device can have) to register phones; these passwords are shown only once:',
        );
        for (const a of p.accounts) log(`  ${a.label.padEnd(19)} username: ${a.username.padEnd(36)} password: ${a.password}`);
      }
      log('All names and people in the demo are synthetic.');
      log('');
      const show = progressPrinter();
      const t0 = performance.now();
      let last: LoadProgress | undefined;
      void runDemoLoad(b.db, b.keys, p, (x) => {
        if (x.stage !== 'convoys' && last?.stage === 'convoys') {
          show(last, true);
          log(
            `Demo: operation loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s — every count on the dashboard is complete. Now the tracing requests and the duplicate scan…`,
          );
        }
        last = x;
        show(x);
      })
        .then((r) => {
          if (last) show(last, true);
          log(
            `Demo: loaded ${p.scenario.truth.totals.registeredRecords.toLocaleString('en')} people, ${p.scenario.convoys.length} convoys and ${r.facts.toLocaleString('en')} facts in ${r.convoySeconds.toFixed(1)} s; ${p.scenario.tracingRequests.length} tracing requests in ${r.tracingSeconds.toFixed(1)} s; ${r.proposedDuplicates.toLocaleString('en')} possible duplicates proposed for review in ${r.duplicateSeconds.toFixed(1)} s.`,
          );
        })
        .catch((err: unknown) => {
          log('');
          log(`Demo: the load stopped (${err instanceof Error ? err.message : String(err)}); it resumes at the next start.`);
        })
        .finally(() => {
          void (loading?.release() ?? Promise.resolve()).then(resolveLoaded);
        });
    },
  };
}
