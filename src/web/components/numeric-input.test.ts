/**
 * Every numeric field takes the digits people type (issue 20): Arabic-Indic (٠١٢) and Eastern
 * Arabic / Persian (۰۱۲) digits become Western digits before the page reads the value — age,
 * counts, capacities, coordinates, PIN, codes — and a date of birth typed in them is a date.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChangeEvent, InputHTMLAttributes } from 'react';
import { numericInput } from './field.js';
import { blankDraft, checkDraft, toInput } from '../pages/registration/member-draft.js';

/** Types `value` into a field with these attributes; what the page's onChange is given. */
function typeInto(attrs: InputHTMLAttributes<HTMLInputElement>, value: string) {
  let seen: string | undefined;
  const props = numericInput({ ...attrs, onChange: (e: ChangeEvent<HTMLInputElement>) => (seen = e.target.value) });
  props.onChange?.({ target: { value } } as ChangeEvent<HTMLInputElement>);
  return { seen, props };
}

const numericKinds: [string, InputHTMLAttributes<HTMLInputElement>][] = [
  ['a count or an age (inputMode numeric)', { inputMode: 'numeric' }],
  ['a capacity (type number)', { type: 'number' }],
  ['a coordinate (inputMode decimal)', { inputMode: 'decimal' }],
  ['a phone number (inputMode tel)', { inputMode: 'tel' }],
  ['an account’s phone number (type tel)', { type: 'tel' }],
  ['a device’s days of validity (type number)', { type: 'number', inputMode: 'numeric', min: 1, max: 90 }],
  ['a PIN (a numeric password)', { type: 'password', inputMode: 'numeric' }],
];

for (const [what, attrs] of numericKinds)
  test(`${what} reads Arabic-Indic and Persian digits as Western digits`, () => {
    assert.equal(typeInto(attrs, '٣٤٥').seen, '345');
    assert.equal(typeInto(attrs, '۳۴۵').seen, '345');
    assert.equal(typeInto(attrs, '12٣۴').seen, '1234');
    if (attrs.inputMode === 'decimal') assert.equal(typeInto(attrs, '٣٦٫٢').seen, '36.2');
  });

test('a PIN stays a password field; a type="number" field becomes text with a numeric keyboard (it would drop ٣)', () => {
  assert.equal(typeInto({ type: 'password', inputMode: 'numeric' }, '').props.type, 'password');
  const n = typeInto({ type: 'number' }, '').props;
  assert.deepEqual([n.type, n.inputMode], ['text', 'numeric']);
});

test('a text field is left as typed', () => {
  assert.equal(typeInto({}, 'عمر ٣').seen, 'عمر ٣');
});

test('a member’s date of birth, age and counts typed in either Arabic digits are read as numbers and dates', () => {
  const messages = { needName: 'name', chooseConsent: 'consent' };
  const base = { ...blankDraft('head'), sex: 'female', consentTracing: 'yes', consentDisclosure: 'no' } as const;
  const named = { ...base, ar: { ...base.ar, given: 'هالة' } };
  for (const dob of ['٢٠١٠-٠٣-٠٤', '۲۰۱۰-۰۳-۰۴', '2010-03-04']) {
    const r = checkDraft({ ...named, dob }, messages);
    assert.deepEqual(r.errors, {}, dob);
    assert.equal(r.input?.dateOfBirth, '2010-03-04');
  }
  assert.ok('dateOfBirth' in checkDraft({ ...named, dob: '٢٠١٠-١٣-٠٤' }, messages).errors, 'month 13 is still refused');
  const r = checkDraft({ ...named, age: '۳۴', luggage: '٢', pets: '۱' }, messages);
  assert.deepEqual(r.errors, {});
  assert.equal(r.input?.estimatedAge, 34);
  assert.deepEqual([r.input?.carried?.luggage, r.input?.carried?.pets], [2, 1]);
  assert.equal(toInput({ ...named, age: '٧' }).estimatedAge, 7);
});
