/**
 * Acting on protection alerts: a tracing officer acknowledges an alert and closes it with an
 * outcome and a note; the note is sealed at rest, both steps are audited, closing twice is a
 * 409 that says who closed it, and the list filters by status and acknowledgement.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, type Client, type Harness } from '../support/harness.js';

for (const dialect of dialects) {
  describe(`protection alerts (${dialect.name})`, () => {
    let h: Harness;
    let base: string;
    let registrar: Client, reception: Client, tracer: Client, viewer: Client;
    let tracerName: string;
    const alertIds: string[] = [];
    const NOTE = 'Synthetic note: the aunt was found in tent 12 and confirmed by the child.';

    async function childArrives(given: string, vulnerability: 'unaccompanied_child' | 'separated_child') {
      const r = await registrar.post(`${base}/households`, {
        siteId: 'amiriyah',
        members: [{ names: { lat: { given, family: 'Synthetic' } }, sex: 'female', estimatedAge: 9, vulnerabilities: [vulnerability] }],
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const c = await reception.post(`${base}/check-ins`, { siteId: 'rashidin', personId: r.body.members[0].id });
      assert.equal(c.status, 201, JSON.stringify(c.body));
      assert.equal(c.body.alerts.length, 1);
      return c.body.alerts[0].id as string;
    }

    before(async () => {
      h = await startHarness(await dialect.open());
      const op = (await setUpOperation(h, 'alerts-op')).id;
      base = `/api/operations/${op}`;
      [registrar, reception, tracer, viewer] = (await Promise.all(
        (['registrar', 'reception_officer', 'tracing_officer', 'viewer'] as const).map((r) => h.userWithRoles(op, [r])),
      )) as [Client, Client, Client, Client];
      alertIds.push(
        await childArrives('Lina', 'unaccompanied_child'),
        await childArrives('Sara', 'separated_child'),
        await childArrives('Huda', 'unaccompanied_child'),
      );
      tracerName = (await h.db.kysely.selectFrom('users').select('display_name').where('id', '=', tracer.userId).executeTakeFirstOrThrow())
        .display_name;
    });
    after(async () => h.close());

    test('a tracing officer acknowledges an alert; it stays open, and a second acknowledgement is a 409 naming the first', async () => {
      const r = await tracer.post(`${base}/protection-alerts/${alertIds[0]}/acknowledge`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.status, 'open');
      assert.equal(r.body.acknowledgedBy, tracer.userId);
      assert.equal(r.body.acknowledgedByName, tracerName, 'who acknowledged, by display name');
      assert.equal(r.body.closedByName, null);
      assert.ok(r.body.acknowledgedAt);
      const again = await tracer.post(`${base}/protection-alerts/${alertIds[0]}/acknowledge`);
      assert.equal(again.status, 409);
      assert.equal(again.body.error.code, 'protection_alert.already_acknowledged');
      assert.equal(again.body.error.details.acknowledgedBy, tracer.userId);
      assert.equal(again.body.error.details.acknowledgedByName, tracerName);
      assert.match(again.body.error.message, new RegExp(`acknowledged by ${tracerName} at`));
    });

    test('closing needs an outcome from the list and a note, refused by field', async () => {
      const noNote = await tracer.post(`${base}/protection-alerts/${alertIds[0]}/close`, { outcome: 'reunited' });
      assert.equal(noNote.status, 400);
      assert.equal(noNote.body.error.details.fields[0].path, 'note');
      const blank = await tracer.post(`${base}/protection-alerts/${alertIds[0]}/close`, { outcome: 'reunited', note: '   ' });
      assert.equal(blank.status, 400);
      assert.equal(blank.body.error.details.fields[0].path, 'note');
      const badOutcome = await tracer.post(`${base}/protection-alerts/${alertIds[0]}/close`, { outcome: 'found', note: 'x' });
      assert.equal(badOutcome.status, 400);
      assert.equal(badOutcome.body.error.details.fields[0].path, 'outcome');
      const unknown = await tracer.post(`${base}/protection-alerts/01ARZ3NDEKTSV4RRFFQ69G5FAV/close`, { outcome: 'reunited', note: 'x' });
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.error.code, 'protection_alert.not_found');
    });

    test('closing records the outcome and the note, sealed at rest, and audits both steps without the note', async () => {
      const r = await tracer.post(`${base}/protection-alerts/${alertIds[0]}/close`, { outcome: 'reunited', note: NOTE });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.status, 'closed');
      assert.equal(r.body.outcome, 'reunited');
      assert.equal(r.body.note, NOTE);
      assert.equal(r.body.closedBy, tracer.userId);
      assert.equal(r.body.closedByName, tracerName);
      assert.equal(r.body.acknowledgedByName, tracerName);
      const raw = await sql<{ j: string }>`select to_jsonb(a)::text as j, encode(note, 'escape') as n from protection_alerts a`.execute(
        h.db.kysely,
      );
      const text = raw.rows.map((x) => JSON.stringify(x)).join('\n');
      assert.equal(text.includes('aunt was found'), false, 'the note is not stored in clear');
      const audit = await h.db.kysely
        .selectFrom('audit_log')
        .select(['action', 'actor_id', 'subject_id', 'details'])
        .where('subject_id', '=', alertIds[0]!)
        .orderBy('seq')
        .execute();
      assert.deepEqual(
        audit.map((a) => a.action),
        ['protection_alert.acknowledge', 'protection_alert.close'],
      );
      assert.ok(audit.every((a) => a.actor_id === tracer.userId));
      assert.equal((audit[1]!.details as { outcome: string }).outcome, 'reunited');
      assert.equal(JSON.stringify(audit).includes('aunt'), false, 'the audit log does not carry the note');
    });

    test('closing a closed alert is a 409 that says who closed it and how; the first outcome stands', async () => {
      const again = await tracer.post(`${base}/protection-alerts/${alertIds[0]}/close`, { outcome: 'referred', note: 'another note' });
      assert.equal(again.status, 409);
      assert.equal(again.body.error.code, 'protection_alert.closed');
      assert.equal(again.body.error.details.outcome, 'reunited');
      assert.equal(again.body.error.details.closedBy, tracer.userId);
      assert.equal(again.body.error.details.closedByName, tracerName);
      assert.match(again.body.error.message, new RegExp(`closed \\(reunited\\) by ${tracerName} at`));
      const ack = await tracer.post(`${base}/protection-alerts/${alertIds[0]}/acknowledge`);
      assert.equal(ack.status, 409);
      assert.equal(ack.body.error.code, 'protection_alert.closed');
      const list = await tracer.get(`${base}/protection-alerts?status=closed`);
      assert.deepEqual(
        list.body.map((a: { outcome: string; note: string; closedByName: string; acknowledgedByName: string }) => [
          a.outcome,
          a.note,
          a.closedByName,
          a.acknowledgedByName,
        ]),
        [['reunited', NOTE, tracerName, tracerName]],
      );
    });

    test('an alert can be closed without an acknowledgement first (closing acknowledges it)', async () => {
      const r = await tracer.post(`${base}/protection-alerts/${alertIds[1]}/close`, {
        outcome: 'interim_care',
        note: 'Synthetic: placed with a foster family.',
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.acknowledgedBy, tracer.userId);
      assert.equal(r.body.acknowledgedAt, r.body.closedAt);
    });

    test('the list filters by status, by acknowledgement and by person', async () => {
      const ids = async (q: string) => (await tracer.get(`${base}/protection-alerts${q}`)).body.map((a: { id: string }) => a.id).sort();
      assert.deepEqual(await ids(''), [...alertIds].sort());
      assert.deepEqual(await ids('?status=open'), [alertIds[2]]);
      assert.deepEqual(await ids('?status=closed'), [alertIds[0], alertIds[1]].sort());
      assert.deepEqual(await ids('?status=open&acknowledged=false'), [alertIds[2]]);
      assert.deepEqual(await ids('?acknowledged=true'), [alertIds[0], alertIds[1]].sort());
      const one = (await tracer.get(`${base}/protection-alerts`)).body.find((a: { id: string }) => a.id === alertIds[2]);
      assert.deepEqual(await ids(`?personId=${one.personId}`), [alertIds[2]]);
      const bad = await tracer.get(`${base}/protection-alerts?acknowledged=yes`);
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.details.fields[0].path, 'query.acknowledged');
      const badStatus = await tracer.get(`${base}/protection-alerts?status=acknowledged`);
      assert.equal(badStatus.status, 400);
      assert.equal(badStatus.body.error.details.fields[0].path, 'query.status');
    });

    test('reception officers and viewers cannot act on alerts', async () => {
      for (const c of [reception, viewer]) {
        assert.equal((await c.post(`${base}/protection-alerts/${alertIds[2]}/acknowledge`)).status, 403);
        assert.equal((await c.post(`${base}/protection-alerts/${alertIds[2]}/close`, { outcome: 'referred', note: 'x' })).status, 403);
      }
      const still = (await tracer.get(`${base}/protection-alerts?status=open`)).body;
      assert.equal(still[0].acknowledgedAt, null);
    });

    test('two officers closing at once: one closes, the other gets the 409', async () => {
      const other = await h.userWithRoles(base.split('/')[3]!, ['tracing_officer']);
      const [a, b] = await Promise.all([
        tracer.post(`${base}/protection-alerts/${alertIds[2]}/close`, {
          outcome: 'referred',
          note: 'Synthetic: referred to the child protection partner.',
        }),
        other.post(`${base}/protection-alerts/${alertIds[2]}/close`, { outcome: 'tracing_case', note: 'Synthetic: tracing case opened.' }),
      ]);
      assert.deepEqual([a.status, b.status].sort(), [200, 409]);
    });
  });
}
