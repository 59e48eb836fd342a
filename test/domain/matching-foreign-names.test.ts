/**
 * Names of every origin across scripts (issue 18, fourth pass): a one-letter difference between
 * a Latin and an Arabic skeleton that transliterations usually make (a final s written ز, a w
 * written ف) is a second writing of one name, not "one edit", which between Arabic names
 * usually means another name; and an initial أل / إل written with a hamza is a name's first
 * letters, not the article. The names here are made up for the tests.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { skeletonEdit, usualSkeletonEdit, type SkeletonEditTable } from '../../src/domain/names/skeleton-edits.js';
import { prepareNameValue } from '../../src/domain/matching/prepare.js';
import { compareNameValues, MISSING, NAME_LEVELS } from '../../src/domain/matching/compare-names.js';

const level = (x: string, y: string) => {
  const l = compareNameValues(prepareNameValue(x), prepareNameValue(y));
  return l === MISSING ? 'missing' : NAME_LEVELS[l];
};

test('the one edit between a Latin and an Arabic skeleton is named by its place and its letters', () => {
  assert.equal(skeletonEdit('tbns', 'tbnz'), '$s>z');
  assert.equal(skeletonEdit('wltn', 'fltn'), '^w>f');
  assert.equal(skeletonEdit('krdf', 'krd'), '$f>');
  assert.equal(skeletonEdit('mrn', 'mrkn'), '->k');
  assert.equal(skeletonEdit('brt', 'brt'), null);
  assert.equal(skeletonEdit('brtl', 'bkrt'), null);
});

test('an edit is usual when it separates one name’s writings far more often than two names, and often enough', () => {
  const t: SkeletonEditTable = { edits: { '$s>z': [40, 5], '-m>n': [40, 0.2], '^w>f': [2, 6] } };
  assert.equal(usualSkeletonEdit('tbns', 'tbnz', t), true);
  assert.equal(usualSkeletonEdit('smr', 'snr', t), false);
  assert.equal(usualSkeletonEdit('wltn', 'fltn', t), false, 'seen too rarely');
  assert.equal(usualSkeletonEdit('tbnk', 'tbnz', t), false, 'not in the table');
});

test('across scripts, a letter a transliteration usually changes is a second writing, another letter stays one edit', () => {
  // A final s that Arabic writes ز, and a w written ف, learned from the Wikidata train pairs.
  assert.equal(level('Tobens', 'توبنز'), 'phonetic');
  assert.equal(level('Wartun', 'فارتون'), 'phonetic');
  // m against ن is no transliteration habit: still one edit, weighed on its own.
  assert.equal(level('Tobem', 'توبن'), 'one edit across scripts');
  // Within one script nothing changes: a final s against z is a near spelling.
  assert.equal(level('Tobens', 'Tobenz'), 'typo');
});

test('an initial أل with a hamza is read as a name’s first letters as well as an article', () => {
  assert.equal(level('Olmaro', 'ألمارو'), 'phonetic');
  assert.equal(level('Ulvana', 'إلفانا'), 'phonetic');
  // The article is written with a bare alif: المارو stays al- + مارو.
  assert.equal(level('Olmaro', 'المارو'), 'disagree');
  // And a Latin spelling that drops the article still meets the article-less reading.
  assert.equal(level('Maro', 'ألمارو'), 'phonetic');
});
