import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { errorCatalogue } from '../../src/domain/errors.js';

test('docs/errors.md lists every code of the error catalogue with its status', () => {
  const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  const missing = Object.entries(errorCatalogue)
    .filter(([code, e]) => !doc.includes(`| \`${code}\` | ${e.status} |`))
    .map(([c]) => c);
  assert.deepEqual(missing, [], `add these codes to docs/errors.md: ${missing.join(', ')}`);
});
