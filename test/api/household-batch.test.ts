/**
 * A registration desk's offline queue (`POST …/households/batch`): households registered with
 * no signal are sent together, each at the time the desk registered it — the registration time
 * and the age band from a date of birth are taken then, not when the queue arrives. All or
 * none: one bad household refuses the batch with its field path, and nothing is written.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeTag, formatTag } from '../../src/domain/tags.js';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, type Client, type Harness } from '../support/harness.js';
import { proposalsFor } from '../support/duplicates.js';

const at = (iso: string) => new Date(iso);

for (const dialect of dialects) {
  describe(`household batch (${dialect.name})`, () => {
    let h: Harness;
    let op: string;
    let firstSerial: number;
    let registrar: Client;
    let viewer: Client;

    before(async () => {
      h = await startHarness(await dialect.open(), { clock: () => at('2016-12-20T10:00:00Z') });
      const o = await setUpOperation(h, 'queue');
      op = o.id;
      firstSerial = o.range.firstSerial;
      registrar = await h.userWithRoles(op, ['registrar']);
      viewer = await h.userWithRoles(op, ['viewer']);
    });
    after(async () => h.close());

    const child = (given: string, dateOfBirth: string) => ({
      names: { ar: { given, family: 'الحلبي' } },
      sex: 'female',
      dateOfBirth,
      relationship: 'child',
    });

    test('each household keeps the time its desk registered it, and ages are taken then', async () => {
      const r = await registrar.post(`/api/operations/${op}/households/batch`, {
        households: [
          {
            id: 'q1',
            siteId: 'amiriyah',
            registeredAt: '2016-12-15T08:30:00+02:00',
            members: [
              { id: 'q1-a', names: { lat: { given: 'Rana', family: 'Halabi' } }, sex: 'female', estimatedAge: 34, relationship: 'head' },
              { id: 'q1-b', ...child('سلمى', '2004-12-18') },
            ],
          },
          {
            id: 'q2',
            siteId: 'amiriyah',
            members: [{ id: 'q2-a', names: { ar: { given: 'عمر', family: 'الحلبي' } }, sex: 'male', estimatedAge: 50 }],
          },
        ],
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.deepEqual(r.body.households, [
        { id: 'q1', members: ['q1-a', 'q1-b'] },
        { id: 'q2', members: ['q2-a'] },
      ]);
      const girl = await registrar.get(`/api/operations/${op}/persons/q1-b`);
      assert.equal(girl.status, 200);
      assert.equal(girl.body.registeredAt, '2016-12-15T06:30:00.000Z');
      // 11 when her desk registered her on the 15th (her birthday is the 18th): 5–11, not 12–17.
      assert.equal(girl.body.ageBand, '5-11');
      const omar = await registrar.get(`/api/operations/${op}/persons/q2-a`);
      assert.equal(omar.body.registeredAt, '2016-12-20T10:00:00.000Z', "no time given: the server's");
      await h.settleCounts();
      const counts = await viewer.get(`/api/operations/${op}/counts`);
      assert.equal(counts.body.totals.registered, 3);
      assert.ok(
        counts.body.hourly.registered.some((p: { hour: string }) => p.hour === '2016-12-15T06:00Z'),
        'counted in the hour the desk registered them',
      );
    });

    test('a bad household refuses the whole queue with its field path, and writes nothing', async () => {
      const before = (
        await h.db.kysely
          .selectFrom('persons')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n;
      const r = await registrar.post(`/api/operations/${op}/households/batch`, {
        households: [
          { id: 'q3', siteId: 'amiriyah', members: [{ names: { lat: { given: 'Huda' } }, sex: 'female', estimatedAge: 20 }] },
          { id: 'q4', siteId: 'amiriyah', members: [{ names: {}, sex: 'female', estimatedAge: 20 }] },
        ],
      });
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.ok(
        r.body.error.details.fields.some((f: { path: string }) => f.path.startsWith('households.1.members.0.names')),
        JSON.stringify(r.body.error.details.fields),
      );
      const future = await registrar.post(`/api/operations/${op}/households/batch`, {
        households: [
          {
            id: 'q5',
            siteId: 'amiriyah',
            registeredAt: '2016-12-21T10:00:00Z',
            members: [{ names: { lat: { given: 'Huda' } }, sex: 'female', estimatedAge: 20 }],
          },
        ],
      });
      assert.equal(future.status, 400);
      assert.deepEqual(
        future.body.error.details.fields.map((f: { path: string }) => f.path),
        ['households.0.registeredAt'],
      );
      const unknownSite = await registrar.post(`/api/operations/${op}/households/batch`, {
        households: [{ id: 'q6', siteId: 'nowhere', members: [{ names: { lat: { given: 'Huda' } }, sex: 'female', estimatedAge: 20 }] }],
      });
      assert.equal(unknownSite.status, 404);
      assert.deepEqual(
        unknownSite.body.error.details.fields.map((f: { path: string }) => f.path),
        ['households.0.siteId'],
      );
      const after = (
        await h.db.kysely
          .selectFrom('persons')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n;
      assert.equal(Number(after), Number(before));
      const empty = await registrar.post(`/api/operations/${op}/households/batch`, { households: [] });
      assert.equal(empty.status, 400);
    });

    test('each household of a queue is checked as if registered alone after the ones before it, and named', async () => {
      const tag = (offset: number) => formatTag(encodeTag(firstSerial + offset));
      const person = (given: string, extra: Record<string, unknown> = {}) => ({
        names: { lat: { given, family: 'Refused' } },
        sex: 'male',
        estimatedAge: 30,
        ...extra,
      });
      const household = (id: string, tagOffset: number, extra: Record<string, unknown> = {}) => ({
        id,
        siteId: 'amiriyah',
        members: [person('Ok', { tag: tag(tagOffset) })],
        ...extra,
      });
      const worn = await registrar.post(`/api/operations/${op}/households`, household('worn-h', 0));
      assert.equal(worn.status, 201, JSON.stringify(worn.body));
      const cases: [string, object[], string, string][] = [
        [
          'a tag outside every range',
          [household('e1', 10), household('e2', 11, { members: [person('Far', { tag: formatTag(encodeTag(9_000_000)) })] })],
          'tag.not_in_range',
          'households.1.members.0.tag',
        ],
        [
          'a tag bound earlier in the batch',
          [household('e3', 12), household('e4', 13, { members: [person('Again', { tag: tag(12) })] })],
          'tag.taken',
          'households.1.members.0.tag',
        ],
        ['a tag already worn', [household('e5', 0)], 'tag.taken', 'households.0.members.0.tag'],
        [
          'a tag twice in one household',
          [household('e6', 14, { members: [person('One', { tag: tag(14) }), person('Two', { tag: tag(14) })] })],
          'tag.taken',
          'households.0.members.1.tag',
        ],
        ['a household id already used', [household('worn-h', 17)], 'conflict', 'households.0.id'],
        ['a household id twice in the batch', [household('e10', 18), household('e10', 19)], 'conflict', 'households.1.id'],
        [
          'two members with one id',
          [household('e13', 21, { members: [person('A', { id: 'same' }), person('B', { id: 'same' })] })],
          'request.invalid',
          'households.0.members',
        ],
        [
          'a field the role may not write',
          [household('e14', 22), household('e15', 23, { members: [person('Restricted', { category: 'combatant' })] })],
          'auth.restricted_field',
          'households.1.members.0.category',
        ],
      ];
      const count = async () =>
        Number(
          (
            await h.db.kysely
              .selectFrom('persons')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = await count();
      for (const [what, households, code, path] of cases) {
        const r = await registrar.post(`/api/operations/${op}/households/batch`, { households });
        assert.equal(r.body.error?.code, code, `${what}: ${JSON.stringify(r.body)}`);
        assert.equal(r.body.error.details.fields[0].path, path, what);
      }
      assert.equal(await count(), before, 'nothing written');
    });

    test('each person of a queue is checked against everyone registered before, in one go, and warned of once', async () => {
      const ahmad = {
        names: {
          ar: { given: 'أحمد', father: 'خالد', grandfather: 'عمر', family: 'القباني' },
          lat: { given: 'Ahmad', father: 'Khaled', grandfather: 'Omar', family: 'Qabbani' },
        },
        sex: 'male',
        estimatedAge: 41,
        relationship: 'head',
      };
      const huda = {
        names: { ar: { given: 'هدى', father: 'سامي', grandfather: 'نزار', family: 'الشهابي' } },
        sex: 'female',
        estimatedAge: 29,
        relationship: 'head',
      };
      const earlier = await registrar.post(`/api/operations/${op}/households/batch`, {
        households: [
          { id: 'd1', siteId: 'amiriyah', members: [{ id: 'd1-a', ...ahmad }] },
          { id: 'd2', siteId: 'amiriyah', members: [{ id: 'd2-a', ...huda }] },
        ],
      });
      assert.equal(earlier.status, 201, JSON.stringify(earlier.body));
      const queue = {
        households: [
          {
            id: 'd3',
            siteId: 'amiriyah',
            members: [
              { id: 'd3-a', ...ahmad, names: { lat: { given: 'Ahmed', father: 'Khalid', grandfather: 'Omar', family: 'Kabbani' } } },
            ],
          },
          {
            id: 'd4',
            siteId: 'amiriyah',
            members: [
              { id: 'd4-a', names: { lat: { given: 'Yusuf', family: 'Darwish' } }, sex: 'male', estimatedAge: 60, relationship: 'head' },
            ],
          },
          { id: 'd5', siteId: 'amiriyah', members: [{ id: 'd5-a', ...huda }] },
        ],
      };
      const r = await registrar.post(`/api/operations/${op}/households/batch`, queue);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.duplicateCheck, 'queued', 'checked just after the commit, not inside the request');
      const warned = await proposalsFor(h, op, ['d1-a', 'd2-a', 'd3-a', 'd4-a', 'd5-a']);
      const pairs = warned.map((w) => [w.personId, w.candidateId].sort().join('~')).sort();
      assert.deepEqual(pairs, ['d1-a~d3-a', 'd2-a~d5-a']);
      for (const w of warned) {
        assert.ok(w.reviewId && w.explanation.some((e: { field: string }) => e.field === 'lineage'), JSON.stringify(w));
      }
      const reviews = await h.db.kysely
        .selectFrom('duplicate_reviews')
        .select(['person_a', 'person_b', 'source'])
        .where('operation_id', '=', op)
        .where('person_a', 'in', ['d1-a', 'd2-a', 'd3-a', 'd5-a'])
        .execute();
      assert.deepEqual(reviews.map((x) => `${x.person_a}~${x.person_b}:${x.source}`).sort(), [
        'd1-a~d3-a:registration',
        'd2-a~d5-a:registration',
      ]);
    });

    test('a viewer cannot send a registration queue', async () => {
      const r = await viewer.post(`/api/operations/${op}/households/batch`, {
        households: [{ siteId: 'amiriyah', members: [{ names: { lat: { given: 'Huda' } }, sex: 'female' }] }],
      });
      assert.equal(r.status, 403);
    });
  });
}
