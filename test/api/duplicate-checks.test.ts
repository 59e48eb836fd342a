/**
 * Duplicate checks after commit (issue 17): a desk's registration leaves a note per person in its
 * own transaction, and the checker proposes the pairs moments later. Every note is checked once —
 * after a crash too — and the check compares people registered at the same moment by two desks,
 * which a check inside each request could only do for whichever committed second.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, type Client, type Harness } from '../support/harness.js';
import { proposalsFor } from '../support/duplicates.js';
import { countPendingDuplicateChecks } from '../../src/db/queries/duplicate-checks.js';
import { checkQueuedDuplicates, DuplicateChecker } from '../../src/services/matching/duplicate-checks.js';

const salim = {
  names: { lat: { given: 'Salim', father: 'Rafiq', grandfather: 'Nabil', family: 'Dabbagh' } },
  sex: 'male',
  estimatedAge: 44,
};
const salimAr = { names: { ar: { given: 'سليم', father: 'رفيق', grandfather: 'نبيل', family: 'الدباغ' } }, sex: 'male', estimatedAge: 45 };

for (const dialect of dialects) {
  describe(`duplicate checks after commit (${dialect.name})`, () => {
    let h: Harness;
    let op: string;
    let deskA: Client, deskB: Client;
    const pending = () => countPendingDuplicateChecks(h.db.kysely, op);
    const household = (member: object) => ({ siteId: 'amiriyah', members: [member] });

    before(async () => {
      h = await startHarness(await dialect.open());
      op = (await setUpOperation(h, 'checks')).id;
      deskA = await h.userWithRoles(op, ['registrar'], 'desk-a');
      deskB = await h.userWithRoles(op, ['registrar'], 'desk-b');
    });
    after(async () => h.close());

    test('a registration is noted in its own transaction, checked once, and its pair proposed with an audit entry', async () => {
      const first = await deskA.post(`/api/operations/${op}/households`, household(salim));
      assert.equal(first.status, 201, JSON.stringify(first.body));
      assert.equal(first.body.duplicateCheck, 'queued');
      assert.equal(first.body.duplicateWarnings, undefined, 'no warning is promised that was not looked for');
      await h.settleDuplicates();
      assert.equal(await pending(), 0);
      const second = await deskB.post(`/api/operations/${op}/households`, household(salimAr));
      assert.equal(second.status, 201, JSON.stringify(second.body));
      const [p, ...rest] = await proposalsFor(h, op, [second.body.members[0].id]);
      assert.deepEqual(rest, []);
      assert.equal(p?.candidateId, first.body.members[0].id, 'the Arabic registration is proposed against the Latin one');
      assert.equal(await pending(), 0, 'the note goes with the check');
      const entry = await h.db.kysely
        .selectFrom('audit_log')
        .select(['actor_kind', 'details'])
        .where('operation_id', '=', op)
        .where('action', '=', 'duplicate.flag')
        .executeTakeFirstOrThrow();
      assert.equal(entry.actor_kind, 'system');
      const details = (typeof entry.details === 'string' ? JSON.parse(entry.details) : entry.details) as {
        pairs: string[][];
        registeredBy: string[];
      };
      assert.deepEqual(details.pairs, [[second.body.members[0].id, first.body.members[0].id]]);
      assert.deepEqual(details.registeredBy, [deskB.userId], 'the entry names the account that registered');
      // Checked again (a second server process that took the same notes): nothing twice.
      assert.deepEqual(await checkQueuedDuplicates(h.db.kysely, h.keys, op, new Date()), { checked: 0, proposed: 0 });
    });

    test('two desks registering one person at the same moment are proposed against each other; a household is not', async () => {
      const person = {
        names: { lat: { given: 'Wafaa', father: 'Jamil', grandfather: 'Saeed', family: 'Kayyali' } },
        sex: 'female',
        estimatedAge: 29,
      };
      // Both committed before either is checked: a check inside each request would see the other only if it came second.
      const release = await h.app.duplicateChecker.hold();
      try {
        const a = await deskA.post(`/api/operations/${op}/households`, household(person));
        const b = await deskB.post(`/api/operations/${op}/households/batch`, { households: [household(person)] });
        const twins = await deskA.post(`/api/operations/${op}/households`, {
          siteId: 'amiriyah',
          members: [
            { ...person, names: { lat: { given: 'Rim', father: 'Jamil', grandfather: 'Saeed', family: 'Kayyali' } }, estimatedAge: 7 },
            { ...person, names: { lat: { given: 'Rim', father: 'Jamil', grandfather: 'Saeed', family: 'Kayyali' } }, estimatedAge: 7 },
          ],
        });
        for (const r of [a, b, twins]) assert.equal(r.status, 201, JSON.stringify(r.body));
        assert.equal(await pending(), 4);
        // What a server starting after a crash does with the notes it finds.
        const checker = new DuplicateChecker(h.db.kysely, h.keys, { sweepMs: 0 });
        await checker.flush();
        await checker.stop();
        assert.equal(await pending(), 0);
        const ids = [a.body.members[0].id, b.body.households[0].members[0]];
        const pairs = (await proposalsFor(h, op, [...ids, ...twins.body.members.map((m: { id: string }) => m.id)])).map((p) =>
          [p.personId, p.candidateId].sort().join('~'),
        );
        assert.deepEqual(pairs, [ids.sort().join('~')], 'the two desks’ records, once; the two children of one household, never');
      } finally {
        release();
      }
    });

    test('the review desk reads how many pairs wait and how many registrations are still to check: numbers only, to reviewers only', async () => {
      await h.app.duplicateChecker.flush();
      const url = `/api/operations/${op}/duplicates/summary`;
      const before = await deskA.get(url);
      assert.equal(before.status, 200, JSON.stringify(before.body));
      assert.deepEqual(Object.keys(before.body).sort(), ['checksWaiting', 'open'], 'numbers only, no person');
      assert.equal(before.body.checksWaiting, 0);
      const open = await deskA.get(`/api/operations/${op}/duplicates?status=open&limit=200`);
      assert.equal(before.body.open, open.body.length, 'the open pairs, counted as the list reads them');
      const release = await h.app.duplicateChecker.hold();
      try {
        const r = await deskB.post(`/api/operations/${op}/households`, household({ ...salim, estimatedAge: 43 }));
        assert.equal(r.status, 201, JSON.stringify(r.body));
        const waiting = await deskA.get(url);
        assert.deepEqual(waiting.body, { open: before.body.open, checksWaiting: 1 }, 'the registration waits for its check');
      } finally {
        release();
      }
      await h.settleDuplicates();
      const after = await deskA.get(url);
      assert.equal(after.body.checksWaiting, 0);
      const openAfter = await deskA.get(`/api/operations/${op}/duplicates?status=open&limit=200`);
      assert.ok(after.body.open > before.body.open, 'its pairs (with both earlier Salims) wait for review');
      assert.equal(after.body.open, openAfter.body.length);
      const audits = await h.db.kysely
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('operation_id', '=', op)
        .where('action', '=', 'duplicate.list')
        .executeTakeFirstOrThrow();
      assert.equal(Number(audits.n), 2, 'reading the numbers is not a read of anyone (the two list reads are)');
      const monitor = await h.userWithRoles(op, ['checkpoint_monitor'], 'checks-monitor');
      assert.equal((await monitor.get(url)).status, 403);
      const viewer = await h.userWithRoles(op, ['viewer'], 'checks-viewer');
      assert.equal((await viewer.get(url)).status, 403);
    });

    test('a person merged or shredded before the check leaves no proposal and no note', async () => {
      const a = await deskA.post(
        `/api/operations/${op}/households`,
        household({ ...salim, names: { lat: { given: 'Tarek', father: 'Munir', family: 'Sayegh' } } }),
      );
      assert.equal(a.status, 201, JSON.stringify(a.body));
      await h.app.duplicateChecker.flush();
      const release = await h.app.duplicateChecker.hold();
      try {
        const b = await deskB.post(
          `/api/operations/${op}/households`,
          household({ ...salim, names: { lat: { given: 'Tarek', father: 'Munir', family: 'Sayegh' } } }),
        );
        assert.equal(b.status, 201, JSON.stringify(b.body));
        await h.db.kysely
          .updateTable('persons')
          .set({ merged_into: a.body.members[0].id })
          .where('operation_id', '=', op)
          .where('id', '=', b.body.members[0].id)
          .execute();
        assert.deepEqual(await checkQueuedDuplicates(h.db.kysely, h.keys, op, new Date()), { checked: 1, proposed: 0 });
        assert.equal(await pending(), 0);
      } finally {
        release();
      }
    });
  });
}
