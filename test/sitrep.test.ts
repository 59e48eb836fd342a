/**
 * The situation report on the demo operation (small population), on each database: its figures
 * are the count's, the outside sources the demo records sit beside Corridor's with their
 * differences computed, the English and Arabic PDFs carry the figures and Arabic words
 * (pdftotext) and render to a page that is not blank (pdftoppm), a report verifies against the
 * database, and an edited copy — visible text or embedded figures — does not.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/server/app.js';
import { KeyRing } from '../src/services/keys/keyring.js';
import { ensureFirstAdmin } from '../src/services/accounts/auth.js';
import { findUserByUsername } from '../src/db/queries/users.js';
import { loadDemo, type LoadResult } from '../src/demo/load.js';
import { produceReportFile, verifyReportFile } from '../src/services/sitrep/report-file.js';
import { readPayload } from '../src/services/sitrep/payload.js';
import { dialects, type TestDb } from './support/db.js';
import type { Ctx } from '../src/services/context.js';
import { permissions } from '../src/domain/policy.js';
import { updatePerson } from '../src/services/persons/persons.js';
import { confirmMerge } from '../src/services/matching/duplicate-reviews.js';

const PEOPLE = 400;
const hasPoppler = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

for (const dialect of dialects) {
  describe(`situation report (${dialect.name})`, () => {
    let db: TestDb;
    let keys: KeyRing;
    let app: FastifyInstance;
    let demo: LoadResult;
    const cookies = new Map<string, string>();
    const dir = mkdtempSync(join(tmpdir(), 'corridor-sitrep-'));

    const call = async (role: string, method: 'GET' | 'POST', url: string, payload?: unknown) => {
      const r = await app.inject({
        method,
        url,
        headers: { cookie: cookies.get(role) ?? '', ...(method === 'POST' ? { 'idempotency-key': randomUUID() } : {}) },
        ...(payload !== undefined ? { payload: payload as object } : {}),
      });
      return { status: r.statusCode, body: JSON.parse(r.body) as Record<string, unknown> & unknown[] };
    };

    before(async () => {
      db = await dialect.open();
      keys = new KeyRing(randomBytes(32));
      await db.kysely.transaction().execute((trx) => ensureFirstAdmin(trx, new Date()));
      const adminId = (await findUserByUsername(db.kysely, 'admin'))!.id;
      demo = await loadDemo(db, keys, { adminId, people: PEOPLE });
      app = await buildApp({ db, keys, logLevel: 'silent' });
      await app.ready();
      for (const a of demo.accounts) {
        const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: a.username, password: a.password } });
        assert.equal(login.statusCode, 200, login.body);
        cookies.set(a.role, String([login.headers['set-cookie']].flat()[0]).split(';')[0] as string);
      }
    });
    after(async () => {
      await app?.close();
      await db?.close();
    });

    test("the report's totals are the count's, and the demo's outside sources stand beside them, explained", async () => {
      const counts = await call('viewer', 'GET', `/api/operations/${demo.operationId}/counts`);
      const r = await call('viewer', 'POST', `/api/operations/${demo.operationId}/sitrep`, { format: 'html', lang: 'en' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const payload = readPayload(Buffer.from(String(r.body.contentBase64), 'base64'));
      const totals = counts.body.totals as Record<string, number>;
      for (const m of ['registered', 'boarded', 'in_transit', 'arrived', 'missing', 'turned_back', 'everyone'])
        assert.equal((payload.figures.totals as Record<string, number>)[m], totals[m], m);
      assert.equal(payload.figures.totals.left, totals.in_transit! + totals.arrived! + totals.missing!);
      // Injured, killed and detained in incidents: the count's casualty cells, as the counts answer them.
      assert.deepEqual((payload.figures as unknown as { casualties: unknown }).casualties, counts.body.casualties);
      assert.match(Buffer.from(String(r.body.contentBase64), 'base64').toString('utf8'), /People injured/);
      assert.equal(payload.proof.countsVerify.ok, true);
      assert.ok(payload.proof.lastFact, 'names the last fact counted');
      assert.ok(payload.proof.auditHead && payload.proof.auditHead.n > 0);
      const [fighters, left] = payload.figures.sources;
      assert.equal(payload.figures.sources.length, 2);
      // Head-count vehicles: Corridor's head count at the source's time is the reading, and it agrees ("more than").
      assert.equal(fighters?.claims, 'head_count_vehicles');
      assert.equal(fighters?.corridorAtSourceTime, payload.figures.excludes.headCountOnly.left);
      assert.ok(fighters!.corridorAtSourceTime > 0);
      assert.equal(left?.claims, 'left');
      assert.equal(left?.corridorAtSourceTime, payload.figures.totals.left);
      const readings = new Map(left!.readings.map((x) => [x.kind, x.figure]));
      assert.equal(readings.get('without_head_count'), left!.corridorAtSourceTime - left!.atSourceTime.headCountLeft);
      assert.equal(left!.agrees, true, JSON.stringify(left));
      // The audit records who produced which report.
      const audited = await db.kysely
        .selectFrom('audit_log')
        .select(['action', 'details'])
        .where('operation_id', '=', demo.operationId)
        .where('action', 'in', ['sitrep.produced', 'sitrep.source_recorded'])
        .execute();
      assert.equal(audited.filter((a) => a.action === 'sitrep.source_recorded').length, 2);
      assert.ok(audited.some((a) => a.action === 'sitrep.produced' && (a.details as { digest: string }).digest === payload.digest));
    });

    test('a report verifies; an edited copy (visible text or embedded figures) does not', async () => {
      const r = await call('coordinator', 'POST', `/api/operations/${demo.operationId}/sitrep`, { format: 'html', lang: 'ar' });
      const html = Buffer.from(String(r.body.contentBase64), 'base64').toString('utf8');
      assert.match(html, /dir="rtl"/);
      assert.match(html, /تقرير الوضع/);
      const ok = await call('viewer', 'POST', `/api/operations/${demo.operationId}/sitrep/verify`, {
        contentBase64: Buffer.from(html).toString('base64'),
      });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.deepEqual(ok.body.problems, []);
      assert.equal(ok.body.ok, true);

      const left = String((JSON.parse(readPayloadJson(html)) as { figures: { totals: { left: number } } }).figures.totals.left);
      const visible = html.replace(`<td class="n">${Number(left).toLocaleString('en')}</td>`, `<td class="n">${Number(left) + 1000}</td>`);
      assert.notEqual(visible, html);
      const v1 = await call('viewer', 'POST', `/api/operations/${demo.operationId}/sitrep/verify`, {
        contentBase64: Buffer.from(visible).toString('base64'),
      });
      assert.equal(v1.body.ok, false);
      assert.deepEqual(v1.body.problems, ['file_altered']);

      const embedded = html.replace(`"left":${left}}`, `"left":${Number(left) + 1000}}`);
      assert.notEqual(embedded, html);
      const v2 = await call('viewer', 'POST', `/api/operations/${demo.operationId}/sitrep/verify`, {
        contentBase64: Buffer.from(embedded).toString('base64'),
      });
      assert.equal(v2.body.ok, false);
      assert.ok((v2.body.problems as string[]).includes('digest_mismatch'));
      assert.ok((v2.body.problems as string[]).includes('figures_differ'));
      assert.deepEqual(v2.body.differingFigures, ['totals']);

      const junk = await call('viewer', 'POST', `/api/operations/${demo.operationId}/sitrep/verify`, {
        contentBase64: Buffer.from('<html>hello</html>').toString('base64'),
      });
      assert.equal(junk.status, 400);
      assert.equal((junk.body.error as { code: string }).code, 'sitrep.not_a_report');
    });

    test('a report as of an earlier time counts only the facts received by then, and verifies', async () => {
      const asOf = new Date('2016-12-19T12:00:00Z');
      const { sitrep, file } = await db.kysely
        .transaction()
        .execute((trx) => produceReportFile(trx, keys, demo.operationId, { now: new Date(), asOf, format: 'html', lang: 'en' }));
      assert.ok(sitrep.proof.lastFact && Date.parse(sitrep.proof.lastFact.receivedAt) <= asOf.getTime());
      const now = await db.kysely
        .transaction()
        .execute((trx) => produceReportFile(trx, keys, demo.operationId, { now: new Date(), format: 'html', lang: 'en' }));
      assert.ok(sitrep.figures.totals.arrived < now.sitrep.figures.totals.arrived);
      assert.equal(sitrep.figures.sources.length, 0, 'the sources were recorded after that time');
      const v = await db.kysely.transaction().execute((trx) => verifyReportFile(trx, keys, demo.operationId, file));
      assert.deepEqual(v.problems, []);
    });

    test('the PDFs in English and Arabic carry the figures and Arabic words, render to a page that is not blank, and verify', async (t) => {
      for (const lang of ['en', 'ar'] as const) {
        const { sitrep, file } = await db.kysely
          .transaction()
          .execute((trx) => produceReportFile(trx, keys, demo.operationId, { now: new Date(), format: 'pdf', lang }));
        assert.equal(file.subarray(0, 5).toString('latin1'), '%PDF-');
        const v = await db.kysely.transaction().execute((trx) => verifyReportFile(trx, keys, demo.operationId, file));
        assert.deepEqual(v.problems, [], lang);
        // One byte of the drawn text changed: the file no longer verifies.
        const edited = Buffer.from(file);
        const at = edited.indexOf('Helvetica');
        edited[at] = 'X'.charCodeAt(0);
        const bad = await db.kysely.transaction().execute((trx) => verifyReportFile(trx, keys, demo.operationId, edited));
        assert.equal(bad.ok, false);
        if (!hasPoppler) {
          t.diagnostic('pdftotext/pdftoppm not installed (apt-get install poppler-utils): PDF text and image not checked');
          continue;
        }
        const path = join(dir, `r-${lang}.pdf`);
        writeFileSync(path, file);
        const text = execFileSync('pdftotext', [path, '-'], { encoding: 'utf8' });
        assert.ok(text.includes(sitrep.figures.totals.left.toLocaleString('en')), `${lang}: the figure of those who had left`);
        assert.ok(text.includes(sitrep.digest.slice(0, 20)), `${lang}: the digest`);
        if (lang === 'ar') for (const word of ['الوضع', 'المجاميع', 'العدد', 'وصلوا', 'الطريق']) assert.ok(text.includes(word), word);
        else
          for (const word of ['Situation report', 'Agency A', 'Counts verify when produced: PASSED']) assert.ok(text.includes(word), word);
        execFileSync('pdftoppm', ['-f', '1', '-l', '1', '-r', '40', '-gray', path, join(dir, `p-${lang}`)]);
        const pgm = readFileSync(join(dir, `p-${lang}-1.pgm`));
        const dark = countDark(pgm);
        assert.ok(dark > 500, `${lang}: page 1 has ${dark} dark pixels`);
      }
    });

    test('a coordinator records an outside source (audited); a viewer may not', async () => {
      const input = { source: 'Test source', at: '2016-12-20T10:00:00Z', figure: 100, qualifier: 'about', claims: 'arrived' };
      const viewer = await call('viewer', 'POST', `/api/operations/${demo.operationId}/sources`, input);
      assert.equal(viewer.status, 403);
      const r = await call('coordinator', 'POST', `/api/operations/${demo.operationId}/sources`, input);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const list = await call('viewer', 'GET', `/api/operations/${demo.operationId}/sources`);
      assert.equal(list.body.length, 3);
      const bad = await call('coordinator', 'POST', `/api/operations/${demo.operationId}/sources`, { ...input, claims: 'everything' });
      assert.equal(bad.status, 400);
    });

    // Last: it corrects and merges people of the demo.
    test('a report still verifies after a later correction and a later merge; an edited copy still does not', async () => {
      const { sitrep, file } = await db.kysely
        .transaction()
        .execute((trx) => produceReportFile(trx, keys, demo.operationId, { now: new Date(), format: 'html', lang: 'en' }));
      // Three people who left: one's sex is corrected, one is merged into another, a second later.
      const arrived = await db.kysely
        .selectFrom('movement_facts')
        .select('person_id')
        .where('operation_id', '=', demo.operationId)
        .where('kind', '=', 'checked_in')
        .orderBy('person_id')
        .limit(3)
        .execute();
      const [a, b, c] = arrived.map((r) => r.person_id as string);
      const adminId = (await findUserByUsername(db.kysely, 'admin'))!.id;
      const ctx = (trx: Ctx['db']): Ctx => ({
        db: trx,
        keys,
        now: new Date(Date.now() + 1000),
        roles: ['coordinator'],
        permissions: new Set(permissions),
        actor: { kind: 'user', id: adminId, name: 'test', isAdmin: true },
        operationId: demo.operationId,
      });
      const before = await db.kysely
        .selectFrom('persons')
        .select('sex')
        .where('operation_id', '=', demo.operationId)
        .where('id', '=', a!)
        .executeTakeFirstOrThrow();
      await db.kysely.transaction().execute((trx) => updatePerson(ctx(trx), a!, { sex: before.sex === 'female' ? 'male' : 'female' }));
      await db.kysely
        .insertInto('duplicate_reviews')
        .values({
          operation_id: demo.operationId,
          id: 'review-after-report',
          person_a: b!,
          person_b: c!,
          weight: 10,
          probability: 0.99,
          decision: 'review',
          explanation: JSON.stringify({}),
          source: 'manual',
          created_at: new Date(),
        })
        .execute();
      await db.kysely.transaction().execute((trx) => confirmMerge(ctx(trx), 'review-after-report', b!));
      // The figures now are not the report's: the correction and the merge count.
      const later = await db.kysely
        .transaction()
        .execute((trx) => produceReportFile(trx, keys, demo.operationId, { now: new Date(Date.now() + 2000), format: 'html', lang: 'en' }));
      assert.equal(later.sitrep.figures.totals.everyone, sitrep.figures.totals.everyone - 1, 'the merge counts one person less now');
      assert.notDeepEqual(later.sitrep.figures.bySiteSexAge, sitrep.figures.bySiteSexAge);
      // The report made before both is recomputed as of its own moment, and holds.
      const v = await db.kysely.transaction().execute((trx) => verifyReportFile(trx, keys, demo.operationId, file));
      assert.deepEqual(v.problems, []);
      assert.equal(v.ok, true);
      const edited = Buffer.from(file.toString('utf8').replace('<h1>Situation report', '<h1>Situation rep0rt'), 'utf8');
      assert.notDeepEqual(edited, file);
      const bad = await db.kysely.transaction().execute((trx) => verifyReportFile(trx, keys, demo.operationId, edited));
      assert.deepEqual(bad.problems, ['file_altered']);
    });
  });
}

function readPayloadJson(html: string): string {
  const m = /<script type="application\/json" id="corridor-sitrep">([\s\S]*?)<\/script>/.exec(html);
  return m?.[1] ?? '{}';
}

/** Pixels darker than mid-grey in a binary PGM (P5) image. */
function countDark(pgm: Buffer): number {
  const header = pgm.toString('latin1', 0, 64).split(/\s+/);
  const [w, h] = [Number(header[1]), Number(header[2])];
  const start = pgm.length - w * h;
  let n = 0;
  for (let i = start; i < pgm.length; i++) if ((pgm[i] as number) < 128) n++;
  return n;
}
