/**
 * The blank paper registration form is derived from the registration contract: every field of a
 * member and of a household is on the paper or left off with a reason, choices are the schema's
 * own lists, and the count-only manifest counts without naming anyone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  householdFieldsLeftOff,
  householdPaperFields,
  memberFieldsLeftOff,
  memberPaperFields,
} from '../../src/domain/paper/registration-form.js';
import { countManifest } from '../../src/domain/paper/count-manifest.js';
import { householdInput, personInput, relationships, sexes, vulnerabilities } from '../../src/domain/schemas/persons.js';

test('every field of the registration contract is on the paper form or left off with a reason', () => {
  const onPaper = memberPaperFields().map((f) => f.key);
  for (const key of Object.keys(personInput.shape))
    assert.ok(onPaper.includes(key) !== key in memberFieldsLeftOff, `${key}: on the paper form, or left off with a reason (not both)`);
  const household = householdPaperFields().map((f) => f.key);
  for (const key of Object.keys(householdInput.shape))
    assert.ok(household.includes(key) !== key in householdFieldsLeftOff, `household ${key}: on paper or left off`);
  for (const key of Object.keys(memberFieldsLeftOff)) assert.ok(key in personInput.shape, `${key} left off is a field of the contract`);
});

test("the desk's fields are on paper with the schema's own choices, boxes for the tag, and never the category", () => {
  const byKey = new Map(memberPaperFields().map((f) => [f.key, f]));
  assert.deepEqual(byKey.get('sex'), { key: 'sex', kind: 'choice', options: [...sexes], many: false });
  assert.deepEqual(byKey.get('relationship'), { key: 'relationship', kind: 'choice', options: [...relationships], many: false });
  assert.deepEqual(byKey.get('vulnerabilities'), { key: 'vulnerabilities', kind: 'choice', options: [...vulnerabilities], many: true });
  assert.deepEqual(byKey.get('consent'), { key: 'consent', kind: 'yes_no', items: ['tracing', 'disclosure'] });
  assert.deepEqual(byKey.get('tag'), { key: 'tag', kind: 'tag', boxes: 7 });
  assert.deepEqual(byKey.get('names'), {
    key: 'names',
    kind: 'names',
    scripts: ['ar', 'lat'],
    parts: ['given', 'father', 'grandfather', 'family'],
  });
  assert.equal(byKey.get('estimatedAge')?.kind, 'write');
  assert.equal(byKey.get('dateOfBirth')?.kind, 'write');
  assert.ok(!byKey.has('category') && !byKey.has('medicalNotes'));
});

test('a count-only manifest adds named passengers and head counts by sex × age band, and vulnerabilities by number', () => {
  const m = countManifest(
    [
      { sex: 'female', ageBand: '18-59', vulnerabilities: ['wounded', 'pregnant'] },
      { sex: 'male', ageBand: '0-4', vulnerabilities: ['wounded', 'wounded'] },
    ],
    [{ sex: 'female', ageBand: '18-59', count: 3 }],
  );
  assert.equal(m.total, 5);
  assert.equal(m.bySexAge.length, 6 * 3);
  assert.equal(m.bySexAge.find((c) => c.ageBand === '18-59' && c.sex === 'female')?.count, 4);
  assert.deepEqual(m.vulnerabilities, [
    { vulnerability: 'wounded', count: 2 },
    { vulnerability: 'pregnant', count: 1 },
  ]);
});
