/**
 * Importing the lists that exist before the first bus: a spreadsheet typed by hand, KoboToolbox
 * and ODK Central exports with a repeat group, CSV in every encoding the field writes; bad
 * files refused with catalogue codes and nothing written; bad rows reported by line and column;
 * the same file imported twice creating nothing new; an import cut short resumed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openJson } from '../../src/crypto/envelope.js';
import { AppError } from '../../src/domain/errors.js';
import type { ImportMapping } from '../../src/domain/import/mapping.js';
import { permissionsOf } from '../../src/domain/policy.js';
import type { Ctx } from '../../src/services/context.js';
import { importFiles } from '../../src/services/import/run.js';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, type Harness } from '../support/harness.js';
import { csvOf, utf16, windows1256, xlsxOf, zipOf } from '../support/import-files.js';

for (const dialect of dialects) {
  describe(`import (${dialect.name})`, () => {
    let h: Harness;
    let actor: Omit<Ctx, 'db' | 'now'>;
    let env: Parameters<typeof importFiles>[0];

    before(async () => {
      h = await startHarness(await dialect.open());
      const op = await setUpOperation(h, 'imports');
      actor = {
        keys: h.keys,
        operationId: op.id,
        roles: ['registrar'],
        permissions: permissionsOf(['registrar']),
        actor: { kind: 'user', id: 'importer', name: 'importer', isAdmin: false },
      };
      env = { db: h.db, clock: () => new Date('2016-12-16T09:00:00Z') };
    });
    after(async () => h.close());

    const people = async () =>
      Number(
        (
          await h.db.kysely
            .selectFrom('persons')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const namesOf = async (householdId: string) => {
      const keys = await h.keys.forOperation(h.db.kysely, actor.operationId!);
      const rows = await h.db.kysely.selectFrom('persons').selectAll().where('household_id', '=', householdId).orderBy('id').execute();
      return rows.map((r) => ({
        ...openJson<{ names: { ar?: Record<string, string>; lat?: Record<string, string> } }>(keys, r.pii, `person:${r.id}:pii`).names,
        sex: r.sex,
        relationship: r.relationship,
      }));
    };
    const refusal = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (err) {
        assert.ok(err instanceof AppError, String(err));
        return err;
      }
      assert.fail('expected a refusal');
    };

    test('an XLSX of households typed by hand in Arabic is registered, grouped by its household column, sealed and audited', async () => {
      const file = await xlsxOf([
        {
          name: 'قائمة',
          rows: [
            ['رقم العائلة', 'الاسم', 'اسم الأب', 'الكنية', 'الجنس', 'تاريخ الميلاد', 'صلة القرابة', 'العمر'],
            [1, 'سامر', 'خالد', 'الصباغ', 'ذكر', new Date(Date.UTC(1979, 2, 14)), 'رب الأسرة', null],
            [1, 'هالة', 'عمر', 'الصباغ', 'أنثى', '02/05/1983', 'زوجة', null],
            [1, 'ليلى', 'سامر', 'الصباغ', 'أنثى', null, 'ابنة', '٧'],
            [2, 'نادر', 'فيصل', 'العطار', 'ذكر', null, '', 61],
          ],
        },
      ]);
      const before = await people();
      const { plan, outcome } = await importFiles(env, actor, [{ name: 'households.xlsx', bytes: file }], { defaultSite: 'amiriyah' });
      assert.deepEqual(plan.issues, []);
      assert.equal(plan.suggested, true);
      assert.equal(plan.mapping.columns.givenName, 'الاسم');
      assert.equal(plan.mapping.columns.fatherName, 'اسم الأب');
      assert.equal(plan.mapping.columns.household, 'رقم العائلة');
      assert.equal(outcome!.done, 2);
      assert.equal(outcome!.people, 4);
      assert.equal((await people()) - before, 4);
      const rows = await h.db.kysely.selectFrom('import_rows').selectAll().where('import_id', '=', outcome!.importId).execute();
      assert.equal(rows.length, 2);
      const family = await namesOf(rows[0]!.household_id);
      const [samer] = family;
      assert.deepEqual(samer!.ar, { given: 'سامر', father: 'خالد', family: 'الصباغ' });
      assert.deepEqual(
        family.map((p) => p.relationship),
        ['head', 'spouse', 'child'],
      );
      const stored = await h.db.kysely
        .selectFrom('persons')
        .select(['pii', 'birth_year', 'age_estimated'])
        .where('household_id', '=', rows[0]!.household_id)
        .execute();
      assert.ok(
        stored.every((r) => !Buffer.from(r.pii).toString('utf8').includes('سامر')),
        'names are sealed',
      );
      assert.deepEqual(stored.map((r) => r.birth_year).sort(), [1979, 1983, 2009]);
      const audits = await h.db.kysely
        .selectFrom('audit_log')
        .select('action')
        .where('action', 'in', ['household.register', 'import.run'])
        .execute();
      assert.equal(audits.filter((a) => a.action === 'import.run').length, 1);
      assert.ok(audits.filter((a) => a.action === 'household.register').length >= 2);
    });

    const koboMain = [
      ['start', 'household/hh_number', 'household/neighbourhood', '_id', '_uuid', '_index'],
      ['2016-12-14T08:00:00', 'K1', 'al-Mashhad', '101', 'f7d3c6b0-0001-4000-8000-000000000001', '1'],
      ['2016-12-14T08:10:00', 'K2', 'Bustan al-Qasr', '102', 'f7d3c6b0-0002-4000-8000-000000000002', '2'],
    ];
    const koboMembers = [
      [
        'member/given_name',
        'member/father_name',
        'member/family_name',
        'member/sex',
        'member/age',
        'member/relationship',
        '_index',
        '_parent_index',
        '_parent_table_name',
      ],
      ['Yara', 'Hasan', 'Kanaan', 'female', '31', 'head', '1', '1', 'household_survey'],
      ['Adam', 'Fadi', 'Kanaan', 'male', '4', 'child', '2', '1', 'household_survey'],
      ['Munir', 'Salim', 'Haddad', 'male', '70', 'head', '3', '2', 'household_survey'],
    ];

    test('a KoboToolbox export as XLSX sheets joins the repeat group to its submission by _parent_index', async () => {
      const file = await xlsxOf([
        { name: 'household_survey', rows: koboMain },
        { name: 'members', rows: koboMembers },
      ]);
      const { plan, outcome } = await importFiles(env, actor, [{ name: 'kobo.xlsx', bytes: file }], { defaultSite: 'amiriyah' });
      assert.deepEqual(plan.issues, []);
      assert.equal(plan.mapping.key, '_uuid');
      assert.equal(plan.mapping.columns.givenName, 'member/given_name');
      assert.equal(plan.mapping.columns.origin, 'household/neighbourhood');
      assert.equal(outcome!.done, 2);
      assert.equal(outcome!.people, 3);
      const first = await h.db.kysely.selectFrom('import_rows').select('household_id').where('import_id', '=', outcome!.importId).execute();
      const sizes = await Promise.all(first.map(async (r) => (await namesOf(r.household_id)).length));
      assert.deepEqual(sizes.sort(), [1, 2]);
    });

    test('the same Kobo export as CSV files (semicolons) is recognised by its _uuid: nothing is created twice', async () => {
      const before = await people();
      const files = [
        { name: 'household_survey.csv', bytes: Buffer.from(csvOf(koboMain, ';')) },
        { name: 'members.csv', bytes: Buffer.from(csvOf(koboMembers, ';')) },
      ];
      const { outcome } = await importFiles(env, actor, files, { defaultSite: 'amiriyah' });
      assert.equal(outcome!.done, 0);
      assert.equal(outcome!.skipped, 2);
      assert.equal(await people(), before);
    });

    test('an ODK Central export joins its repeat file by PARENT_KEY, and a row whose parent is missing is named', async () => {
      const main = [
        ['SubmissionDate', 'hh-site', 'hh-neighbourhood', 'meta-instanceID', 'KEY'],
        ['2016-12-15T07:00:00.000Z', 'rashidin', 'Salah al-Din', 'uuid:0a1b-1', 'uuid:0a1b-1'],
      ];
      const members = [
        ['members-given_name', 'members-family_name', 'members-sex', 'members-age', 'PARENT_KEY', 'KEY'],
        ['Rami', 'Darwish', 'm', '40', 'uuid:0a1b-1', 'uuid:0a1b-1/members[1]'],
        ['Dima', 'Darwish', 'f', '38', 'uuid:0a1b-1', 'uuid:0a1b-1/members[2]'],
        ['Lost', 'Row', 'f', '9', 'uuid:ffff-9', 'uuid:ffff-9/members[1]'],
      ];
      const { plan, outcome } = await importFiles(env, actor, [
        { name: 'evac_form.csv', bytes: Buffer.from(csvOf(main)) },
        { name: 'evac_form-members.csv', bytes: Buffer.from(csvOf(members)) },
      ]);
      assert.equal(plan.mapping.columns.site, 'hh-site');
      assert.deepEqual(
        plan.issues.map((i) => [i.table, i.line, i.column, i.code]),
        [['evac_form-members', 4, 'PARENT_KEY', 'import.parent_missing']],
      );
      assert.equal(outcome!.done, 1);
      assert.equal(outcome!.people, 2);
      const hh = await h.db.kysely
        .selectFrom('households')
        .select('site_id')
        .where(
          'id',
          '=',
          (
            await h.db.kysely
              .selectFrom('import_rows')
              .select('household_id')
              .where('import_id', '=', outcome!.importId)
              .executeTakeFirstOrThrow()
          ).household_id,
        )
        .executeTakeFirstOrThrow();
      assert.equal(hh.site_id, 'rashidin');
    });

    const header = ['first name', "Father's name", 'Family name', 'Sex', 'Age'];
    const givenNames = ['وفاء', 'سناء', 'رهف', 'نور', 'لمى'];
    for (const [n, [encoding, bytes]] of [
      ['utf-8', (t: string) => Buffer.from(t)],
      ['utf-8 with BOM', (t: string) => Buffer.from(`\ufeff${t}`)],
      ['utf-16le', (t: string) => utf16(t, 'le')],
      ['utf-16be', (t: string) => utf16(t, 'be')],
      ['windows-1256', windows1256],
    ].entries() as Iterable<[number, readonly [string, (t: string) => Buffer]]>) {
      test(`CSV in ${encoding} is read with its Arabic intact`, async () => {
        const given = givenNames[n]!;
        const text = csvOf([header, [given, 'محمود', 'الحمصي', 'أنثى', '29']]);
        const { plan, outcome } = await importFiles(env, actor, [{ name: 'list.csv', bytes: bytes(text) }], { defaultSite: 'amiriyah' });
        assert.deepEqual(plan.issues, []);
        assert.equal(outcome!.done, 1);
        const row = await h.db.kysely
          .selectFrom('import_rows')
          .select('household_id')
          .where('import_id', '=', outcome!.importId)
          .executeTakeFirstOrThrow();
        assert.deepEqual((await namesOf(row.household_id))[0]!.ar, { given, father: 'محمود', family: 'الحمصي' });
      });
    }

    test('bad files are refused with their catalogue code and write nothing', async () => {
      const before = await people();
      const good = await xlsxOf([
        {
          name: 's',
          rows: [
            ['Name', 'Sex'],
            ['Test Person', 'male'],
          ],
        },
      ]);
      const bomb =
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><Types>&lol2;</Types>';
      const cases: [string, Buffer, string][] = [
        ['a truncated XLSX', good.subarray(0, Math.floor(good.length * 0.6)), 'import.malformed'],
        ['an unclosed quote', Buffer.from('Name,Sex\n"Test Person,male\n'), 'import.malformed'],
        ['Latin-1 text', Buffer.from('Name,Sex\nJos\xe9 Test,male\n', 'latin1'), 'import.encoding'],
        ['a 26 MB file', Buffer.alloc(26 * 1024 * 1024, 0x41), 'import.file_too_large'],
        ['an entity bomb', zipOf([{ name: '[Content_Types].xml', data: Buffer.from(bomb) }]), 'import.xml_entities'],
        [
          'a zip bomb',
          zipOf([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(101 * 1024 * 1024, 0x20) }]),
          'import.archive_too_large',
        ],
        ['a header with no known column', Buffer.from('colour,weight\nred,3\n'), 'import.no_known_column'],
        ['an empty file', Buffer.alloc(0), 'import.malformed'],
      ];
      for (const [what, bytes, code] of cases) {
        const err = await refusal(importFiles(env, actor, [{ name: 'bad.csv', bytes }], { defaultSite: 'amiriyah' }));
        assert.equal(err.code, code, what);
        assert.ok(err.status >= 400 && err.status < 500, what);
      }
      const wrongMap: ImportMapping = { columns: { givenName: 'Given' } };
      const err = await refusal(
        importFiles(env, actor, [{ name: 'x.csv', bytes: Buffer.from('Name,Sex\nA B,male\n') }], { mapping: wrongMap }),
      );
      assert.equal(err.code, 'import.mapping_invalid');
      assert.equal(await people(), before);
    });

    const badRows = csvOf([
      ['Name', 'Sex', 'Date of birth', 'Tag'],
      ['Test Alpha', 'male', '1990-01-01', ''],
      ['Test Beta', 'robot', '1990-01-01', ''],
      ['Test Gamma', 'female', '31/02/1990', ''],
      ['', 'female', '', ''],
      ['Test Delta', 'female', '', 'ZZZZ'],
    ]);

    test('a dry run names each bad row and column with a catalogue code, and writes nothing', async () => {
      const before = await people();
      const { plan, outcome } = await importFiles(env, actor, [{ name: 'bad-rows.csv', bytes: Buffer.from(badRows) }], {
        defaultSite: 'amiriyah',
        dryRun: true,
      });
      assert.equal(outcome, undefined);
      assert.deepEqual(
        plan.issues.map((i) => [i.line, i.column, i.code]),
        [
          [3, 'Sex', 'import.value_invalid'],
          [4, 'Date of birth', 'import.value_invalid'],
          [5, 'Name', 'person.name_required'],
          [6, 'Tag', 'tag.invalid'],
        ],
      );
      assert.equal(plan.households.length, 1);
      assert.equal(await people(), before);
    });

    test('all-or-nothing writes nothing when a row is bad; otherwise the valid rows are written', async () => {
      const before = await people();
      const file = [{ name: 'bad-rows.csv', bytes: Buffer.from(badRows) }];
      const err = await refusal(importFiles(env, actor, file, { defaultSite: 'amiriyah', allOrNothing: true }));
      assert.equal(err.code, 'import.rows_invalid');
      assert.equal((err.details as { issues: unknown[] }).issues.length, 4);
      assert.equal(await people(), before);
      const { outcome } = await importFiles(env, actor, file, { defaultSite: 'amiriyah' });
      assert.equal(outcome!.done, 1);
      assert.equal(outcome!.invalid, 4);
      assert.equal(await people(), before + 1);
    });

    test('a person already registered is proposed for duplicate review, never merged', async () => {
      const reviews = async () => (await h.db.kysely.selectFrom('duplicate_reviews').select(['status', 'source']).execute()).length;
      const before = await reviews();
      const { outcome } = await importFiles(
        env,
        actor,
        [
          {
            name: 'again.csv',
            bytes: Buffer.from(
              csvOf([
                ['Given name', 'Family name', 'Sex', 'Age'],
                ['Yara', 'Kanaan', 'female', '31'],
              ]),
            ),
          },
        ],
        {
          defaultSite: 'amiriyah',
        },
      );
      assert.equal(outcome!.done, 1);
      assert.ok((await reviews()) > before);
      const merged = await h.db.kysely.selectFrom('persons').select('id').where('merged_into', 'is not', null).execute();
      assert.equal(merged.length, 0);
    });

    test('an import cut short resumes: running it again writes only what is missing', async () => {
      const CHUNK = 30;
      const n = CHUNK + 50;
      const rows = [['Given name', 'Family name', 'Sex', 'Age', 'Serial']];
      for (let i = 0; i < n; i++) rows.push([`Resume${i}`, `Family${i % 37}`, i % 2 ? 'male' : 'female', String(20 + (i % 50)), `S-${i}`]);
      const file = [{ name: 'long.csv', bytes: Buffer.from(csvOf(rows)) }];
      const mapping: ImportMapping = {
        columns: { givenName: 'Given name', familyName: 'Family name', sex: 'Sex', age: 'Age' },
        key: 'Serial',
        defaultSite: 'amiriyah',
      };
      const before = await people();
      let chunks = 0;
      const cut = importFiles(
        {
          ...env,
          chunkPeople: CHUNK,
          onProgress: () => {
            if (++chunks === 1) throw new Error('power cut');
          },
        },
        actor,
        file,
        { mapping },
      );
      await assert.rejects(cut, /power cut/);
      assert.equal((await people()) - before, CHUNK);
      const failed = await h.db.kysely.selectFrom('imports').select('status').where('status', '=', 'failed').execute();
      assert.equal(failed.length, 1);
      const { outcome } = await importFiles({ ...env, chunkPeople: CHUNK }, actor, file, { mapping });
      assert.equal(outcome!.done, n - CHUNK);
      assert.equal(outcome!.skipped, CHUNK);
      assert.equal((await people()) - before, n);
    });

    test('a chunk refused half-way by the database leaves none of its rows; running the import again writes each household once', async () => {
      const CHUNK = 20;
      const n = 3 * CHUNK;
      // Households of two; the second chunk's fifth household holds a person of 116, whom the database refuses while the cut lasts.
      const rows = [['Family no', 'Given name', 'Family name', 'Sex', 'Age']];
      for (let i = 0; i < n; i++) {
        const age = i === CHUNK + 9 ? '116' : String(20 + (i % 40));
        rows.push([`C-${Math.floor(i / 2)}`, `Chunk${i}`, `Cut${i % 11}`, i % 2 ? 'male' : 'female', age]);
      }
      const file = [{ name: 'cut-in-a-chunk.csv', bytes: Buffer.from(csvOf(rows)) }];
      const mapping: ImportMapping = {
        columns: { household: 'Family no', givenName: 'Given name', familyName: 'Family name', sex: 'Sex', age: 'Age' },
        defaultSite: 'amiriyah',
      };
      const count = async (table: 'persons' | 'households' | 'import_rows' | 'person_keys') =>
        Number(
          (
            await h.db.kysely
              .selectFrom(table)
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const registered = async () =>
        (await h.db.kysely.selectFrom('audit_log').select('subject_id').where('action', '=', 'household.register').execute()).map(
          (r) => r.subject_id,
        );
      const before = { persons: await people(), households: await count('households'), identities: await count('import_rows') };
      const auditBefore = (await registered()).length;
      await sql`alter table persons add constraint import_test_cut check (birth_year is null or birth_year > 1900)`.execute(h.db.kysely);
      try {
        await assert.rejects(importFiles({ ...env, chunkPeople: CHUNK }, actor, file, { mapping }));
      } finally {
        await sql`alter table persons drop constraint import_test_cut`.execute(h.db.kysely);
      }
      // The first chunk only: nothing of the second one, not a household, an identity, a key or an audit entry.
      assert.equal((await people()) - before.persons, CHUNK);
      assert.equal((await count('households')) - before.households, CHUNK / 2);
      assert.equal((await count('import_rows')) - before.identities, CHUNK / 2);
      assert.equal((await registered()).length - auditBefore, CHUNK / 2);
      const { outcome } = await importFiles({ ...env, chunkPeople: CHUNK }, actor, file, { mapping });
      assert.equal(outcome!.skipped, CHUNK / 2);
      assert.equal(outcome!.done, n / 2 - CHUNK / 2);
      assert.equal((await people()) - before.persons, n);
      assert.equal((await count('households')) - before.households, n / 2);
      assert.equal((await count('import_rows')) - before.identities, n / 2);
      const entries = await registered();
      assert.equal(entries.length - auditBefore, n / 2);
      assert.equal(new Set(entries).size, entries.length, 'each household registered once in the audit log');
      // Every person has their keyed hashes, written once.
      const keyless = await h.db.kysely
        .selectFrom('persons')
        .select('id')
        .where('id', 'not in', (eb) => eb.selectFrom('person_keys').select('person_id'))
        .execute();
      assert.equal(keyless.length, 0);
    });

    test('a chunk writes the same rows a desk registration writes: sealed names, keyed hashes, counted, one audit entry per household', async () => {
      const rows = [['Family no', 'Given name', 'Family name', 'Sex', 'Age', 'Phone']];
      for (let i = 0; i < 12; i++)
        rows.push([`B-${Math.floor(i / 3)}`, `Bulk${i}`, 'Haddad', i % 2 ? 'male' : 'female', String(5 + i * 6), `+96399900${i}`]);
      const mapping: ImportMapping = {
        columns: { household: 'Family no', givenName: 'Given name', familyName: 'Family name', sex: 'Sex', age: 'Age', phone: 'Phone' },
        defaultSite: 'amiriyah',
      };
      const { outcome } = await importFiles({ ...env, chunkPeople: 5 }, actor, [{ name: 'bulk.csv', bytes: Buffer.from(csvOf(rows)) }], {
        mapping,
      });
      assert.equal(outcome!.done, 4);
      const keys = await h.keys.forOperation(h.db.kysely, actor.operationId!);
      const imported = await h.db.kysely
        .selectFrom('import_rows')
        .innerJoin('persons', (j) => j.onRef('persons.household_id', '=', 'import_rows.household_id'))
        .selectAll('persons')
        .where('import_rows.import_id', '=', outcome!.importId)
        .orderBy('persons.id')
        .execute();
      assert.equal(imported.length, 12);
      for (const p of imported) {
        const pii = openJson<{ names: { lat: { given: string } }; phone: string }>(keys, p.pii, `person:${p.id}:pii`);
        assert.match(pii.names.lat.given, /^Bulk\d+$/);
        assert.match(pii.phone, /^\+96399900/);
        assert.ok(p.protected, 'category and vulnerabilities sealed');
        assert.equal(p.category, null);
        assert.equal(p.vulnerabilities, null);
        assert.equal(p.registered_by, 'importer');
        assert.ok(p.birth_year !== null && p.age_band !== 'unknown');
      }
      const ids = imported.map((p) => p.id);
      const keyed = await h.db.kysely.selectFrom('person_keys').select('person_id').where('person_id', 'in', ids).execute();
      assert.equal(new Set(keyed.map((k) => k.person_id)).size, 12);
      const households = [...new Set(imported.map((p) => p.household_id))];
      const audited = await h.db.kysely
        .selectFrom('audit_log')
        .select(['subject_id', 'details'])
        .where('action', '=', 'household.register')
        .where('subject_id', 'in', households)
        .execute();
      assert.equal(audited.length, 4);
      const pending = await h.db.kysely.selectFrom('count_pending_persons').select('person_id').where('person_id', 'in', ids).execute();
      const counted = await h.db.kysely.selectFrom('count_registry').select('person_id').where('person_id', 'in', ids).execute();
      assert.equal(new Set([...pending, ...counted].map((r) => r.person_id)).size, 12, 'every person is counted or waiting to be');
    });
  });
}
