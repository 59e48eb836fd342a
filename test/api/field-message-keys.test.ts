/**
 * Every field issue of a refusal carries a stable message key (and its parameters) beside the
 * English, so the web app says it in Arabic: zod's issue kinds, the services' own field messages,
 * and a service's field that names no key of its own takes its error's code.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeTag, formatTag } from '../../src/domain/tags.js';
import { fieldMessageKeys } from '../../src/domain/field-messages.js';
import { errorCatalogue } from '../../src/domain/errors.js';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, type Client, type Harness } from '../support/harness.js';

interface Field {
  path: string;
  message: string;
  key?: string;
  params?: Record<string, unknown>;
}
const known = new Set<string>([...fieldMessageKeys, ...Object.keys(errorCatalogue)]);

function fieldsOf(body: { error: { details?: { fields?: Field[] } } }): Field[] {
  const fields = body.error.details?.fields ?? [];
  assert.ok(fields.length > 0, JSON.stringify(body));
  for (const f of fields) {
    assert.ok(f.key && known.has(f.key), `${f.path}: key ${f.key} is a field message key or a catalogue code`);
    assert.ok(f.message, 'the English stays');
  }
  return fields;
}

for (const dialect of dialects) {
  describe(`field message keys (${dialect.name})`, () => {
    let h: Harness;
    let base: string;
    let registrar: Client, reception: Client;
    let firstSerial: number;
    const member = (over: Record<string, unknown> = {}) => ({
      names: { lat: { given: 'Samir', family: 'Synthetic' } },
      sex: 'male',
      estimatedAge: 30,
      ...over,
    });

    before(async () => {
      h = await startHarness(await dialect.open());
      const op = await setUpOperation(h, 'keys-op');
      base = `/api/operations/${op.id}`;
      firstSerial = op.range.firstSerial;
      [registrar, reception] = (await Promise.all(
        (['registrar', 'reception_officer'] as const).map((r) => h.userWithRoles(op.id, [r])),
      )) as [Client, Client];
    });
    after(async () => h.close());

    test('schema issues carry their kind and bounds', async () => {
      const r = await registrar.post(`${base}/households`, { siteId: 'amiriyah', members: [member({ estimatedAge: 130, sex: 'x' })] });
      assert.equal(r.status, 400);
      const byPath = Object.fromEntries(fieldsOf(r.body).map((f) => [f.path, f]));
      assert.equal(byPath['members.0.estimatedAge']!.key, 'number_max');
      assert.deepEqual(byPath['members.0.estimatedAge']!.params, { maximum: 120 });
      assert.equal(byPath['members.0.sex']!.key, 'choose_option');
      const missing = await registrar.post(`${base}/households`, { members: [member()] });
      assert.deepEqual(
        fieldsOf(missing.body).map((f) => [f.path, f.key]),
        [['siteId', 'required']],
      );
    });

    test('a service’s own field message names its key; one without takes the error’s code', async () => {
      const noName = await registrar.post(`${base}/households`, { siteId: 'amiriyah', members: [member({ names: {} })] });
      assert.equal(noName.status, 400, JSON.stringify(noName.body));
      assert.equal(fieldsOf(noName.body)[0]!.key, 'names_required');
      const tag = formatTag(encodeTag(firstSerial));
      assert.equal((await registrar.post(`${base}/households`, { siteId: 'amiriyah', members: [member({ tag })] })).status, 201);
      const taken = await registrar.post(`${base}/households`, { siteId: 'amiriyah', members: [member({ tag })] });
      assert.equal(taken.body.error.code, 'tag.taken');
      assert.equal(fieldsOf(taken.body)[0]!.key, 'tag.taken');
      const both = await reception.post(`${base}/check-ins`, { siteId: 'rashidin' });
      assert.equal(both.status, 400, JSON.stringify(both.body));
      assert.equal(fieldsOf(both.body)[0]!.key, 'tag_or_person');
    });

    test('a movement window that ends before it starts is refused at its end with a key of its own', async () => {
      const coordinator = await h.userWithRoles(base.split('/').pop()!, ['coordinator']);
      const r = await coordinator.post(`${base}/movement-windows`, { start: '2016-12-15T16:00:00Z', end: '2016-12-15T04:00:00Z' });
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.deepEqual(
        fieldsOf(r.body).map((f) => [f.path, f.key]),
        [['end', 'ends_before_start']],
      );
    });
  });
}
