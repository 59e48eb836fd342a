/** The one text rule for every string a client sends (src/domain/safe-text.ts, text() in schemas/common.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonProblem, MAX_JSON_DEPTH, normaliseText, textProblem } from '../../src/domain/safe-text.js';
import { pathId, text } from '../../src/domain/schemas/common.js';

test('control characters, bidi overrides and unpaired surrogates are refused; tab and line breaks only in multi-line text', () => {
  for (const bad of ['a\u0000', '\u0001', '\u001b[31m', '\u007f', '\u0085', 'x\u202ey', '\u2066x\u2069', '\ud800', 'a\udc00b'])
    assert.ok(textProblem(bad, { multiLine: true }), JSON.stringify(bad));
  assert.equal(textProblem('two\nlines\tand\r\n', { multiLine: true }), undefined);
  assert.ok(textProblem('two\nlines'));
  // Joiners and direction marks are part of Arabic-script spelling: kept.
  for (const ok of ['محمد\u200c', 'a\u200db', '\u200fالعامرية\u200e', '\u061c', '😀', 'Zoë']) assert.equal(textProblem(ok), undefined, ok);
});

test('zero-width spaces, word joiners and byte-order marks are removed; text is NFC and trimmed', () => {
  assert.equal(normaliseText('\ufeff Ah\u200bmad\u2060 '), 'Ahmad');
  assert.equal(normaliseText('Zoe\u0308'), 'Zoë');
  assert.equal(text(10).parse(' a\u200bb '), 'ab');
  assert.equal(text(10).safeParse('a\u0000').success, false);
  assert.equal(text(10).safeParse('a\u202eb').success, false);
  assert.equal(pathId.safeParse('a\u0000').success, false);
  assert.equal(pathId.safeParse('01ARZ3NDEKTSV4RRFFQ69G5FAV').success, true);
});

test('a JSON body deeper than the limit, or with a NUL in a key or a value, is refused without recursion', () => {
  let deep: unknown = 1;
  for (let i = 0; i < 100_000; i++) deep = { a: deep };
  assert.match(jsonProblem(deep) ?? '', /nested deeper/);
  let ok: unknown = 'x';
  for (let i = 0; i < MAX_JSON_DEPTH; i++) ok = [ok];
  assert.equal(jsonProblem(ok), undefined);
  assert.ok(jsonProblem({ facts: [{ note: 'a\u0000' }] }));
  assert.ok(jsonProblem({ ['k\u0000']: 1 }));
  assert.equal(jsonProblem({ facts: [{ note: 'line\nbreak', n: 1, b: null }] }), undefined);
});
