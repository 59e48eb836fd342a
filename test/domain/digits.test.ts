/**
 * Whole numbers as people copy them from a table or a press release ("16,000", "١٬٦٠٠") are read
 * as their digits; what is not a grouped whole number (a decimal, a group of the wrong size) is
 * left as typed, for the field's validation to refuse rather than guess.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ungroupedWholeNumber } from '../../src/domain/digits.js';

test('digit groups are dropped from a whole number, in either digit style', () => {
  for (const typed of ['16,000', '16 000', '16’000', "16'000", '16\u202f000', '١٦٬٠٠٠', ' 16,000 '])
    assert.equal(ungroupedWholeNumber(typed), '16000', typed);
  assert.equal(ungroupedWholeNumber('1,234,567'), '1234567');
  assert.equal(ungroupedWholeNumber('٤٥٠'), '450');
});

test('anything else is left as typed, for validation to refuse', () => {
  for (const typed of ['1,20', '12,0000', '1.200', '1,200.5', 'abc', '-1,000']) assert.equal(ungroupedWholeNumber(typed), typed, typed);
});
