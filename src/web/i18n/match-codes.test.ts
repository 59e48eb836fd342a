/**
 * Every agreement level the matcher can explain has words in both catalogues, and every field
 * a label: an explanation shown in Arabic must not fall back to the matcher's English.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildComparators } from '../../domain/matching/index.js';
import { RECORD_SHAPES } from '../../domain/matching/score.js';
import { ar } from './ar.js';
import { en } from './en.js';

const lineageCounts = /^agree_\d_close_\d_differ_\d$/;

test('each comparator field and level code of the matcher is in the English and Arabic catalogues', () => {
  // The last line of an explanation: the calibration of the pair's record shape.
  const codes = new Set<string>(['through_record', ...RECORD_SHAPES]);
  const fields = new Set<string>(['calibration']);
  for (const lineage of [true, false]) {
    for (const c of buildComparators({ lineage, sex: true, birthYear: true, origin: false, household: true, extra: {} })) {
      fields.add(c.name);
      for (const code of c.codes ?? []) for (const part of code.split(':')) if (!lineageCounts.test(part)) codes.add(part);
    }
  }
  for (const [name, catalogue] of [
    ['en', en],
    ['ar', ar],
  ] as const) {
    const missingCodes = [...codes].filter((c) => !(c in catalogue.match.codes));
    assert.deepEqual(missingCodes, [], `${name}: level codes without words`);
    const missingFields = [...fields].filter((f) => !(f in catalogue.match.fields));
    assert.deepEqual(missingFields, [], `${name}: fields without a label`);
  }
});
