/** The tag as typed at the registration desk: the check character, and the operation's wristband ranges with the server's rule. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeTag, formatTag } from '../../../domain/tags.js';
import { tagProblem } from './tag-input.js';

test('a valid tag outside every wristband range is refused as typed; inside one, or with the ranges unknown, it is not', () => {
  const ranges = [{ firstSerial: 500, lastSerial: 559 }];
  assert.equal(tagProblem(formatTag(encodeTag(530)), ranges), null);
  assert.deepEqual(tagProblem(formatTag(encodeTag(560)), ranges), { key: 'registration.tagReasons.range' });
  assert.equal(tagProblem(formatTag(encodeTag(560))), null, 'ranges not known: only the code is checked (the server checks the range)');
  const typo = formatTag(encodeTag(530)).slice(0, -1) + (formatTag(encodeTag(530)).endsWith('3') ? '4' : '3');
  assert.deepEqual(tagProblem(typo, ranges), { key: 'registration.tagReasons.check' }, 'a mistyped code says so first');
});
