/** The checkpoint SMS grammar: forgiving about script, digits, separators and case; strict about what is missing. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalisePhone, parseCheckpointSms, refusalReply } from '../../src/domain/sms/checkpoint-sms.js';

test('reads the plain form, with or without the keyword, any separators and case', () => {
  const want = { checkpoint: 'RAM', convoy: 'C12', vehicles: [{ vehicle: 'BUS4', headCount: 38 }] };
  for (const text of ['CP RAM C12 BUS4 38', 'cp  RAM,C12 ;BUS4\n38', 'RAM C12 BUS4 38', 'checkpoint#RAM#C12#BUS4#38'])
    assert.deepEqual(parseCheckpointSms(text), { ok: true, report: want, lang: 'en' }, text);
});

test('reads Arabic keywords, Arabic commas and Arabic-Indic digits, and answers in Arabic', () => {
  const r = parseCheckpointSms('حاجز، الراموسة، C12 BUS4 ٣٨ BUS5 ۴۰');
  assert.deepEqual(r, {
    ok: true,
    lang: 'ar',
    report: {
      checkpoint: 'الراموسة',
      convoy: 'C12',
      vehicles: [
        { vehicle: 'BUS4', headCount: 38 },
        { vehicle: 'BUS5', headCount: 40 },
      ],
    },
  });
});

test('a convoy pass without vehicles, vehicles without counts, a vehicle named by digits', () => {
  assert.deepEqual(parseCheckpointSms('CP RAM C12'), { ok: true, lang: 'en', report: { checkpoint: 'RAM', convoy: 'C12', vehicles: [] } });
  const r = parseCheckpointSms('CP RAM C12 BUS4 12 30 7');
  assert.ok(r.ok);
  assert.deepEqual(r.report.vehicles, [
    { vehicle: 'BUS4', headCount: 12 },
    { vehicle: '30', headCount: 7 },
  ]);
});

test('refuses what is missing or impossible, in the language it can tell', () => {
  const problem = (t: string) => {
    const r = parseCheckpointSms(t, 'ar');
    return r.ok ? 'ok' : `${r.problem}/${r.lang}`;
  };
  assert.equal(problem(''), 'empty/ar');
  assert.equal(problem('CP'), 'too_short/ar');
  assert.equal(problem('CP RAM'), 'too_short/ar');
  assert.equal(problem('CP RAM C12 38'), 'count_without_vehicle/ar');
  assert.equal(problem('CP RAM C12 BUS4 99999'), 'count_too_large/ar');
  assert.equal(problem('CP RAM C12 BUS<4>'), 'bad_code/ar');
  assert.equal(problem(`CP RAM C12 ${Array.from({ length: 21 }, (_, i) => `V${i}`).join(' ')}`), 'too_many_vehicles/ar');
});

test('error SMS fit in one SMS: 160 characters in Latin script, 70 in Arabic (UCS-2)', () => {
  for (const [lang, max] of [
    ['en', 160],
    ['ar', 70],
  ] as const)
    for (const why of [
      'empty',
      'too_short',
      'count_without_vehicle',
      'count_too_large',
      'too_many_vehicles',
      'bad_code',
      'not_allowed',
    ] as const)
      assert.ok(refusalReply(lang, why).length <= max, `${lang} ${why}: ${refusalReply(lang, why)}`);
  for (const lang of ['en', 'ar'] as const)
    for (const why of ['unknown_checkpoint', 'unknown_convoy', 'unknown_vehicle'] as const)
      assert.ok(
        refusalReply(lang, why, 'C12345').length <= (lang === 'ar' ? 70 : 160),
        `${lang} ${why}: ${refusalReply(lang, why, 'C12345')}`,
      );
});

test('phone numbers: international form, spaces and 00 forgiven, Arabic-Indic digits read', () => {
  assert.equal(normalisePhone('+963 944-123 456'), '+963944123456');
  assert.equal(normalisePhone('00963944123456'), '+963944123456');
  assert.equal(normalisePhone('+٩٦٣٩٤٤١٢٣٤٥٦'), '+963944123456');
  assert.equal(normalisePhone('0944 123 456'), undefined, 'a national number: the country is unknown');
  assert.equal(normalisePhone('+12'), undefined);
});
