/**
 * Import of a list of N people (100,000 by default; BENCH_IMPORT_ROWS for a quick run) through
 * `corridor import`'s service — read, check every row, register through the desk's use case in
 * chunks — beside a raw COPY of the same CSV rows into a plain table, in the same run; and the
 * p95 of a desk registration (the API, one household) made while the import runs, beside the
 * p95 with no import. The import gives way to the requests being answered, as the import route
 * runs it. The batch duplicate scan that follows a large import is timed on its own.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { ulid } from 'ulid';
import { openDbOn, PGLITE_PARSERS, type Db } from '../src/db/connection.js';
import { migrate } from '../src/db/migrate.js';
import { generateScenario } from '../src/demo/scenario/index.js';
import { permissionsOf } from '../src/domain/policy.js';
import { buildApp } from '../src/server/app.js';
import { createUser } from '../src/services/accounts/auth.js';
import { planImport } from '../src/services/import/plan.js';
import { openImportRun, writeImport } from '../src/services/import/write.js';
import { KeyRing } from '../src/services/keys/keyring.js';
import { deskAccount } from './accounts.js';
import { percentile, type BenchRow } from './lib.js';
import { benchTargets } from './targets.js';

const HEADER = ['رقم العائلة', 'الاسم', 'اسم الأب', 'الكنية', 'الجنس', 'العمر'];

function csvOf(rows: number): string {
  const scenario = generateScenario({ seed: 11, people: Math.ceil(rows * 1.1) });
  const people = scenario.households.flatMap((h) => h.members.map((m) => ({ h: h.id, m })));
  const lines = [HEADER.join(',')];
  for (let i = 0; i < rows; i++) {
    const { h, m } = people[i % people.length]!;
    const n = (m.names as { ar?: Record<string, string> }).ar ?? {};
    const age = m.estimatedAge ?? (m.dateOfBirth ? 2016 - Number(m.dateOfBirth.slice(0, 4)) : 30);
    lines.push(
      [
        `${h}-${Math.floor(i / people.length)}`,
        n.given ?? 'سامر',
        n.father ?? '',
        n.family ?? 'الحلبي',
        m.sex === 'female' ? 'أنثى' : 'ذكر',
        String(Math.max(0, age)),
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The database with, for PGlite, the instance itself (COPY reads its file from a blob there). */
async function openTarget(
  name: 'pglite' | 'postgres',
): Promise<{ db: Db; copy: (csv: string) => Promise<void>; close: () => Promise<void> }> {
  const copyTable = 'create table bench_copy (household text, given text, father text, family text, sex text, age text)';
  if (name === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'corridor-bench-import-'));
    const pglite = await PGlite.create({ dataDir: dir, parsers: PGLITE_PARSERS });
    const db = openDbOn(pglite);
    await migrate(db);
    return {
      db,
      async copy(csv) {
        await db.exec(copyTable);
        await pglite.query(`copy bench_copy from '/dev/blob' with (format csv, header true)`, [], { blob: new Blob([csv]) });
      },
      async close() {
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const target = benchTargets().find((t) => t.name === 'postgres')!;
  const db = await target.open();
  return {
    db,
    async copy(csv) {
      // A server-side COPY from a file (the database runs on this machine, as in the test setup).
      const dir = mkdtempSync(join(tmpdir(), 'corridor-copy-'));
      chmodSync(dir, 0o755);
      const file = join(dir, 'rows.csv');
      writeFileSync(file, csv, { mode: 0o644 });
      await db.exec(copyTable);
      await db.exec(`copy bench_copy from '${file}' with (format csv, header true)`);
      rmSync(dir, { recursive: true, force: true });
    },
    close: () => db.close(),
  };
}

export async function runImportBench(opts: { rows: number }): Promise<BenchRow[]> {
  const rows = Number(process.env.BENCH_IMPORT_ROWS ?? opts.rows);
  const csv = csvOf(rows);
  const out: BenchRow[] = [];
  for (const { name } of benchTargets()) {
    const { db, copy, close } = await openTarget(name);
    try {
      const keys = new KeyRing(randomBytes(32));
      const app = await buildApp({ db, keys, logLevel: 'warn' });
      await app.ready();
      await db.kysely
        .transaction()
        .execute((trx) =>
          createUser(
            trx,
            { username: 'bench', displayName: 'Bench', password: 'bench-password-123', isAdmin: true },
            { id: null, kind: 'system' },
            new Date(),
          ),
        );
      const login = async () => {
        const r = await app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: 'bench', password: 'bench-password-123' },
        });
        return String([r.headers['set-cookie']].flat()[0]).split(';')[0] as string;
      };
      let cookie = await login();
      const send = (method: 'POST' | 'PUT', url: string, payload: object) =>
        app.inject({ method, url, payload, headers: { cookie, 'idempotency-key': ulid() } });
      const op = JSON.parse((await send('POST', '/api/operations', { code: 'bench-import', nameEn: 'Bench' })).body).id as string;
      await send('POST', `/api/operations/${op}/sites`, { id: 'desk', kind: 'assembly_point', nameEn: 'Desk' });
      // The desk registering beside the import, and the import itself, act as a registrar.
      const registrar = await deskAccount(app, db, op, cookie, ['registrar']);
      cookie = registrar.cookie;

      const t0 = performance.now();
      await copy(csv);
      const copySeconds = (performance.now() - t0) / 1000;

      let deskN = 0;
      const desk = async () => {
        const payload = {
          siteId: 'desk',
          members: [{ names: { lat: { given: `Desk${deskN++}`, family: 'Bench' } }, sex: 'female', estimatedAge: 30 }],
        };
        const s = performance.now();
        const r = await send('POST', `/api/operations/${op}/households`, payload);
        if (r.statusCode !== 201) throw new Error(`desk registration: ${r.statusCode} ${r.body}`);
        return performance.now() - s;
      };
      const idle: number[] = [];
      for (let i = 0; i < 100; i++) idle.push(await desk());

      const actor = {
        keys,
        operationId: op,
        roles: ['registrar' as const],
        permissions: permissionsOf(['registrar']),
        actor: { kind: 'user' as const, id: registrar.id, name: 'bench', isAdmin: false },
      };
      const busy: number[] = [];
      let importing = true;
      const desks = (async () => {
        while (importing) {
          busy.push(await desk());
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
      const t1 = performance.now();
      const files = [{ name: 'list.csv', bytes: Buffer.from(csv) }];
      const plan = await planImport({ ...actor, db: db.kysely, now: new Date() }, files, { defaultSite: 'desk' });
      const importId = await db.kysely.transaction().execute((trx) => openImportRun({ ...actor, db: trx, now: new Date() }, plan));
      // The scan is timed apart: written rows first (the desks run beside them), then the scan alone.
      const scanStart = { at: 0 };
      const outcome = await writeImport(
        {
          db,
          clock: () => new Date(),
          // As the import route runs it: giving way to the requests the server is answering.
          giveWay: app.giveWay,
          onProgress: (p) => {
            if (p.done + p.skipped + p.invalid >= p.total && scanStart.at === 0) {
              scanStart.at = performance.now();
              importing = false;
            }
          },
        },
        actor,
        importId,
        plan,
      );
      importing = false;
      await desks;
      const t2 = performance.now();
      const importSeconds = ((scanStart.at || t2) - t1) / 1000;
      if (outcome.people !== rows) throw new Error(`imported ${outcome.people} of ${rows} people (${plan.issues.length} issues)`);
      const g = `import of ${rows.toLocaleString('en')} people (CSV, households of ~4)`;
      out.push({
        group: g,
        figure: 'rows/s (read, check, register)',
        target: name,
        value: rows / importSeconds,
        unit: 'rows/s',
        baseline: { label: 'raw COPY of the same rows', value: rows / copySeconds },
        ...(name === 'postgres' ? { goal: '≥ 0.30× COPY', pass: rows / importSeconds >= 0.3 * (rows / copySeconds) } : {}),
      });
      out.push({
        group: g,
        figure: 'batch duplicate scan after it',
        target: name,
        value: scanStart.at ? (t2 - scanStart.at) / 1000 : 0,
        unit: 's',
      });
      idle.sort((a, b) => a - b);
      busy.sort((a, b) => a - b);
      out.push({
        group: g,
        figure: `desk registration p95 during the import (${busy.length} made)`,
        target: name,
        value: percentile(busy, 95),
        unit: 'ms',
        baseline: { label: 'p95 with no import', value: percentile(idle, 95) },
        goal: '≤ 2× without',
        pass: percentile(busy, 95) <= 2 * percentile(idle, 95),
      });
      // Other work on the machine slows both sides of each ratio, but not always alike.
      out.push({
        group: g,
        figure: `machine load average (1 min) at the end, on ${cpus().length} cores`,
        target: name,
        value: loadavg()[0] ?? Number.NaN,
        unit: '',
      });
      await app.close();
    } finally {
      await close();
    }
  }
  return out;
}
