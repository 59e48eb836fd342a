/**
 * The import from the web: the dry run answers the suggested mapping and the bad rows; the
 * import answers at once and writes in the background, its progress read back; the roles that
 * may not register may not import; bad files are 4xx catalogue errors and the server stays up;
 * mappings are saved per operation and reused.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, type Client, type Harness } from '../support/harness.js';
import { csvOf, xlsxOf } from '../support/import-files.js';

for (const dialect of dialects) {
  describe(`import API (${dialect.name})`, () => {
    let h: Harness;
    let op: string;
    let registrar: Client;
    let viewer: Client;

    before(async () => {
      h = await startHarness(await dialect.open());
      op = (await setUpOperation(h, 'web-import')).id;
      registrar = await h.userWithRoles(op, ['registrar']);
      viewer = await h.userWithRoles(op, ['viewer']);
    });
    after(async () => h.close());

    const base64 = (b: Buffer) => b.toString('base64');
    const list = async () =>
      base64(
        await xlsxOf([
          {
            name: 'Sheet1',
            rows: [
              ['Family no', 'First name', "Father's name", 'Surname', 'Gender', 'Age'],
              ['7', 'Test', 'Sample', 'Example', 'F', '40'],
              ['7', 'Trial', 'Test', 'Example', 'boy', '9'],
              ['8', 'Probe', 'Case', 'Instance', 'x', '50'],
            ],
          },
        ]),
      );

    test('the dry run suggests the mapping from English headers and names the bad row and column', async () => {
      const r = await registrar.post(`/api/operations/${op}/imports/preview`, {
        files: [{ name: 'list.xlsx', contentBase64: await list() }],
        defaultSite: 'amiriyah',
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body.mapping.columns, {
        household: 'Family no',
        givenName: 'First name',
        fatherName: "Father's name",
        familyName: 'Surname',
        sex: 'Gender',
        age: 'Age',
      });
      assert.equal(r.body.toRegister, 1);
      assert.equal(r.body.people, 2);
      assert.deepEqual(r.body.issues, [
        {
          table: 'Sheet1',
          line: 4,
          column: 'Gender',
          code: 'import.value_invalid',
          message: '"x" is not a sex (male, female, ذكر, أنثى …)',
        },
      ]);
      const n = await h.db.kysely
        .selectFrom('persons')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(n.n), 0);
    });

    test('the import answers 202 at once and its progress reaches done; a viewer may not import', async () => {
      const body = { files: [{ name: 'list.xlsx', contentBase64: await list() }], defaultSite: 'amiriyah' };
      assert.equal((await viewer.post(`/api/operations/${op}/imports`, body)).status, 403);
      const r = await registrar.post(`/api/operations/${op}/imports`, body);
      assert.equal(r.status, 202, JSON.stringify(r.body));
      assert.equal(r.body.status, 'running');
      let run = r.body;
      for (let i = 0; i < 200 && run.status === 'running'; i++) {
        await new Promise((res) => setTimeout(res, 50));
        run = (await registrar.get(`/api/operations/${op}/imports/${r.body.id}`)).body;
      }
      assert.equal(run.status, 'done');
      assert.equal(run.done, 1);
      assert.equal(run.invalid, 1);
      assert.equal(run.people, 2);
      assert.equal((await registrar.get(`/api/operations/${op}/imports/nope`)).status, 404);
    });

    test('all-or-nothing with a bad row is refused with its issues, and nothing is written', async () => {
      const r = await registrar.post(`/api/operations/${op}/imports`, {
        files: [{ name: 'list.xlsx', contentBase64: await list() }],
        defaultSite: 'rashidin',
        allOrNothing: true,
      });
      assert.equal(r.status, 422);
      assert.equal(r.body.error.code, 'import.rows_invalid');
      assert.equal(r.body.error.details.issues[0].column, 'Gender');
    });

    test('bad files are 4xx catalogue errors and the server stays up', async () => {
      const post = (name: string, bytes: Buffer) =>
        registrar.post(`/api/operations/${op}/imports/preview`, {
          files: [{ name, contentBase64: base64(bytes) }],
          defaultSite: 'amiriyah',
        });
      const truncated = Buffer.from(await list(), 'base64');
      for (const [bytes, status, code] of [
        [truncated.subarray(0, truncated.length - 200), 400, 'import.malformed'],
        [Buffer.from('a,b\n1,2\n'), 400, 'import.no_known_column'],
        [Buffer.from([0x4e, 0x61, 0x6d, 0x65, 0x0a, 0xe9, 0xe8, 0x0a]), 400, 'import.encoding'],
      ] as const) {
        const r = await post('bad.csv', bytes);
        assert.equal(r.status, status);
        assert.equal(r.body.error.code, code);
      }
      const huge = await post('huge.csv', Buffer.alloc(50 * 1024 * 1024, 0x41));
      assert.equal(huge.status, 413);
      assert.equal(huge.body.error.code, 'request.too_large');
      assert.equal((await registrar.get(`/api/operations/${op}/import-mappings`)).status, 200);
    });

    test('a mapping saved in the operation is listed and reused', async () => {
      const mapping = { columns: { givenName: 'الاسم', familyName: 'الكنية', sex: 'الجنس' }, defaultSite: 'amiriyah' };
      const saved = await registrar.put(`/api/operations/${op}/import-mappings/council-list`, { mapping });
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      const all = await registrar.get(`/api/operations/${op}/import-mappings`);
      assert.deepEqual(
        all.body.map((m: { name: string; mapping: unknown }) => [m.name, m.mapping]),
        [['council-list', mapping]],
      );
      const file = base64(
        Buffer.from(
          csvOf([
            ['الاسم', 'الكنية', 'الجنس'],
            ['ريم', 'النجار', 'أنثى'],
          ]),
        ),
      );
      const r = await registrar.post(`/api/operations/${op}/imports/preview`, {
        files: [{ name: 'c.csv', contentBase64: file }],
        mapping: all.body[0].mapping,
      });
      assert.equal(r.status, 200);
      assert.equal(r.body.suggested, false);
      assert.equal(r.body.toRegister, 1);
    });
  });
}
