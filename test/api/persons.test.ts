import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeTag, formatTag } from '../../src/domain/tags.js';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, type Client, type Harness } from '../support/harness.js';

for (const dialect of dialects) {
  describe(`registration (${dialect.name})`, () => {
    let h: Harness;
    let op: string;
    let registrar: Client;
    let viewer: Client;
    let serial = 0;

    before(async () => {
      h = await startHarness(await dialect.open());
      const o = await setUpOperation(h);
      op = o.id;
      serial = o.range.firstSerial;
      registrar = await h.userWithRoles(op, ['registrar']);
      viewer = await h.userWithRoles(op, ['viewer']);
    });
    after(async () => h.close());

    const household = (tag: string) => ({
      siteId: 'amiriyah',
      members: [
        {
          names: {
            ar: { given: 'محمد', father: 'أحمد', grandfather: 'علي', family: 'الحسن' },
            lat: { given: 'Mohammed', father: 'Ahmad', family: 'al-Hasan' },
          },
          sex: 'male',
          estimatedAge: 40,
          relationship: 'head',
          tag,
          consent: { tracing: true, disclosure: true },
        },
        {
          names: { ar: { given: 'فاطمة', family: 'الحسن' } },
          sex: 'female',
          dateOfBirth: '2010-03-04',
          relationship: 'child',
          vulnerabilities: ['separated_child'],
        },
      ],
    });

    test('a registrar registers a household and reads it back, names decrypted', async () => {
      const tag = formatTag(encodeTag(serial++));
      const r = await registrar.post(`/api/operations/${op}/households`, household(tag));
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.members.length, 2);
      const head = r.body.members[0];
      assert.equal(head.names.lat.given, 'Mohammed');
      assert.equal(head.tag, tag);
      assert.equal(head.ageBand, '18-59');
      assert.equal(r.body.members[1].ageBand !== 'unknown', true);
      assert.equal('category' in head, false, 'a registrar does not see the restricted category');
      const read = await registrar.get(`/api/operations/${op}/persons/${head.id}`);
      assert.equal(read.status, 200);
      assert.equal(read.body.names.ar.family, 'الحسن');
    });

    test('a name typed in Latin finds the person registered in Arabic script', async () => {
      const r = await registrar.post(`/api/operations/${op}/households`, {
        siteId: 'amiriyah',
        members: [{ names: { ar: { given: 'يوسف', father: 'خالد', family: 'الشامي' } }, sex: 'male', estimatedAge: 30 }],
      });
      assert.equal(r.status, 201);
      const found = await registrar.get(`/api/operations/${op}/persons?q=${encodeURIComponent('Yousef al-Shami')}`);
      assert.equal(found.status, 200);
      assert.ok(
        found.body.some((p: { id: string }) => p.id === r.body.members[0].id),
        'Latin search finds the Arabic registration',
      );
    });

    test('a person is found by a tag typed in lower case without the dash', async () => {
      const tag = encodeTag(serial++);
      const r = await registrar.post(`/api/operations/${op}/households`, household(formatTag(tag)));
      assert.equal(r.status, 201);
      const found = await registrar.get(`/api/operations/${op}/persons?tag=${tag.toLowerCase()}`);
      assert.equal(found.status, 200);
      assert.equal(found.body.length, 1);
      assert.equal(found.body[0].id, r.body.members[0].id);
    });

    test('a mistyped tag is refused with a field-level message and nothing is written', async () => {
      const good = encodeTag(serial++);
      const typo = good.slice(0, 2) + (good[2] === 'A' ? 'C' : 'A') + good.slice(3);
      const before = await h.db.kysely
        .selectFrom('persons')
        .select((eb) => eb.fn.countAll<number>().as('c'))
        .executeTakeFirstOrThrow();
      const r = await registrar.post(`/api/operations/${op}/households`, household(typo));
      assert.equal(r.status, 400);
      assert.equal(r.body.error.code, 'tag.invalid');
      assert.equal(r.body.error.details.fields[0].path, 'members.0.tag');
      const afterCount = await h.db.kysely
        .selectFrom('persons')
        .select((eb) => eb.fn.countAll<number>().as('c'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(afterCount.c), Number(before.c));
    });

    test('a tag outside every wristband range is refused', async () => {
      const r = await registrar.post(`/api/operations/${op}/households`, household(formatTag(encodeTag(900_000))));
      assert.equal(r.status, 409);
      assert.equal(r.body.error.code, 'tag.not_in_range');
    });

    test('a tag already bound is refused and the second household is not half-written', async () => {
      const tag = formatTag(encodeTag(serial++));
      assert.equal((await registrar.post(`/api/operations/${op}/households`, household(tag))).status, 201);
      const households = async () =>
        Number(
          (
            await h.db.kysely
              .selectFrom('households')
              .select((eb) => eb.fn.countAll<number>().as('c'))
              .executeTakeFirstOrThrow()
          ).c,
        );
      const before = await households();
      const r = await registrar.post(`/api/operations/${op}/households`, household(tag));
      assert.equal(r.status, 409);
      assert.equal(r.body.error.code, 'tag.taken');
      assert.equal(await households(), before);
    });

    test('a registrar may not write the restricted category; nothing is written', async () => {
      const body = household(formatTag(encodeTag(serial++)));
      (body.members[0] as Record<string, unknown>).category = 'combatant';
      const r = await registrar.post(`/api/operations/${op}/households`, body);
      assert.equal(r.status, 403);
      assert.equal(r.body.error.code, 'auth.restricted_field');
      assert.equal(r.body.error.details.fields[0].path, 'members.0.category');
    });

    test('a coordinator sees the category; a viewer sees no person at all', async () => {
      const r = await registrar.post(`/api/operations/${op}/households`, household(formatTag(encodeTag(serial++))));
      const id = r.body.members[0].id;
      const coordinator = await h.userWithRoles(op, ['coordinator']);
      const c = await coordinator.get(`/api/operations/${op}/persons/${id}`);
      assert.equal(c.status, 200);
      assert.equal(c.body.category, 'unknown');
      const v = await viewer.get(`/api/operations/${op}/persons/${id}`);
      assert.equal(v.status, 403);
      const s = await viewer.get(`/api/operations/${op}/persons?q=mohammed`);
      assert.equal(s.status, 403);
    });

    test('every read of a person is in the audit log, with who read it', async () => {
      const r = await registrar.post(`/api/operations/${op}/households`, household(formatTag(encodeTag(serial++))));
      const id = r.body.members[0].id;
      await registrar.get(`/api/operations/${op}/persons/${id}`);
      const rows = await h.db.kysely
        .selectFrom('audit_log')
        .selectAll()
        .where('subject_id', '=', id)
        .where('action', '=', 'person.read')
        .execute();
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.actor_id, registrar.userId);
    });

    test('the same client id with the same body creates nothing new and answers the same', async () => {
      const body = household(formatTag(encodeTag(serial++)));
      const key = '01J9ZS6N4Q0000000000000000';
      const a = await registrar.post(`/api/operations/${op}/households`, body, { key });
      const b = await registrar.post(`/api/operations/${op}/households`, body, { key });
      assert.equal(a.status, 201);
      assert.equal(b.status, 201);
      assert.deepEqual(b.body, a.body);
      assert.equal(b.headers['idempotent-replayed'], 'true');
      const c = await registrar.post(`/api/operations/${op}/households`, { ...body, siteId: 'rashidin' }, { key });
      assert.equal(c.status, 409);
      assert.equal(c.body.error.code, 'request.idempotency_key_reused');
      const stored = await h.db.kysely.selectFrom('households').select('site_id').where('id', '=', a.body.id).executeTakeFirstOrThrow();
      assert.equal(stored.site_id, 'amiriyah', 'the first version stays');
    });

    test('a write without a client id is refused', async () => {
      const r = await registrar.post(`/api/operations/${op}/households`, household(formatTag(encodeTag(serial++))), { key: null });
      assert.equal(r.status, 400);
      assert.equal(r.body.error.code, 'request.idempotency_key_missing');
    });

    test('corrections change the record and re-key the name search', async () => {
      const r = await registrar.post(`/api/operations/${op}/households`, {
        siteId: 'amiriyah',
        members: [{ names: { lat: { given: 'Samir', family: 'Haddad' } }, sex: 'male', estimatedAge: 25 }],
      });
      const id = r.body.members[0].id;
      const p = await registrar.patch(`/api/operations/${op}/persons/${id}`, {
        names: { lat: { given: 'Samer', family: 'Haddad' } },
        phone: '+963 900 000 001',
      });
      assert.equal(p.status, 200, JSON.stringify(p.body));
      assert.equal(p.body.names.lat.given, 'Samer');
      assert.equal(p.body.phone, '+963 900 000 001');
      assert.equal(p.body.version, 2);
    });
  });
}
