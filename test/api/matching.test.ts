import { after, before, describe, test } from 'node:test';
import { grantRoles } from '../../src/db/queries/operations.js';
import assert from 'node:assert/strict';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, type Client, type Harness } from '../support/harness.js';
import { proposalsFor } from '../support/duplicates.js';
import { permissionsOf } from '../../src/domain/policy.js';
import { describeRow, findCandidates } from '../../src/services/matching/candidates.js';
import type { Ctx } from '../../src/services/context.js';
import { dedupeOperation } from '../../src/services/matching/duplicate-reviews.js';

for (const dialect of dialects) {
  describe(`duplicates and tracing (${dialect.name})`, () => {
    let h: Harness;
    let op: string;
    let registrar: Client;
    let tracer: Client, secondTracer: Client;

    // The answer says the check is queued; the pairs it proposed, once checked, stand in for warnings.
    const seen = new Set<string>();
    const register = async (members: object[]) => {
      const r = await registrar.post(`/api/operations/${op}/households`, { siteId: 'amiriyah', members });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.duplicateCheck, 'queued');
      const ids = r.body.members.map((m: { id: string }) => m.id);
      return { ...r.body, duplicateWarnings: await proposalsFor(h, op, ids, seen) };
    };
    const counts = async () => (await h.admin.get(`/api/operations/${op}/counts`)).body;

    before(async () => {
      h = await startHarness(await dialect.open());
      op = (await setUpOperation(h)).id;
      registrar = await h.userWithRoles(op, ['registrar']);
      tracer = await h.userWithRoles(op, ['tracing_officer']);
      secondTracer = await h.userWithRoles(op, ['tracing_officer']);
      // Nobody grants roles to themselves through the API: set up in the database.
      await grantRoles(h.db.kysely, op, h.admin.userId, ['admin', 'coordinator'], h.admin.userId, new Date());
      h.admin = await h.login('root', 'correct horse battery staple');
    });
    after(async () => h.close());

    test('registering the same person again in another script is proposed for review just after it is saved', async () => {
      const first = await register([
        {
          names: { ar: { given: 'عبد الرحمن', father: 'محمود', grandfather: 'حسين', family: 'الحلبي' } },
          sex: 'male',
          estimatedAge: 34,
          consent: { tracing: true, disclosure: false },
        },
      ]);
      const second = await register([
        { names: { lat: { given: 'Abdulrahman', father: 'Mahmoud', family: 'Al-Halabi' } }, sex: 'male', estimatedAge: 35 },
      ]);
      assert.equal(first.duplicateWarnings.length, 0);
      const w = second.duplicateWarnings.find((x: { candidateId: string }) => x.candidateId === first.members[0].id);
      assert.ok(w, `expected a warning against the first registration: ${JSON.stringify(second.duplicateWarnings)}`);
      assert.ok(
        w.explanation.some((e: { field: string; weight: number }) => e.field === 'given' && e.weight > 0),
        'the explanation says the given names agree',
      );
      const queue = await registrar.get(`/api/operations/${op}/duplicates`);
      assert.equal(queue.status, 200);
      assert.ok(queue.body.some((r: { id: string }) => r.id === w.reviewId));
    });

    test('a draft registration shows its candidates, with names, before it is saved', async () => {
      const r = await registrar.post(
        `/api/operations/${op}/persons/candidates`,
        { names: { lat: { given: 'Abd al-Rahman', father: 'Mahmud', family: 'Halabi' } }, sex: 'male', estimatedAge: 33 },
        { key: null },
      );
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.ok(r.body.length >= 1);
      assert.ok(r.body[0].person.names);
    });

    test('siblings sharing father, grandfather and family names are not linked', async () => {
      const hh = await register([
        { names: { lat: { given: 'Omar', father: 'Khaled', grandfather: 'Yousef', family: 'Kassab' } }, sex: 'male', estimatedAge: 12 },
        { names: { lat: { given: 'Ali', father: 'Khaled', grandfather: 'Yousef', family: 'Kassab' } }, sex: 'male', estimatedAge: 10 },
      ]);
      const sibling = await register([
        { names: { lat: { given: 'Hamza', father: 'Khaled', grandfather: 'Yousef', family: 'Kassab' } }, sex: 'male', estimatedAge: 8 },
      ]);
      const linked = sibling.duplicateWarnings.filter(
        (w: { decision: string; candidateId: string }) =>
          w.decision === 'link' && hh.members.some((m: { id: string }) => m.id === w.candidateId),
      );
      assert.deepEqual(linked, []);
    });

    test('a corrected name is what the next registration is checked against, not the name scored before', async () => {
      const nour = { names: { lat: { given: 'Nour', father: 'Adel', family: 'Shami' } }, sex: 'female', estimatedAge: 40 };
      const first = await register([nour]);
      const id = first.members[0].id as string;
      // Scored once: its opened names are kept in memory.
      assert.ok((await register([nour])).duplicateWarnings.some((w: { candidateId: string }) => w.candidateId === id));
      const fixed = await registrar.patch(`/api/operations/${op}/persons/${id}`, {
        names: { lat: { given: 'Samira', father: 'Fadi', family: 'Qassem' } },
      });
      assert.equal(fixed.status, 200, JSON.stringify(fixed.body));
      const samira = await register([
        { names: { lat: { given: 'Samira', father: 'Fadi', family: 'Qassem' } }, sex: 'female', estimatedAge: 40 },
      ]);
      assert.ok(
        samira.duplicateWarnings.some((w: { candidateId: string }) => w.candidateId === id),
        `the corrected record is found under its new name: ${JSON.stringify(samira.duplicateWarnings)}`,
      );
    });

    test('a name alone finds its holders while it is rare, and no one once more people hold it than its cap', async () => {
      // Four people share only a given name; nothing else of theirs is alike.
      const holders = await register(
        ['Barhoum|Nizar|Tarabishi', 'Fawwaz|Qudsi|Ajami', 'Sakher|Dabbagh|Hamwi', 'Munzer|Ghazal|Sabbagh'].map((rest) => {
          const [father, grandfather, family] = rest.split('|');
          return { names: { lat: { given: 'Zubayr', father, grandfather, family } }, sex: 'male' };
        }),
      );
      const ids = holders.members.map((m: { id: string }) => m.id).sort();
      const keys = await h.keys.forOperation(h.db.kysely, op);
      const subject = { names: { lat: { given: 'Zubayr', family: 'Wannous' } } };
      const found = async (perKind?: Record<string, number>) =>
        (await findCandidates(h.db.kysely, keys, op, subject, { limit: 100, minDecision: 'none', ...(perKind ? { perKind } : {}) }))
          .map((c) => c.row.id)
          .filter((id) => ids.includes(id))
          .sort();
      assert.deepEqual(await found(), ids, 'a name held by four people finds them all under the default cap');
      assert.deepEqual(await found({ name: 4 }), ids, 'a cap of four still reads the key');
      assert.deepEqual(
        await found({ name: 3 }),
        [],
        'held by more people than its cap, the name key is left out, not cut to some of its holders',
      );
    });

    test('a merge keeps both records, counts the person once, and can be undone', async () => {
      const a = await register([
        { names: { lat: { given: 'Mohammed', father: 'Ahmad', grandfather: 'Ali', family: 'al-Hasan' } }, sex: 'male', estimatedAge: 40 },
      ]);
      const b = await register([
        { names: { ar: { given: 'محمد', father: 'أحمد', grandfather: 'علي', family: 'الحسن' } }, sex: 'male', estimatedAge: 40 },
      ]);
      const w = b.duplicateWarnings.find((x: { candidateId: string }) => x.candidateId === a.members[0].id);
      assert.ok(w, 'the Arabic registration is flagged against the Latin one');
      const before = (await counts()).totals.everyone;
      const m = await registrar.post(`/api/operations/${op}/duplicates/${w.reviewId}/merge`, { keep: a.members[0].id });
      assert.equal(m.status, 200, JSON.stringify(m.body));
      const merged = await registrar.get(`/api/operations/${op}/persons/${b.members[0].id}`);
      assert.equal(merged.status, 200, 'the merged record still exists');
      assert.equal(merged.body.mergedInto, a.members[0].id);
      const afterMerge = (await counts()).totals.everyone;
      assert.equal(afterMerge, before - 1, 'a merged duplicate is not counted twice');
      const again = await registrar.post(`/api/operations/${op}/duplicates/${w.reviewId}/merge`, { keep: a.members[0].id });
      assert.equal(again.status, 409);
      const u = await registrar.post(`/api/operations/${op}/duplicates/${w.reviewId}/undo`);
      assert.equal(u.status, 200);
      const restored = await registrar.get(`/api/operations/${op}/persons/${b.members[0].id}`);
      assert.equal(restored.body.mergedInto, null);
      assert.equal((await counts()).totals.everyone, before);
      const merges = await h.db.kysely
        .selectFrom('person_merges')
        .select('kind')
        .where('review_id', '=', w.reviewId)
        .orderBy('id')
        .execute();
      assert.deepEqual(
        merges.map((x) => x.kind),
        ['merge', 'undo'],
      );
    });

    test('the batch scan proposes pairs and proposes nothing twice', async () => {
      const r1 = await h.admin.post(`/api/operations/${op}/duplicates/scan`);
      assert.equal(r1.status, 200, JSON.stringify(r1.body));
      const r2 = await h.admin.post(`/api/operations/${op}/duplicates/scan`);
      assert.equal(r2.body.proposed, 0);
    });

    test('the batch scan decides every pair as the registration-time check does, in this thread and in worker threads', async () => {
      await register([
        { names: { lat: { given: 'Hussein', father: 'Ali', grandfather: 'Hassan', family: 'al-Masri' } }, sex: 'male', estimatedAge: 44 },
        { names: { lat: { given: 'Fatima', father: 'Ali', grandfather: 'Hassan', family: 'al-Masri' } }, sex: 'female', estimatedAge: 40 },
      ]);
      await register([
        { names: { ar: { given: 'حسين', father: 'علي', grandfather: 'حسن', family: 'المصري' } }, sex: 'male', estimatedAge: 45 },
      ]);
      await register([{ names: { lat: { given: 'Husein', father: 'Ali', family: 'Masri' } }, sex: 'male', estimatedAge: 43 }]);
      const keys = await h.keys.forOperation(h.db.kysely, op);
      const ctx: Ctx = {
        db: h.db.kysely,
        now: new Date(),
        keys: h.keys,
        operationId: op,
        roles: ['coordinator'],
        permissions: permissionsOf(['coordinator']),
        actor: { kind: 'user', id: h.admin.userId, name: 'test', isAdmin: true },
      };
      const openPairs = async () =>
        (
          await h.db.kysely
            .selectFrom('duplicate_reviews')
            .select(['person_a', 'person_b', 'decision', 'weight'])
            .where('operation_id', '=', op)
            .where('status', '=', 'open')
            .orderBy('person_a')
            .orderBy('person_b')
            .execute()
        ).map((r) => `${r.person_a} ${r.person_b} ${r.decision} ${r.weight.toFixed(9)}`);
      const clearOpen = () =>
        h.db.kysely.deleteFrom('duplicate_reviews').where('operation_id', '=', op).where('status', '=', 'open').execute();
      await clearOpen();
      const first = await dedupeOperation(ctx, { workers: 0 });
      assert.ok(first.proposed >= 3, JSON.stringify(first));
      const inThread = await openPairs();
      const proposed = new Set(inThread.map((p) => p.split(' ').slice(0, 2).join(' ')));
      // Each pair against the single-record check, with the lower id as the subject (as the batch orders a pair).
      const decided = new Set(
        (
          await h.db.kysely
            .selectFrom('duplicate_reviews')
            .select(['person_a', 'person_b'])
            .where('operation_id', '=', op)
            .where('status', '<>', 'open')
            .execute()
        ).map((d) => `${d.person_a} ${d.person_b}`),
      );
      const people = await h.db.kysely
        .selectFrom('persons')
        .selectAll()
        .where('operation_id', '=', op)
        .where('merged_into', 'is', null)
        .execute();
      for (const row of people) {
        const found = await findCandidates(h.db.kysely, keys, op, describeRow(keys, row), {
          excludeIds: [row.id],
          limit: 100,
          minDecision: 'none',
        });
        for (const c of found) {
          if (c.row.id < row.id) continue;
          const pair = `${row.id} ${c.row.id}`;
          const line = inThread.find((p) => p.startsWith(pair));
          if (c.decision === 'none') assert.equal(line, undefined, `the batch proposes ${pair}, the single check does not`);
          else if (!decided.has(pair)) assert.equal(line, `${pair} ${c.decision} ${c.weight.toFixed(9)}`);
        }
      }
      assert.ok(proposed.size > 0);
      await clearOpen();
      const threaded = await dedupeOperation(ctx, { workers: 2 });
      assert.equal(threaded.proposed, first.proposed);
      assert.deepEqual(await openPairs(), inThread);
      const again = await dedupeOperation(ctx, { workers: 2 });
      assert.equal(again.proposed, 0, 'a second run proposes nothing twice');
      // Keys shared by more people than the cap are compared within windows of birth year: the
      // duplicate (born within two years) is still found.
      await clearOpen();
      const windowed = await dedupeOperation(ctx, { workers: 0, maxBlockSize: 4 });
      assert.ok(windowed.windowedKeys > 0);
      const husseins = inThread.filter((p) => p.includes(' link '));
      assert.ok(husseins.length > 0);
      for (const p of husseins)
        assert.ok(
          (await openPairs()).some((q) => q.startsWith(p.split(' ').slice(0, 2).join(' '))),
          `${p} is found with windows too`,
        );
    });

    test('tracing proposes only people who consented, and discloses nothing without consent to disclosure', async () => {
      const consenting = await register([
        {
          names: { ar: { given: 'زينب', father: 'حسن', family: 'الدرويش' } },
          sex: 'female',
          estimatedAge: 9,
          consent: { tracing: true, disclosure: false },
        },
      ]);
      await register([
        {
          names: { ar: { given: 'زينب', father: 'حسن', family: 'الدرويش' } },
          sex: 'female',
          estimatedAge: 9,
          consent: { tracing: false, disclosure: false },
        },
      ]);
      const req = await tracer.post(`/api/operations/${op}/tracing`, {
        enquirer: { name: 'Enquirer One', phone: '+963 900 000 002' },
        relation: 'parent',
        sought: {
          names: { lat: { given: 'Zainab', father: 'Hassan' } },
          sex: 'female',
          ageMin: 7,
          ageMax: 11,
          lastSeenPlace: 'al-Amiriyah',
        },
      });
      assert.equal(req.status, 201, JSON.stringify(req.body));
      const ids = req.body.candidates.map((c: { personId: string }) => c.personId);
      assert.ok(ids.includes(consenting.members[0].id), 'the consenting child is proposed');
      assert.equal(ids.length, 1, 'the one who refused tracing is never proposed');
      const cand = req.body.candidates[0];
      assert.ok(cand.explanation.length > 0);
      const found = await tracer.post(`/api/operations/${op}/tracing/${req.body.id}/outcome`, {
        outcome: 'found',
        personId: consenting.members[0].id,
      });
      assert.equal(found.status, 200);
      assert.equal(found.body.status, 'found_pending');
      assert.equal(found.body.disclosure, null, 'a proposed found discloses nothing');
      const confirmed = await secondTracer.post(`/api/operations/${op}/tracing/${req.body.id}/outcome`, {
        outcome: 'confirm_found',
        personId: consenting.members[0].id,
      });
      assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
      assert.equal(confirmed.body.status, 'found_no_contact');
      assert.equal(confirmed.body.disclosure.allowed, false);
      assert.equal('siteId' in confirmed.body.disclosure, false);
      const reunite = await tracer.post(`/api/operations/${op}/tracing/${req.body.id}/outcome`, { outcome: 'reunited' });
      assert.equal(reunite.status, 409, 'no reunification without consent to contact');
      const views = await h.db.kysely
        .selectFrom('audit_log')
        .select('details')
        .where('action', '=', 'tracing.read')
        .where('subject_id', '=', req.body.id)
        .execute();
      assert.ok(views.length >= 2, 'every look at the candidates is audited');
    });

    test('a person missing in transit opens as a case that finds their re-registration under another spelling', async () => {
      const missing = await register([
        {
          names: { lat: { given: 'Khaled', father: 'Mustafa', grandfather: 'Hussein', family: 'Najjar' } },
          sex: 'male',
          estimatedAge: 52,
          consent: { tracing: true, disclosure: true },
        },
      ]);
      const again = await register([
        {
          names: { ar: { given: 'خالد', father: 'مصطفى', grandfather: 'حسين', family: 'النجار' } },
          sex: 'male',
          estimatedAge: 50,
          consent: { tracing: true, disclosure: true },
        },
      ]);
      const r = await tracer.post(`/api/operations/${op}/tracing/from-missing`, { personId: missing.members[0].id });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.origin, 'missing_in_transit');
      const ids = r.body.candidates.map((c: { personId: string }) => c.personId);
      assert.ok(!ids.includes(missing.members[0].id), 'the missing record is not its own candidate');
      assert.equal(ids[0], again.members[0].id, 'the Arabic re-registration ranks first');
    });

    test('only tracing officers see tracing data', async () => {
      for (const who of [registrar, await h.userWithRoles(op, ['viewer']), await h.userWithRoles(op, ['reception_officer'])]) {
        assert.equal((await who.get(`/api/operations/${op}/tracing`)).status, 403);
      }
    });

    test('a tracing request with ageMin above ageMax is refused field by field', async () => {
      const requests = async () =>
        Number(
          (
            await h.db.kysely
              .selectFrom('tracing_requests')
              .select((eb) => eb.fn.countAll<number>().as('c'))
              .where('operation_id', '=', op)
              .executeTakeFirstOrThrow()
          ).c,
        );
      const before = await requests();
      const r = await tracer.post(`/api/operations/${op}/tracing`, {
        enquirer: { name: 'X' },
        relation: 'parent',
        sought: { names: { lat: { given: 'Ali' } }, ageMin: 10, ageMax: 5 },
      });
      assert.equal(r.status, 400);
      assert.equal(r.body.error.details.fields[0].path, 'sought.ageMax');
      assert.equal(await requests(), before);
    });
  });
}
