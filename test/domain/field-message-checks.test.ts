/**
 * Every check of the input schemas that is not one of zod's own kinds (an order of two ages, a
 * route passing a site twice, hidden characters in a text …) carries a message key of its own, so
 * the web app says what is wrong in the user's language instead of "This value is not valid".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { z } from 'zod';
import { fieldIssueOfZod } from '../../src/domain/field-messages.js';
import { tracingOutcomeInput, tracingRequestInput } from '../../src/domain/schemas/tracing.js';
import { routeInput } from '../../src/domain/convoys/routes.js';
import { carriedInput, personInput } from '../../src/domain/schemas/persons.js';
import { headCountRows } from '../../src/domain/convoys/head-count.js';
import { entityId, isoDate, pathId, slugId, text } from '../../src/domain/schemas/common.js';
import { operationInput, sitePatch } from '../../src/domain/schemas/operations.js';
import { clientIdSchema } from '../../src/domain/ids.js';
import { importMapping } from '../../src/domain/import/mapping.js';

function keysOf(schema: z.ZodType, input: unknown) {
  const r = schema.safeParse(input);
  assert.equal(r.success, false, `refused: ${JSON.stringify(input)}`);
  return r.error!.issues.map((i) => fieldIssueOfZod(i));
}

const cases: [string, z.ZodType, unknown, string, Record<string, unknown>?][] = [
  [
    'a tracing request whose highest age is below its lowest',
    tracingRequestInput,
    { enquirer: { name: 'Huda' }, relation: 'sibling', sought: { names: { lat: { given: 'Omar' } }, ageMin: 16, ageMax: 12 } },
    'age_range_order',
  ],
  ['a person found without the person', tracingOutcomeInput, { outcome: 'found' }, 'person_found_required'],
  ['a route passing a site twice', routeInput, { id: 'loop', siteIds: ['a', 'b', 'a'] }, 'sites_once'],
  ['a route with a leg time too many', routeInput, { id: 'legs', siteIds: ['a', 'b'], legMinutes: [30, 40] }, 'legs_count'],
  ['a wheelchair given twice', carriedInput, { equipment: ['wheelchair', 'wheelchair'] }, 'each_once'],
  [
    'a head count giving one row twice',
    headCountRows,
    [
      { sex: 'male', ageBand: '18-59', category: 'civilian', count: 2 },
      { sex: 'male', ageBand: '18-59', category: 'civilian', count: 3 },
    ],
    'each_once',
  ],
  [
    'a person with a date of birth and an estimated age',
    personInput,
    { names: { lat: { given: 'Samir' } }, sex: 'male', dateOfBirth: '1980-01-01', estimatedAge: 40 },
    'one_age_only',
  ],
  ['a text with a bidi override', text(50), 'Samir \u202Eevil', 'text_characters'],
  ['a text longer than its bound once normalised', text(3), 'abcd', 'text_max', { maximum: 3 }],
  ['an id with a control character', pathId, 'a\u0007b', 'id_format'],
  ['a client id that is not one', clientIdSchema, 'not-an-id', 'id_format'],
  ['a plate with a space where an id is asked', entityId, 'WLK en-1', 'id_characters'],
  ['a site id in capitals', slugId, 'Rashidin', 'slug_characters'],
  ['a date that is not on the calendar', isoDate, '2016-02-30', 'not_a_real_date'],
  [
    'an unknown time zone',
    operationInput,
    { code: 'op-x', nameEn: 'Op', timeZone: 'Mars/Olympus' },
    'time_zone_unknown',
    { example: 'Asia/Damascus' },
  ],
  ['a site change changing nothing', sitePatch, {}, 'nothing_changed'],
  ['an import column mapped to nothing', importMapping, { columns: { givenName: '' } }, 'required'],
  ['a head count row without its count', headCountRows, [{ sex: 'male', ageBand: '18-59', category: 'civilian' }], 'required'],
  [
    'a head count row with a count that is not a number',
    headCountRows,
    [{ sex: 'male', ageBand: '18-59', category: 'civilian', count: 'three' }],
    'not_a_number',
  ],
];

for (const [what, schema, input, key, params] of cases)
  test(`${what}: refused with the key ${key}`, () => {
    const issues = keysOf(schema, input);
    const mine = issues.find((i) => i.key === key);
    assert.ok(mine, `${JSON.stringify(issues)}`);
    assert.ok(mine.message, 'the English stays beside the key');
    if (params) assert.deepEqual(mine.params, params);
    assert.ok(!issues.some((i) => i.key === 'invalid'), `no issue left without its own words: ${JSON.stringify(issues)}`);
  });
