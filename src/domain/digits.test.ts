import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arabicIndicDigits, westernDigits } from './digits.js';
import { parseTag } from './tags.js';

test('Arabic-Indic and Persian digits read as Western digits; other text unchanged', () => {
  assert.equal(westernDigits('٣٥'), '35');
  assert.equal(westernDigits('۱۲۰'), '120');
  assert.equal(westernDigits('٣٦٫٥'), '36.5');
  assert.equal(westernDigits('عمر 7'), 'عمر 7');
});

test('numbers show in Arabic-Indic digits in Arabic', () => {
  assert.equal(arabicIndicDigits('1205'), '١٢٠٥');
  assert.equal(arabicIndicDigits('5-11'), '٥-١١');
  assert.equal(westernDigits(arabicIndicDigits('2026.5')), '2026.5');
});

test('a tag typed in Arabic-Indic or Persian digits is the same tag', () => {
  const western = parseTag('34C-9XH7');
  assert.equal(parseTag('٣٤C-٩XH٧').ok, western.ok);
  assert.deepEqual(parseTag('۳۴C-۹XH۷'), western);
});
