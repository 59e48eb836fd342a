import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TAG_ALPHABET, encodeTag, formatTag, parseTag, serialInRanges, TAG_MAX_SERIAL } from '../../src/domain/tags.js';

test('a tag round-trips from serial to code and back', () => {
  for (const serial of [0, 1, 24, 25, 123_456, TAG_MAX_SERIAL]) {
    const code = encodeTag(serial);
    assert.equal(code.length, 7);
    const parsed = parseTag(formatTag(code).toLowerCase());
    assert.deepEqual(parsed, { ok: true, code, serial });
  }
});

test('every single mistyped character is caught by the check character', () => {
  for (const serial of [7, 99_999, 5_000_000]) {
    const code = encodeTag(serial);
    for (let i = 0; i < code.length; i++) {
      for (const ch of TAG_ALPHABET) {
        if (ch === code[i]) continue;
        const typo = code.slice(0, i) + ch + code.slice(i + 1);
        const r = parseTag(typo);
        assert.equal(r.ok, false, `typo ${typo} of ${code} was accepted`);
      }
    }
  }
});

test('swapping two neighbouring characters is caught', () => {
  let caught = 0;
  let total = 0;
  for (let serial = 1000; serial < 3000; serial += 7) {
    const code = encodeTag(serial);
    for (let i = 0; i < code.length - 1; i++) {
      if (code[i] === code[i + 1]) continue;
      const swapped = code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2);
      total++;
      if (!parseTag(swapped).ok) caught++;
    }
  }
  // Luhn mod N misses only swaps of the two characters whose values sum to N-1 around the middle.
  assert.ok(caught / total > 0.95, `caught ${caught} of ${total}`);
});

test('refuses characters that are never used, with the position', () => {
  const r = parseTag('O34-6799');
  assert.equal(r.ok, false);
  assert.equal(r.ok === false && r.reason, 'character');
  assert.equal(r.ok === false && r.position, 1);
});

test('reads Arabic-Indic digits as typed on an Arabic keyboard', () => {
  const code = encodeTag(4242);
  const arabic = code.replace(/[0-9]/g, (d) => '٠١٢٣٤٥٦٧٨٩'[Number(d)] as string);
  assert.deepEqual(parseTag(arabic), { ok: true, code, serial: 4242 });
});

test('refuses a wrong length with a message that says how long a tag is', () => {
  const r = parseTag('AC3');
  assert.equal(r.ok, false);
  assert.match(r.ok === false ? r.message : '', /7 characters/);
});

test('a serial is in a range when between its first and last, both included (the rule the server and the phone share)', () => {
  const ranges = [
    { firstSerial: 100, lastSerial: 159 },
    { firstSerial: 1000, lastSerial: 1000 },
  ];
  for (const serial of [100, 130, 159, 1000]) assert.equal(serialInRanges(serial, ranges), true, String(serial));
  for (const serial of [0, 99, 160, 999, 1001]) assert.equal(serialInRanges(serial, ranges), false, String(serial));
  assert.equal(serialInRanges(100, []), false, 'no range: no tag');
});
