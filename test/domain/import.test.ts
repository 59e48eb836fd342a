/**
 * The pure part of importing: which field a header means (Arabic, English, Kobo and ODK group
 * paths), how cells are read, and how the bytes of a file are decoded.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeText } from '../../src/domain/import/decode.js';
import { suggestMapping, targetOfHeader } from '../../src/domain/import/mapping.js';
import { readAge, readDate, readRelationship, readSex, readVulnerabilities } from '../../src/domain/import/values.js';
import { issuesCsv } from '../../src/domain/import/report.js';

test('headers in Arabic and English suggest their fields, Arabic letters folded', () => {
  const cases: [string, string | undefined][] = [
    ['الاسم', 'givenName'],
    ['اسم الأب', 'fatherName'],
    ['اسم الاب', 'fatherName'],
    ['اسم الجد', 'grandfatherName'],
    ['الكنية', 'familyName'],
    ['الاسم الثلاثي', 'fullName'],
    ['تاريخ الولادة', 'dateOfBirth'],
    ['first name', 'givenName'],
    ["Father's name", 'fatherName'],
    ['Father’s Name', 'fatherName'],
    ['Surname', 'familyName'],
    ['DOB', 'dateOfBirth'],
    ['household/member/given_name', 'givenName'],
    ['hh-members-family_name', 'familyName'],
    ['colour', undefined],
  ];
  for (const [header, target] of cases) assert.equal(targetOfHeader(header), target, header);
});

test('Latin snake_case, camelCase, bracketed notes and script suffixes (as this app exports) suggest their fields', () => {
  const headers = ['hh_id', 'given_name', 'family_name', 'father_name', 'grandfather_name', 'sex', 'age', 'date_of_birth', 'tag', 'phone'];
  assert.deepEqual(suggestMapping(headers), {
    columns: {
      household: 'hh_id',
      givenName: 'given_name',
      familyName: 'family_name',
      fatherName: 'father_name',
      grandfatherName: 'grandfather_name',
      sex: 'sex',
      age: 'age',
      dateOfBirth: 'date_of_birth',
      tag: 'tag',
      phone: 'phone',
    },
  });
  const cases: [string, string | undefined][] = [
    ['first_name', 'givenName'],
    ['last_name', 'familyName'],
    ['surname', 'familyName'],
    ['gender', 'sex'],
    ['dob', 'dateOfBirth'],
    ['givenName', 'givenName'],
    ['DateOfBirth', 'dateOfBirth'],
    ['given_name_lat', 'givenName'],
    ['family_name_ar', 'familyName'],
    ['Surname (English)', 'familyName'],
    ['Sex (M/F)', 'sex'],
    ['Date of birth (YYYY-MM-DD)', 'dateOfBirth'],
    ['mobile_no', 'phone'],
    ['member/given_name_lat', 'givenName'],
    ['name_of_colour', undefined],
  ];
  for (const [header, target] of cases) assert.equal(targetOfHeader(header), target, header);
  // This app's own export: the Arabic columns come first and are suggested.
  const exported = suggestMapping(['given_name_ar', 'family_name_ar', 'given_name_lat', 'family_name_lat']);
  assert.deepEqual(exported.columns, { givenName: 'given_name_ar', familyName: 'family_name_ar' });
});

test('the first column suggesting a field wins, and a Kobo or ODK key column becomes the key', () => {
  assert.deepEqual(suggestMapping(['_id', 'member/given_name', 'given', '_uuid', '_index']), {
    columns: { givenName: 'member/given_name' },
    key: '_uuid',
  });
  assert.equal(suggestMapping(['hh-given_name', 'meta-instanceID', 'KEY']).key, 'meta-instanceID');
});

test('cells are read as lists write them', () => {
  assert.equal(readSex('أنثى'), 'female');
  assert.equal(readSex('M'), 'male');
  assert.equal(readSex('robot'), undefined);
  assert.deepEqual(readDate('14/03/1979'), { date: '1979-03-14' });
  assert.deepEqual(readDate('2016-12-14T08:00:00.000+02:00'), { date: '2016-12-14' });
  assert.deepEqual(readDate('1980'), { year: 1980 });
  assert.equal(readDate('31/02/1990'), undefined);
  assert.equal(readAge('٣٤ سنة'), 34);
  assert.equal(readAge('200'), undefined);
  assert.equal(readRelationship('رب الأسرة'), 'head');
  assert.equal(readRelationship('Daughter'), 'child');
  assert.deepEqual(readVulnerabilities('wounded pregnant'), { values: ['wounded', 'pregnant'], unread: [] });
  assert.deepEqual(readVulnerabilities('جريح، حامل، x'), { values: ['wounded', 'pregnant'], unread: ['x'] });
});

test('bytes are decoded as UTF-8, UTF-16 or Windows-1256, and anything else is refused', () => {
  assert.deepEqual(decodeText(Buffer.from('\ufeffالاسم')), { ok: true, text: 'الاسم', encoding: 'utf-8' });
  assert.deepEqual(decodeText(Buffer.from('\ufeffName', 'utf16le')), { ok: true, text: 'Name', encoding: 'utf-16le' });
  assert.deepEqual(decodeText(Buffer.from('Name,Sex', 'utf16le')), { ok: true, text: 'Name,Sex', encoding: 'utf-16le' });
  assert.deepEqual(decodeText(Buffer.from([0xc7, 0xe1, 0xc7, 0xd3, 0xe3])), { ok: true, text: 'الاسم', encoding: 'windows-1256' });
  assert.equal(decodeText(Buffer.from('Jos\xe9', 'latin1')).ok, false);
  assert.equal(decodeText(Buffer.from([0xff, 0xfe, 0x00, 0xd8]), 'utf-16le').ok, false);
});

test('the report neutralises cells that a spreadsheet would run as formulas', () => {
  const csv = issuesCsv([{ table: 'list', line: 3, column: '=HYPERLINK("x")', code: 'import.value_invalid', message: 'bad' }]);
  assert.match(csv, /"'=HYPERLINK\(""x""\)"/);
});
