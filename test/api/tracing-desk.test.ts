/**
 * The tracing desk's server side: a "found" is only a proposal until another officer confirms it
 * (nothing is disclosed before; the proposer cannot confirm), the requests come a page at a time with a filter by status and by words of
 * the names, the enquirer can be a registered person, and the protection alerts filter by kind.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../support/db.js';
import { startHarness, type Client, type Harness } from '../support/harness.js';
import { setUpTracing, type TracingSetup } from '../support/tracing.js';

for (const dialect of dialects) {
  describe(`tracing desk (${dialect.name})`, () => {
    let h: Harness;
    let base: string;
    let tracer: Client, secondTracer: Client, reception: Client;
    let register: TracingSetup['register'], openRequest: TracingSetup['openRequest'], outcome: TracingSetup['outcome'];
    let operationId: string;

    before(async () => {
      h = await startHarness(await dialect.open());
      ({ operationId, base, tracer, reception, register, openRequest, outcome } = await setUpTracing(h, 'tracing-desk'));
      secondTracer = await h.userWithRoles(operationId, ['tracing_officer']);
    });
    after(async () => h.close());

    test('"found" waits for a confirmation naming the same person before anything is disclosed; "not the person" reopens', async () => {
      const sought = await register([
        { names: { lat: { given: 'Rami', father: 'Walid', family: 'Sabbagh' } }, sex: 'male', estimatedAge: 30 },
      ]);
      const other = await register([
        {
          names: { lat: { given: 'Rami', father: 'Walid', family: 'Sabbagh' } },
          sex: 'male',
          estimatedAge: 31,
          consent: { tracing: true, disclosure: true },
        },
      ]);
      await h.db.kysely
        .updateTable('persons')
        .set({ consent_tracing: true, consent_disclosure: true })
        .where('id', '=', sought.members[0]!.id)
        .execute();
      const req = await openRequest({ name: 'Enquirer Synthetic' }, { names: { lat: { given: 'Rami', family: 'Sabbagh' } }, sex: 'male' });
      const personId = sought.members[0]!.id;

      const proposed = await outcome(req.id, { outcome: 'found', personId });
      assert.equal(proposed.status, 200, JSON.stringify(proposed.body));
      assert.equal(proposed.body.status, 'found_pending');
      assert.equal(proposed.body.foundPersonId, personId);
      assert.equal(proposed.body.disclosure, null, 'nothing is disclosed before the confirmation');
      const read = await tracer.get(`${base}/tracing/${req.id}`);
      assert.equal(read.body.disclosure, null);

      const again = await outcome(req.id, { outcome: 'found', personId: other.members[0]!.id });
      assert.equal(again.status, 409, 'a second "found" while one waits is refused');
      const wrong = await outcome(req.id, { outcome: 'confirm_found', personId: other.members[0]!.id });
      assert.equal(wrong.status, 409);
      assert.equal(wrong.body.error.code, 'tracing.not_pending', 'confirming another person than the one proposed is refused');
      const noPerson = await outcome(req.id, { outcome: 'confirm_found' });
      assert.equal(noPerson.status, 400, 'a confirmation names the person');
      const reunitedEarly = await outcome(req.id, { outcome: 'reunited' });
      assert.equal(reunitedEarly.status, 409, 'no reunification before the confirmation');

      const rejected = await outcome(req.id, { outcome: 'not_the_person', personId });
      assert.equal(rejected.status, 200, JSON.stringify(rejected.body));
      assert.equal(rejected.body.status, 'open');
      assert.equal(rejected.body.foundPersonId, null);
      assert.equal((await outcome(req.id, { outcome: 'confirm_found', personId })).body.error.code, 'tracing.not_pending');

      await outcome(req.id, { outcome: 'found', personId });
      assert.equal((await tracer.get(`${base}/tracing/${req.id}`)).body.proposedByYou, true);
      assert.equal((await secondTracer.get(`${base}/tracing/${req.id}`)).body.proposedByYou, false);
      // Four eyes: the officer who proposed the person does not confirm it too; nothing changes.
      const own = await outcome(req.id, { outcome: 'confirm_found', personId });
      assert.equal(own.status, 403, JSON.stringify(own.body));
      assert.equal(own.body.error.code, 'tracing.same_officer');
      assert.equal((await tracer.get(`${base}/tracing/${req.id}`)).body.status, 'found_pending');
      const confirmed = await secondTracer.post(`${base}/tracing/${req.id}/outcome`, { outcome: 'confirm_found', personId });
      assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
      assert.equal(confirmed.body.proposedByYou, false);
      assert.equal(confirmed.body.status, 'found');
      assert.equal(confirmed.body.disclosure.allowed, true, 'the confirmation makes the case disclosable (the person consented)');
      assert.deepEqual(
        confirmed.body.events.map((e: { kind: string }) => e.kind),
        ['found_pending', 'not_the_person', 'found_pending', 'found'],
      );
      const stored = await h.db.kysely.selectFrom('tracing_requests').select('status').where('id', '=', req.id).executeTakeFirstOrThrow();
      assert.equal(stored.status, 'found');
    });

    test('the requests come a page at a time, filtered by status, origin and words of the names in either script', async () => {
      const made: string[] = [];
      for (let i = 0; i < 7; i++) {
        const r = await openRequest(
          { name: `Asker ${i}` },
          { names: i % 2 ? { ar: { given: 'أحمد', family: 'القاسم' } } : { lat: { given: 'Yusuf', family: `Idlibi${i}` } } },
        );
        made.push(r.id);
      }
      const page1 = await tracer.get(`${base}/tracing?limit=3`);
      assert.equal(page1.status, 200, JSON.stringify(page1.body));
      assert.equal(page1.body.requests.length, 3);
      assert.ok(page1.body.total >= 7);
      const page2 = await tracer.get(`${base}/tracing?limit=3&offset=3`);
      assert.equal(page2.body.offset, 3);
      const ids1 = page1.body.requests.map((r: { id: string }) => r.id);
      const ids2 = page2.body.requests.map((r: { id: string }) => r.id);
      assert.equal(new Set([...ids1, ...ids2]).size, 6, 'pages do not overlap');
      assert.deepEqual(ids1, [...made].reverse().slice(0, 3), 'newest first');

      const arabic = await tracer.get(`${base}/tracing?q=${encodeURIComponent('احمد')}&limit=2`);
      assert.equal(arabic.body.total, 3, 'the Arabic name is found without its hamza');
      assert.equal(arabic.body.requests.length, 2);
      const arabicRest = await tracer.get(`${base}/tracing?q=${encodeURIComponent('احمد')}&limit=2&offset=2`);
      assert.equal(arabicRest.body.requests.length, 1);
      const latin = await tracer.get(`${base}/tracing?q=idlibi4`);
      assert.deepEqual(
        latin.body.requests.map((r: { id: string }) => r.id),
        [made[4]],
      );
      const byEnquirer = await tracer.get(`${base}/tracing?q=${encodeURIComponent('asker 5')}`);
      assert.deepEqual(
        byEnquirer.body.requests.map((r: { id: string }) => r.id),
        [made[5]],
      );

      await outcome(made[0]!, { outcome: 'not_found' });
      const notFound = await tracer.get(`${base}/tracing?status=not_found`);
      assert.deepEqual(
        notFound.body.requests.map((r: { id: string }) => r.id),
        [made[0]],
      );
      assert.equal(notFound.body.total, 1);
      const audited = await h.db.kysely
        .selectFrom('audit_log')
        .select('details')
        .where('action', '=', 'tracing.list')
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow();
      const details = (typeof audited.details === 'string' ? JSON.parse(audited.details) : audited.details) as { results: string[] };
      assert.equal(details.results.length, 1, 'the audit names the requests the page showed');
      assert.equal((await tracer.get(`${base}/tracing?status=not_found&q=yusuf`)).body.total, 1);
      assert.equal((await tracer.get(`${base}/tracing?origin=missing_in_transit`)).body.total, 0);
      assert.equal((await tracer.get(`${base}/tracing?status=nope`)).status, 400);
    });

    test('the enquirer can be a registered person, who is never proposed as the one they look for', async () => {
      const family = await register([
        {
          names: { lat: { given: 'Nour', father: 'Adel', family: 'Haddad' } },
          sex: 'female',
          estimatedAge: 25,
          consent: { tracing: true, disclosure: true },
        },
      ]);
      const enquirer = family.members[0]!.id;
      const req = await openRequest(
        { name: 'Nour Haddad', personId: enquirer },
        { names: { lat: { given: 'Nour', family: 'Haddad' } }, sex: 'female' },
      );
      assert.equal(req.enquirer.personId, enquirer);
      assert.ok(!req.candidates.some((c: { personId: string }) => c.personId === enquirer), 'the enquirer is not their own candidate');
      const unknown = await tracer.post(`${base}/tracing`, {
        enquirer: { name: 'Nobody', personId: 'no-such-person' },
        relation: 'other',
        sought: { names: { lat: { given: 'X' } } },
      });
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.error.details.fields[0].path, 'enquirer.personId');
    });

    test('protection alerts filter by kind', async () => {
      for (const [given, flag] of [
        ['Lina', 'unaccompanied_child'],
        ['Sara', 'separated_child'],
      ] as const) {
        const r = await register([
          { names: { lat: { given, family: 'Synthetic' } }, sex: 'female', estimatedAge: 8, vulnerabilities: [flag] },
        ]);
        const c = await reception.post(`${base}/check-ins`, { siteId: 'rashidin', personId: r.members[0]!.id });
        assert.equal(c.status, 201, JSON.stringify(c.body));
      }
      const alone = await tracer.get(`${base}/protection-alerts?kind=unaccompanied_child`);
      assert.equal(alone.status, 200);
      assert.deepEqual(
        alone.body.map((a: { kind: string }) => a.kind),
        ['unaccompanied_child'],
      );
      assert.equal((await tracer.get(`${base}/protection-alerts?kind=separated_child`)).body.length, 1);
      assert.equal((await tracer.get(`${base}/protection-alerts?kind=adult`)).status, 400);
    });
  });
}
