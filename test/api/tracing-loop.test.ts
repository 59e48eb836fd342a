/**
 * Tracing closes the loop: a registration made after a request was opened (one household, an
 * offline queue, a corrected record) is scored against the open requests and, when it may be the
 * person sought and consented to tracing, proposed — and the request comes first on the tracing
 * desk until an officer opens it. A check-in of a proposed person is news too. Two requests whose
 * enquirers seek each other are linked both ways.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, type Client, type Harness } from '../support/harness.js';
import { consentingToTracing as consenting, setUpTracing, type TracingSetup } from '../support/tracing.js';

for (const dialect of dialects) {
  describe(`tracing closes the loop (${dialect.name})`, () => {
    let h: Harness;
    let base: string;
    let registrar: Client, tracer: Client, reception: Client;
    let register: TracingSetup['register'], openRequest: TracingSetup['openRequest'], summaryOf: TracingSetup['summaryOf'];

    before(async () => {
      h = await startHarness(await dialect.open());
      ({ base, registrar, tracer, reception, register, openRequest, summaryOf } = await setUpTracing(h, 'tracing-loop'));
    });
    after(async () => h.close());

    test('a registration after the request is proposed, the request comes first with news, and opening it clears the news', async () => {
      const older = await openRequest({ name: 'Enquirer Older' }, { names: { lat: { given: 'Nobody', family: 'Elsewhere' } } });
      const req = await openRequest(
        { name: 'Hala Qadri' },
        { names: { lat: { given: 'Zakariya', father: 'Munir', family: 'Qadri' } }, sex: 'male', ageMin: 8, ageMax: 12 },
      );
      assert.equal(req.candidates.length, 0, 'nobody of that name is registered yet');
      const before = await summaryOf(req.id);
      assert.equal(before.row.attentionAt, null);

      // Someone else, and the right person without consent to tracing: not proposed.
      await register([{ names: { lat: { given: 'Omar', family: 'Haddad' } }, sex: 'male', estimatedAge: 40, consent: consenting }]);
      const noConsent = await register([
        { names: { lat: { given: 'Zakariya', father: 'Munir', family: 'Qadri' } }, sex: 'male', estimatedAge: 10 },
      ]);
      assert.equal((await summaryOf(req.id)).row.attentionAt, null, 'nobody who consented matched');

      // The boy registered with consent, at another desk, days later.
      const found = await register([
        { names: { lat: { given: 'Zakaria', father: 'Mounir', family: 'Kadri' } }, sex: 'male', estimatedAge: 10, consent: consenting },
      ]);
      const boy = found.members[0]!.id;
      const after = await summaryOf(req.id);
      assert.ok(after.row.attentionAt, 'the request has news');
      assert.ok(after.list.needingAttention >= 1);
      assert.equal(after.list.requests[0].id, req.id, 'the request with news comes first');
      assert.equal(after.row.candidates, 1);
      const onlyNews = await tracer.get(`${base}/tracing?attention=true`);
      assert.deepEqual(
        onlyNews.body.requests.map((r: { id: string }) => r.id),
        [req.id],
      );
      assert.ok(!onlyNews.body.requests.some((r: { id: string }) => r.id === older.id));

      const detail = await tracer.get(`${base}/tracing/${req.id}`);
      assert.equal(detail.status, 200);
      assert.deepEqual(
        detail.body.candidates.map((c: { personId: string }) => c.personId),
        [boy],
      );
      assert.ok(!detail.body.candidates.some((c: { personId: string }) => c.personId === noConsent.members[0]!.id));
      const ev = detail.body.events.find((e: { kind: string }) => e.kind === 'candidate_proposed');
      assert.equal(ev.personId, boy);
      assert.equal((await summaryOf(req.id)).row.attentionAt, null, 'an officer opened it: the news is read');
    });

    test('an offline queue and a corrected record reach the requests too; a check-in of a proposed person is news', async () => {
      const req = await openRequest(
        { name: 'Synthetic Aunt' },
        { names: { ar: { given: 'لمى', father: 'سامر', family: 'النعيمي' } }, sex: 'female', ageMin: 20, ageMax: 30 },
      );
      // A desk's offline queue, sent later.
      const queued = await registrar.post(`${base}/households/batch`, {
        households: [
          {
            siteId: 'amiriyah',
            registeredAt: new Date(Date.now() - 3_600_000).toISOString(),
            members: [
              { names: { ar: { given: 'لمى', father: 'سامر', family: 'النعيمي' } }, sex: 'female', estimatedAge: 25, consent: consenting },
            ],
          },
        ],
      });
      assert.ok([200, 201].includes(queued.status), JSON.stringify(queued.body));
      let detail = await tracer.get(`${base}/tracing/${req.id}`);
      assert.equal(detail.body.candidates.length, 1, JSON.stringify(detail.body.candidates));
      const lama = detail.body.candidates[0].personId as string;

      // A record registered with a typo, corrected by the registrar: proposed once it reads right.
      const req2 = await openRequest(
        { name: 'Synthetic Uncle' },
        { names: { lat: { given: 'Bashir', father: 'Nizar', family: 'Tarabishi' } }, sex: 'male', ageMin: 50, ageMax: 60 },
      );
      const typo = await register([
        { names: { lat: { given: 'Xqwv', family: 'Zzrt' } }, sex: 'male', estimatedAge: 55, consent: consenting },
      ]);
      assert.equal((await tracer.get(`${base}/tracing/${req2.id}`)).body.candidates.length, 0);
      const fixed = await registrar.patch(`${base}/persons/${typo.members[0]!.id}`, {
        names: { lat: { given: 'Bashir', father: 'Nizar', family: 'Tarabishi' } },
      });
      assert.equal(fixed.status, 200, JSON.stringify(fixed.body));
      detail = await tracer.get(`${base}/tracing/${req2.id}`);
      assert.deepEqual(
        detail.body.candidates.map((c: { personId: string }) => c.personId),
        [typo.members[0]!.id],
      );

      // The proposed woman is checked in at a reception centre.
      assert.equal((await summaryOf(req.id)).row.attentionAt, null);
      const checkIn = await reception.post(`${base}/check-ins`, { siteId: 'rashidin', personId: lama });
      assert.equal(checkIn.status, 201, JSON.stringify(checkIn.body));
      assert.ok((await summaryOf(req.id)).row.attentionAt, 'her arrival is news for the request');
      detail = await tracer.get(`${base}/tracing/${req.id}`);
      const arrived = detail.body.events.find((e: { kind: string }) => e.kind === 'candidate_checked_in');
      assert.equal(arrived.personId, lama);
      assert.match(arrived.note, /rashidin/);
    });

    test('two relatives looking for each other: the requests are linked both ways, as mutual', async () => {
      const mother = await openRequest(
        { name: 'Rasha Jaber' },
        { names: { lat: { given: 'Tamer', family: 'Jaber' } }, sex: 'male', ageMin: 14, ageMax: 18 },
      );
      assert.deepEqual(mother.linkedRequests, []);
      const son = await openRequest(
        { name: 'Tamer Jaber' },
        { names: { lat: { given: 'Rasha', family: 'Jaber' } }, sex: 'female', ageMin: 35, ageMax: 50 },
      );
      assert.equal(son.linkedRequests.length, 1, JSON.stringify(son.linkedRequests));
      assert.deepEqual(
        (son.linkedRequests as { requestId: string; direction: string }[]).map((l) => [l.requestId, l.direction]),
        [[mother.id, 'mutual']],
      );
      const back = await tracer.get(`${base}/tracing/${mother.id}`);
      assert.deepEqual(
        back.body.linkedRequests.map((l: { requestId: string; direction: string }) => [l.requestId, l.direction]),
        [[son.id, 'mutual']],
      );
      assert.ok(back.body.events.some((e: { kind: string; note: string }) => e.kind === 'request_linked' && e.note.includes(son.id)));

      // One way only: someone seeks a person whose own request asks for somebody else.
      const oneWay = await openRequest(
        { name: 'Synthetic Neighbour' },
        { names: { lat: { given: 'Rasha', family: 'Jaber' } }, sex: 'female' },
      );
      const links = (oneWay.linkedRequests as { requestId: string; direction: string }[]).map((l) => [l.requestId, l.direction]);
      assert.deepEqual(links, [[mother.id, 'their_enquirer_is_sought']]);

      const entry = await h.db.kysely
        .selectFrom('audit_log')
        .select('details')
        .where('action', '=', 'tracing.create')
        .where('subject_id', '=', son.id)
        .executeTakeFirstOrThrow();
      assert.equal((entry.details as { linked: number }).linked, 1);
    });

    test('the person sought is looked for in the other operations where the officer holds the tracing right, audited in both', async () => {
      const op2 = (await setUpOperation(h, 'tracing-loop-second')).id;
      const op3 = (await setUpOperation(h, 'tracing-loop-third')).id;
      const base2 = `/api/operations/${op2}`;
      assert.equal((await h.admin.put(`${base2}/staff/${tracer.userId}`, { roles: ['tracing_officer'] })).status, 200);
      // In the third operation the officer is only a viewer: it is not searched.
      assert.equal((await h.admin.put(`/api/operations/${op3}/staff/${tracer.userId}`, { roles: ['viewer'] })).status, 200);
      const registrar2 = await h.userWithRoles(op2, ['registrar']);
      const registrar3 = await h.userWithRoles(op3, ['registrar']);
      const member = { names: { lat: { given: 'Ghassan', father: 'Adel', family: 'Mardini' } }, sex: 'male', estimatedAge: 12 };
      const there = await registrar2.post(`${base2}/households`, { siteId: 'amiriyah', members: [{ ...member, consent: consenting }] });
      assert.equal(there.status, 201, JSON.stringify(there.body));
      const noConsent = await registrar2.post(`${base2}/households`, { siteId: 'amiriyah', members: [member] });
      assert.equal(noConsent.status, 201);
      assert.equal(
        (await registrar3.post(`/api/operations/${op3}/households`, { siteId: 'amiriyah', members: [{ ...member, consent: consenting }] }))
          .status,
        201,
      );

      const req = await openRequest(
        { name: 'Synthetic Grandmother' },
        { names: { lat: { given: 'Ghassan', family: 'Mardini' } }, sex: 'male', ageMin: 10, ageMax: 14 },
      );
      assert.equal(req.candidates.length, 0, 'not in this operation');
      const r = await tracer.get(`${base}/tracing/${req.id}/elsewhere`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(
        r.body.operations.map((o: { operationId: string }) => o.operationId),
        [op2],
        'only where the officer holds the tracing right',
      );
      assert.deepEqual(
        r.body.operations[0].candidates.map((c: { personId: string }) => c.personId),
        [there.body.members[0].id],
        'consenting people only',
      );
      assert.equal(r.body.operations[0].code, 'tracing-loop-second');
      const audits = await h.db.kysely
        .selectFrom('audit_log')
        .select(['operation_id', 'action', 'details'])
        .where('subject_id', '=', req.id)
        .where('action', 'in', ['tracing.search_elsewhere', 'tracing.read_elsewhere'])
        .execute();
      assert.deepEqual(audits.map((a) => [a.action, a.operation_id]).sort(), [
        ['tracing.read_elsewhere', op2],
        ['tracing.search_elsewhere', base.split('/')[3]],
      ]);
      // Another officer of this operation only sees nothing elsewhere.
      const local = await h.userWithRoles(base.split('/')[3]!, ['tracing_officer']);
      assert.deepEqual((await local.get(`${base}/tracing/${req.id}/elsewhere`)).body.operations, []);
      assert.equal((await registrar.get(`${base}/tracing/${req.id}/elsewhere`)).status, 403);
    });

    test('news and links are for the tracing desk only: a registrar and a viewer are refused the list', async () => {
      assert.equal((await registrar.get(`${base}/tracing`)).status, 403);
      const viewer = await h.userWithRoles(base.split('/')[3]!, ['viewer']);
      assert.equal((await viewer.get(`${base}/tracing?attention=true`)).status, 403);
      const bad = await tracer.get(`${base}/tracing?attention=maybe`);
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.details.fields[0].path, 'query.attention');
    });
  });
}
