/**
 * Issue 18: records of two name parts, names typed whole into one field, given and father
 * swapped, and the calibrated probability the thresholds and the web app's words are set on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_MODEL, likelihoodOf, matchRecords } from '../../src/domain/matching/index.js';
import type { MatchRecord } from '../../src/domain/matching/index.js';
import {
  priorWeight,
  probabilityOf,
  RECORD_SHAPES,
  shapedWeight,
  unshapedWeightFloor,
  weightAtProbability,
} from '../../src/domain/matching/score.js';

const decisionOf = (a: MatchRecord, b: MatchRecord) => {
  const out = matchRecords([a, b], { estimate: false, transitive: false });
  return out.results.find((r) => (r.idA === a.id && r.idB === b.id) || (r.idA === b.id && r.idB === a.id))?.decision ?? 'none';
};

test('two-part records agreeing on sex and birth year, with a near given name and another family name, are not linked', () => {
  const notLinked = (x: MatchRecord, y: MatchRecord) =>
    assert.notEqual(decisionOf(x, y), 'link', `${String(x.given)} / ${String(y.given)}`);
  const a: MatchRecord = { id: 'a', given: 'Ilka', family: 'Morrow', sex: 'female', birthYear: 1980 };
  notLinked(a, { id: 'b', given: 'Ilke', family: 'Brennan', sex: 'female', birthYear: 1980 });
  notLinked(a, { id: 'c', given: 'Ilka', family: 'Morrison', sex: 'female', birthYear: 1980 });
  notLinked(a, { id: 'd', given: 'إيلكا', family: 'برينان', sex: 'female', birthYear: 1980 });
});

test('the same two-part person is linked across scripts and spellings', () => {
  const a: MatchRecord = { id: 'a', given: 'Rasha', family: 'Darwish', sex: 'female', birthYear: 1980 };
  assert.equal(decisionOf(a, { id: 'b', given: 'رشا', family: 'درويش', sex: 'female', birthYear: 1980 }), 'link');
  assert.equal(decisionOf(a, { id: 'c', given: 'Racha', family: 'Darwich', sex: 'female', birthYear: 1981 }), 'link');
});

test('a whole name typed into one field is linked with the name typed into its boxes', () => {
  const boxed: MatchRecord = {
    id: 'a',
    given: 'زياد',
    father: 'مازن',
    grandfather: 'خليل',
    family: 'الحلبي',
    sex: 'male',
    birthYear: 1979,
  };
  assert.equal(decisionOf(boxed, { id: 'b', given: 'زياد مازن خليل الحلبي', sex: 'male', birthYear: 1979 }), 'link');
  assert.equal(decisionOf(boxed, { id: 'c', family: 'Ziad Mazen Khalil al-Halabi', sex: 'male', birthYear: 1979 }), 'link');
});

test('the probability a pair carries is calibrated: links start at an even chance, and the words follow it', () => {
  assert.ok(DEFAULT_MODEL.calibration !== undefined, 'the shipped model is calibrated');
  const atLink = probabilityOf(DEFAULT_MODEL, DEFAULT_MODEL.thresholds.link);
  assert.ok(Math.abs(atLink - 0.5) < 0.01, `probability at the link threshold ${atLink}`);
  assert.ok(Math.abs(weightAtProbability(DEFAULT_MODEL, atLink) - DEFAULT_MODEL.thresholds.link) < 1e-9);
  assert.equal(likelihoodOf(atLink), 'likely');
  assert.equal(likelihoodOf(probabilityOf(DEFAULT_MODEL, DEFAULT_MODEL.thresholds.link - 0.5)), 'possibly');
  assert.equal(likelihoodOf(0.95), 'very_likely');
  assert.equal(likelihoodOf(0.01), 'unlikely');
  // Every linked pair reads at least "likely".
  const out = matchRecords(
    [
      { id: 'a', given: 'Rasha', family: 'Darwish', sex: 'female', birthYear: 1980 },
      { id: 'b', given: 'رشا', family: 'درويش', sex: 'female', birthYear: 1980 },
    ],
    { estimate: false, transitive: false },
  );
  for (const r of out.results) if (r.decision === 'link') assert.ok(['likely', 'very_likely'].includes(likelihoodOf(r.probability)));
});

test('a two-part record beside one that gives a father is weighed on a calibration curve of its own', () => {
  const own = DEFAULT_MODEL.calibration?.byShape?.one_short;
  assert.ok(own !== undefined, 'the shipped model has a curve for a two-part record beside a full one');
  const full: MatchRecord = { id: 'a', given: 'Rasha', father: 'Omar', family: 'Darwish', sex: 'female', birthYear: 1980 };
  const short: MatchRecord = { id: 'b', given: 'رشا', family: 'درويش', sex: 'female', birthYear: 1980 };
  const out = matchRecords([full, short], { estimate: false, transitive: false });
  const r = out.results[0];
  assert.ok(r !== undefined);
  const last = r.explanation.at(-1);
  assert.equal(last?.field, 'calibration');
  assert.equal(last?.code, 'one_short');
  // The fields' sum, before the shape's curve, gives the shape's own calibrated probability.
  const fields = r.explanation.slice(0, -1).reduce((s, e) => s + e.weight, priorWeight(DEFAULT_MODEL));
  const expected = 1 / (1 + 2 ** -(own.slope * fields + own.intercept));
  assert.ok(Math.abs(r.probability - expected) < 0.01, `${r.probability} against ${expected}`);
  assert.ok(Math.abs(fields + last.weight - r.weight) < 0.02, 'the lines still add up to the score');
  // Two records that both give a father keep the shared curve: no calibration line.
  const both = matchRecords([full, { ...full, id: 'c', given: 'Racha' }], { estimate: false, transitive: false });
  assert.ok(both.results.every((x) => x.explanation.every((e) => e.field !== 'calibration')));
  // The bounds compare the fields' sum with a floor from which no shape can reach review.
  const floor = unshapedWeightFloor(DEFAULT_MODEL, DEFAULT_MODEL.thresholds.review);
  for (const shape of RECORD_SHAPES) assert.ok(shapedWeight(DEFAULT_MODEL, shape, floor) <= DEFAULT_MODEL.thresholds.review + 1e-9, shape);
});
