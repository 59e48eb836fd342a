/** Duplicate hints against what the phone holds, with no network. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeTag, formatTag } from '../../domain/tags.js';
import { phoneDuplicates, type HeldMember } from './phone-duplicates.js';

const at = '2016-12-15T08:00:00Z';
const held: HeldMember[] = [
  { names: { lat: { given: 'Mohammed', father: 'Ahmad', family: 'Haddad' } }, sex: 'male', tag: formatTag(encodeTag(1000)), queuedAt: at },
  { names: { ar: { given: 'فاطمة', family: 'حداد' } }, sex: 'female', queuedAt: at },
];

test('the same person written another way, or in the other script, is shown', () => {
  const hints = phoneDuplicates({ names: { ar: { given: 'محمد', father: 'أحمد', family: 'الحداد' } }, sex: 'male' }, held);
  assert.deepEqual(
    hints.map((h) => [h.member.names.lat?.given, h.why]),
    [['Mohammed', 'names']],
  );
  assert.equal(phoneDuplicates({ names: { lat: { given: 'Fatima', family: 'Haddad' } }, sex: 'female' }, held).length, 1);
});

test('someone else is not shown; a wristband already given on this phone always is', () => {
  assert.deepEqual(phoneDuplicates({ names: { lat: { given: 'Rami', family: 'Saleh' } }, sex: 'male' }, held), []);
  const tagged = phoneDuplicates(
    { names: { lat: { given: 'Rami', family: 'Saleh' } }, sex: 'male', tag: encodeTag(1000).toLowerCase() },
    held,
  );
  assert.deepEqual(
    tagged.map((h) => h.why),
    ['tag'],
  );
});
