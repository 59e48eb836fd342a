/**
 * Every error code of the catalogue and every field message key has words in English and in
 * Arabic, with the same placeholders, and every kind of zod issue maps to a key that has words:
 * nothing the server can refuse with shows its English under an Arabic interface.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { errorCatalogue } from '../../domain/errors.js';
import { fieldIssueOfZod, fieldMessageKeys, keyOfZodIssue } from '../../domain/field-messages.js';
import { ar } from './ar.js';
import { en } from './en.js';

const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
const arabic = /[\u0600-\u06FF]/;
/** Latin words an Arabic sentence may keep: names of file formats and standards. */
const latinAllowed = new Set(['CSV', 'XLSX', 'UTF', 'PFIF', 'XML']);

function assertArabic(where: string, text: string) {
  assert.ok(arabic.test(text), `${where}: no Arabic in "${text}"`);
  const latin = (text.replace(/\{\{\w+\}\}/g, '').match(/[A-Za-z]+/g) ?? []).filter((w) => !latinAllowed.has(w));
  assert.deepEqual(latin, [], `${where}: English words in "${text}"`);
}

test('each catalogue error code has English and Arabic words with the same placeholders', () => {
  const codes = Object.keys(errorCatalogue);
  assert.ok(codes.length > 50);
  const enCodes = en.errors.codes as Record<string, string>;
  const arCodes = ar.errors.codes as Record<string, string>;
  for (const code of codes) {
    const key = code.replace('.', '_');
    assert.ok(enCodes[key], `en: errors.codes.${key} (for ${code}) is missing`);
    assert.ok(arCodes[key], `ar: errors.codes.${key} (for ${code}) is missing`);
    assert.deepEqual(placeholders(arCodes[key]!), placeholders(enCodes[key]!), `${code}: placeholders differ`);
    assertArabic(`ar ${code}`, arCodes[key]!);
  }
});

test('each field message key has English and Arabic words with the same placeholders', () => {
  const enField = en.fieldMessages as Record<string, string>;
  const arField = ar.fieldMessages as Record<string, string>;
  for (const key of fieldMessageKeys) {
    assert.ok(enField[key], `en: fieldMessages.${key} is missing`);
    assert.ok(arField[key], `ar: fieldMessages.${key} is missing`);
    assert.deepEqual(placeholders(arField[key]!), placeholders(enField[key]!), `${key}: placeholders differ`);
    assertArabic(`ar ${key}`, arField[key]!);
  }
  assert.deepEqual(Object.keys(enField).sort(), [...fieldMessageKeys].sort(), 'en has words for keys nothing sends');
});

test('each kind of zod issue maps to a field message key with its parameters', () => {
  const schema = z
    .object({
      age: z.number().int().min(0).max(120),
      below: z.number().lt(10),
      above: z.number().gt(0),
      name: z.string().min(1).max(5),
      code: z.string().min(3),
      tags: z.array(z.string()).min(1).max(2),
      sex: z.enum(['female', 'male']),
      born: z.iso.date(),
      at: z.iso.datetime(),
      id: z.uuid(),
      mail: z.email(),
      plate: z.string().regex(/^[A-Z]+$/),
      step: z.number().multipleOf(5),
      whole: z.number().multipleOf(1),
      yes: z.boolean(),
      list: z.array(z.string()),
      text: z.string(),
      n: z.number(),
      either: z.union([z.string(), z.number()]),
      missing: z.string(),
      checked: z.string().refine(() => false, { message: 'x', params: { key: 'tag_or_person' } }),
      other: z.string().refine(() => false, { message: 'y' }),
    })
    .strict();
  const input = {
    age: 121,
    below: 10,
    above: 0,
    name: '',
    code: 'ab',
    tags: ['a', 'b', 'c'],
    sex: 'x',
    born: '2026-13-01',
    at: 'soon',
    id: 'nope',
    mail: 'nope',
    plate: 'abc',
    step: 7,
    whole: 1.5,
    yes: 'yes',
    list: 'a',
    text: 4,
    n: 'four',
    either: true,
    checked: 'x',
    other: 'y',
    extra: 1,
  };
  const keyed = new Map<string, { key: string; params?: Record<string, string | number> }>();
  const r = schema.safeParse(input, { reportInput: true });
  assert.equal(r.success, false);
  for (const issue of r.error!.issues) {
    const f = fieldIssueOfZod(issue, 'body');
    assert.ok(f.path.startsWith('body'), f.path);
    keyed.set(issue.path.join('.') || '(root)', { key: f.key!, ...(f.params ? { params: f.params } : {}) });
  }
  assert.deepEqual(keyed.get('age'), { key: 'number_max', params: { maximum: 120 } });
  assert.deepEqual(keyed.get('below'), { key: 'number_below', params: { maximum: 10 } });
  assert.deepEqual(keyed.get('above'), { key: 'number_above', params: { minimum: 0 } });
  assert.deepEqual(keyed.get('name'), { key: 'required' });
  assert.deepEqual(keyed.get('code'), { key: 'text_min', params: { minimum: 3 } });
  assert.deepEqual(keyed.get('tags'), { key: 'list_max', params: { maximum: 2 } });
  assert.deepEqual(keyed.get('sex'), { key: 'choose_option' });
  assert.deepEqual(keyed.get('born'), { key: 'date_format' });
  assert.deepEqual(keyed.get('at'), { key: 'date_time_format' });
  assert.deepEqual(keyed.get('id'), { key: 'id_format' });
  assert.deepEqual(keyed.get('mail'), { key: 'email_format' });
  assert.deepEqual(keyed.get('plate'), { key: 'format' });
  assert.deepEqual(keyed.get('step'), { key: 'not_multiple', params: { divisor: 5 } });
  assert.deepEqual(keyed.get('whole'), { key: 'not_a_whole_number' });
  assert.deepEqual(keyed.get('yes'), { key: 'not_yes_no' });
  assert.deepEqual(keyed.get('list'), { key: 'not_a_list' });
  assert.deepEqual(keyed.get('text'), { key: 'not_text' });
  assert.deepEqual(keyed.get('n'), { key: 'not_a_number' });
  assert.deepEqual(keyed.get('either'), { key: 'invalid' });
  assert.deepEqual(keyed.get('missing'), { key: 'required' });
  assert.deepEqual(keyed.get('checked'), { key: 'tag_or_person' });
  assert.deepEqual(keyed.get('other'), { key: 'invalid' });
  assert.deepEqual(keyed.get('(root)'), { key: 'unknown_field', params: { keys: 'extra' } });
  // A missing value is "required" also when the issue does not carry its input (the browser's own checks).
  const plain = z.object({ a: z.string(), b: z.number().int() }).safeParse({ b: 1.5 });
  assert.deepEqual(
    plain.error!.issues.map((i) => keyOfZodIssue(i).key),
    ['required', 'not_a_whole_number'],
  );
  for (const { key } of keyed.values()) assert.ok((fieldMessageKeys as readonly string[]).includes(key), key);
});
