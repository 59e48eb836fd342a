import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildComparators,
  DEFAULT_MODEL,
  prepareRecord,
  proposeTransitivePairs,
  shapeOf,
  THROUGH_RECORD_CODE,
} from '../../src/domain/matching/index.js';
import type { MatchResult } from '../../src/domain/matching/index.js';

const records = [
  { id: 'a', given: 'Lily', family: 'Watson', birthYear: 1985 },
  { id: 'b', given: 'Lily', family: 'Watson', birthYear: 1985 },
  { id: 'c', family: 'Wason', birthYear: 1995 },
  { id: 'd', given: 'Omar', family: 'Hassan', birthYear: 1970 },
].map((r) => prepareRecord(r));
const comparators = buildComparators(shapeOf(records));

function result(idA: string, idB: string, probability: number, decision: MatchResult['decision'] = 'link'): MatchResult {
  return { idA, idB, probability, weight: Math.log2(probability / (1 - probability)), decision, explanation: [] };
}

test('a pair that both match a third record strongly is proposed for review, never linked, with the record it went through', () => {
  const out = proposeTransitivePairs([result('a', 'b', 0.99), result('b', 'c', 0.95)], records, DEFAULT_MODEL, comparators);
  assert.equal(out.length, 1);
  const r = out[0] as MatchResult;
  assert.deepEqual([r.idA, r.idB], ['a', 'c']);
  assert.equal(r.decision, 'review');
  const last = r.explanation.at(-1);
  assert.equal(last?.code, THROUGH_RECORD_CODE);
  assert.match(last?.detail ?? '', /through b/);
  const prior = Math.log2(DEFAULT_MODEL.lambda / (1 - DEFAULT_MODEL.lambda));
  assert.ok(Math.abs(r.explanation.reduce((s, e) => s + e.weight, prior) - r.weight) < 0.1, 'the lines still add up to the score');
});

test('weak paths, decided pairs and pairs of one file are not proposed', () => {
  assert.equal(
    proposeTransitivePairs([result('a', 'b', 0.99), result('b', 'c', 0.6, 'review')], records, DEFAULT_MODEL, comparators).length,
    0,
  );
  assert.equal(
    proposeTransitivePairs(
      [result('a', 'b', 0.99), result('b', 'c', 0.95), result('a', 'c', 0.2, 'review')],
      records,
      DEFAULT_MODEL,
      comparators,
    ).length,
    0,
  );
  const sourceOf = (i: number) => (i === 1 ? 'second' : 'first');
  assert.equal(
    proposeTransitivePairs([result('a', 'b', 0.99), result('b', 'c', 0.95)], records, DEFAULT_MODEL, comparators, { sourceOf }).length,
    0,
  );
});
