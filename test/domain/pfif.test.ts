/**
 * PFIF 1.4 without a database: any set of person and note records written and read back is the
 * same set (names in both scripts, XML's special characters, characters XML cannot carry
 * dropped), every written document is valid against the PFIF 1.4 schema, and a person's name
 * parts survive the trip through full, given and family names.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fromPfifPerson, joinName, splitName, toPfifPerson, type PfifPerson } from '../../src/domain/exports/pfif.js';
import { readPfif, writePfif } from '../../src/services/exports/pfif-xml.js';
import { pfifSchemaErrors } from '../support/pfif-schema.js';

const word = fc.constantFrom(
  'Omar',
  'Sami',
  'al-Hassan',
  'Abd al-Rahman',
  'عمر',
  'سامي',
  'عبد الرحمن',
  '<b>',
  'A & B',
  '"q"',
  "'s",
  '=SUM(1)',
);
const latin = fc.constantFrom('Omar', 'Sami', 'al-Hassan', 'Abd al-Rahman', 'Umm Khalid', 'Nour');
const time = fc
  .date({ min: new Date('2000-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
  .map((d) => `${d.toISOString().slice(0, 19)}Z`);
const id = fc.stringMatching(/^[a-z0-9]{1,12}$/).map((s) => `example.org/${s}`);
const note = fc.record(
  {
    note_record_id: id,
    author_name: word,
    source_date: time,
    status: fc.constantFrom('believed_alive', 'information_sought', 'believed_missing'),
    last_known_location: word,
    text: fc.array(word, { minLength: 1, maxLength: 4 }).map((w) => w.join(' ')),
  },
  { requiredKeys: ['note_record_id', 'author_name', 'source_date', 'text'] },
);
const person = fc.record(
  {
    person_record_id: id,
    source_date: time,
    full_name: fc.array(word, { minLength: 1, maxLength: 4 }).map((w) => w.join(' ')),
    given_name: word,
    sex: fc.constantFrom('female', 'male', 'other'),
    age: fc.integer({ min: 0, max: 110 }).map(String),
    home_city: word,
    notes: fc.array(note, { maxLength: 3 }),
  },
  { requiredKeys: ['person_record_id', 'full_name', 'notes'] },
);

test('any PFIF records written and read back are the same records, and the schema accepts the document', async () => {
  const docs = fc.sample(fc.uniqueArray(person, { selector: (p) => p.person_record_id, maxLength: 5 }), { numRuns: 25, seed: 15 });
  for (const persons of docs) {
    const withIds = persons.map((p) => ({
      ...p,
      notes: p.notes.map((n) => ({ ...n, person_record_id: p.person_record_id })),
    })) as PfifPerson[];
    const xml = writePfif(withIds);
    assert.deepEqual(await pfifSchemaErrors(xml), [], xml.toString());
    assert.deepEqual(readPfif(xml).persons, withIds);
  }
});

test('characters XML cannot carry are dropped, not written', () => {
  const xml = writePfif([{ person_record_id: 'example.org/1', full_name: 'Sa\u0001mi\uFFFF', notes: [] }]);
  assert.equal(readPfif(xml).persons[0]!.full_name, 'Sami');
});

test('name parts in Arabic order go out as full, given and family names and come back', () => {
  fc.assert(
    fc.property(fc.record({ given: latin, father: latin, grandfather: latin, family: latin }, { requiredKeys: ['given'] }), (parts) => {
      const record = toPfifPerson(
        { names: { lat: parts }, sex: 'female', dateOfBirth: null, birthYear: 1990, ageEstimated: true, origin: null },
        {
          personRecordId: 'corridor.local/x',
          entryDate: '2016-12-20T00:00:00Z',
          sourceName: 'Test',
          sourceDate: '2016-12-20T00:00:00Z',
          authorName: 'Test',
        },
        [],
      );
      assert.equal(record.age, '26');
      const back = fromPfifPerson(record);
      assert.equal(joinName(back.names.lat), joinName(parts), 'the full name comes back as written');
      assert.equal(back.names.lat?.given, parts.given.trim());
      if (parts.family !== undefined) assert.equal(back.names.lat?.family, parts.family.trim());
      assert.equal(back.estimatedAge, 26);
    }),
    { seed: 15, numRuns: 200 },
  );
  assert.deepEqual(splitName('Omar Sami Hassan Khatib'), { given: 'Omar', family: 'Khatib', father: 'Sami', grandfather: 'Hassan' });
  assert.deepEqual(splitName('عمر سامي الخطيب', { given: 'عمر', family: 'الخطيب' }), { given: 'عمر', father: 'سامي', family: 'الخطيب' });
});
