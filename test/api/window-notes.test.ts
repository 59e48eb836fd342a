/**
 * A movement window's note in Arabic beside its English note (issue 20 re-walk): both are kept
 * and read back, either may be left out (null), and a note too long or not text is refused at
 * its own field, on every test database.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, type Client, type Harness } from '../support/harness.js';

type WindowBody = { id: string; start: string; end: string; note: string | null; noteAr: string | null };

for (const dialect of dialects) {
  describe(`movement window notes in English and Arabic (${dialect.name})`, () => {
    let h: Harness;
    let base: string;
    let coordinator: Client, officer: Client;

    before(async () => {
      h = await startHarness(await dialect.open());
      base = `/api/operations/${(await setUpOperation(h, 'window-notes')).id}`;
      [coordinator, officer] = (await Promise.all(
        (['coordinator', 'convoy_officer'] as const).map((r) => h.userWithRoles(base.split('/')[3]!, [r], `wn-${r}`)),
      )) as [Client, Client];
    });
    after(async () => h.close());

    test('a window is made with notes in both languages, one language only, or none, and lists them', async () => {
      const both = await coordinator.post(`${base}/movement-windows`, {
        start: '2016-12-15T05:00:00Z',
        end: '2016-12-16T14:00:00Z',
        note: 'Evacuation under the ceasefire agreement',
        noteAr: 'إجلاء بموجب اتفاق وقف إطلاق النار',
      });
      assert.equal(both.status, 201, JSON.stringify(both.body));
      assert.deepEqual(
        [both.body.note, both.body.noteAr],
        ['Evacuation under the ceasefire agreement', 'إجلاء بموجب اتفاق وقف إطلاق النار'],
      );
      const arabicOnly = await coordinator.post(`${base}/movement-windows`, {
        start: '2016-12-18T20:00:00Z',
        end: '2016-12-22T18:00:00Z',
        noteAr: 'استُؤنف الإجلاء',
      });
      assert.equal(arabicOnly.status, 201, JSON.stringify(arabicOnly.body));
      assert.deepEqual([arabicOnly.body.note, arabicOnly.body.noteAr], [null, 'استُؤنف الإجلاء']);
      const none = await coordinator.post(`${base}/movement-windows`, { start: '2016-12-23T05:00:00Z', end: '2016-12-23T18:00:00Z' });
      assert.deepEqual([none.body.note, none.body.noteAr], [null, null]);

      const list = (await officer.get(`${base}/movement-windows`)).body as WindowBody[];
      assert.deepEqual(
        list.map((w) => [w.start, w.note, w.noteAr]),
        [
          ['2016-12-15T05:00:00.000Z', 'Evacuation under the ceasefire agreement', 'إجلاء بموجب اتفاق وقف إطلاق النار'],
          ['2016-12-18T20:00:00.000Z', null, 'استُؤنف الإجلاء'],
          ['2016-12-23T05:00:00.000Z', null, null],
        ],
      );
    });

    test('an Arabic note too long or not text is refused at its field', async () => {
      const window = { start: '2016-12-24T05:00:00Z', end: '2016-12-24T18:00:00Z' };
      const long = await coordinator.post(`${base}/movement-windows`, { ...window, noteAr: 'ا'.repeat(201) });
      assert.equal(long.status, 400, JSON.stringify(long.body));
      assert.deepEqual(
        long.body.error.details.fields.map((f: { path: string }) => f.path),
        ['noteAr'],
      );
      assert.ok(long.body.error.details.fields[0].message, 'the field says what is wrong');
      const notText = await coordinator.post(`${base}/movement-windows`, { ...window, noteAr: 7 });
      assert.equal(notText.status, 400);
      assert.equal(notText.body.error.details.fields[0].path, 'noteAr');
      assert.equal((await officer.post(`${base}/movement-windows`, { ...window, noteAr: 'لا' })).status, 403);
    });
  });
}
