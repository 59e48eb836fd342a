/**
 * Refusals read as plain sentences a desk can show as they are: a number out of bounds names its
 * bounds in words (never zod's "Too big: expected number to be <=120"), and the field messages of
 * the services are whole sentences (never fragments such as "is already bound to another person").
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeTag, formatTag } from '../../src/domain/tags.js';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, type Client, type Harness } from '../support/harness.js';

/** A sentence: starts with a capital letter and ends with a full stop; no code-like comparison. */
function assertSentence(message: string) {
  assert.match(message, /^[A-Z].*\.$/, `"${message}" is a sentence`);
  assert.doesNotMatch(message, /Too (big|small)|expected|<=|>=/, `"${message}" reads like code`);
}

for (const dialect of dialects) {
  describe(`plain messages (${dialect.name})`, () => {
    let h: Harness;
    let base: string;
    let registrar: Client, coordinator: Client;
    let firstSerial: number;
    const member = (over: Record<string, unknown> = {}) => ({
      names: { lat: { given: 'Samir', family: 'Synthetic' } },
      sex: 'male',
      estimatedAge: 30,
      ...over,
    });

    before(async () => {
      h = await startHarness(await dialect.open());
      const op = await setUpOperation(h, 'messages-op');
      base = `/api/operations/${op.id}`;
      firstSerial = op.range.firstSerial;
      [registrar, coordinator] = (await Promise.all((['registrar', 'coordinator'] as const).map((r) => h.userWithRoles(op.id, [r])))) as [
        Client,
        Client,
      ];
    });
    after(async () => h.close());

    test('an age out of bounds is refused in a sentence naming the bounds', async () => {
      const r = await registrar.post(`${base}/households`, { siteId: 'amiriyah', members: [member({ estimatedAge: 130 })] });
      assert.equal(r.status, 400);
      const field = r.body.error.details.fields[0];
      assert.equal(field.path, 'members.0.estimatedAge');
      assert.equal(field.message, 'Give the age in years as a whole number from 0 to 120.');
      const half = await registrar.post(`${base}/households`, { siteId: 'amiriyah', members: [member({ estimatedAge: 4.5 })] });
      assert.equal(half.body.error.details.fields[0].message, 'Give the age in years as a whole number from 0 to 120.');
    });

    test('a site’s capacity and coordinates out of bounds are refused in sentences', async () => {
      const r = await coordinator.patch(`${base}/sites/rashidin`, { capacity: -1, lat: 91 });
      assert.equal(r.status, 400);
      const byPath = Object.fromEntries(r.body.error.details.fields.map((f: { path: string; message: string }) => [f.path, f.message]));
      assert.equal(byPath.capacity, 'Give the capacity (places) as a whole number from 0 to 10,000,000.');
      assert.equal(byPath.lat, 'Give the latitude in degrees, from -90 to 90.');
    });

    test('a tag already bound, given twice or out of range is refused in whole sentences', async () => {
      const tag = formatTag(encodeTag(firstSerial));
      assert.equal((await registrar.post(`${base}/households`, { siteId: 'amiriyah', members: [member({ tag })] })).status, 201);
      const taken = await registrar.post(`${base}/households`, { siteId: 'amiriyah', members: [member({ tag })] });
      assert.equal(taken.body.error.code, 'tag.taken');
      assertSentence(taken.body.error.details.fields[0].message);
      assert.match(taken.body.error.details.fields[0].message, /^This tag is already bound to another person/);
      const other = formatTag(encodeTag(firstSerial + 1));
      const twice = await registrar.post(`${base}/households`, {
        siteId: 'amiriyah',
        members: [member({ tag: other }), member({ tag: other })],
      });
      assert.equal(twice.status, 409, JSON.stringify(twice.body));
      assertSentence(twice.body.error.details.fields[0].message);
      const outside = await registrar.post(`${base}/households`, {
        siteId: 'amiriyah',
        members: [member({ tag: formatTag(encodeTag(firstSerial + 90_000)) })],
      });
      assert.equal(outside.body.error.code, 'tag.not_in_range');
      assertSentence(outside.body.error.details.fields[0].message);
    });

    test('an unknown site at registration is refused in a sentence', async () => {
      const r = await registrar.post(`${base}/households`, { siteId: 'nowhere', members: [member()] });
      assert.equal(r.body.error.code, 'site.not_found');
      assertSentence(r.body.error.details.fields[0].message);
    });
  });
}
