/**
 * The export route through the whole HTTP stack: purpose and recipient required (field-level
 * 400), a viewer refused a list of people but given a count table, the file in the answer with
 * its SHA-256 as the audit entry records it, and a wrong format refused with its catalogue code.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, type Client, type Harness } from '../support/harness.js';

for (const dialect of dialects) {
  describe(`export route (${dialect.name})`, () => {
    let h: Harness;
    let opId: string;
    let lead: Client;
    let viewer: Client;
    const url = () => `/api/operations/${opId}/exports`;
    const why = { purpose: 'situation report', recipient: 'cluster lead' };

    before(async () => {
      h = await startHarness(await dialect.open());
      opId = (await setUpOperation(h)).id;
      lead = await h.userWithRoles(opId, ['coordinator', 'registrar'], 'lead');
      viewer = await h.userWithRoles(opId, ['viewer'], 'donor');
      const hh = await lead.post(`/api/operations/${opId}/households`, {
        siteId: 'amiriyah',
        members: [{ names: { lat: { given: 'Hala', family: 'Nasser' } }, sex: 'female', estimatedAge: 41 }],
      });
      assert.equal(hh.status, 201, JSON.stringify(hh.body));
    });
    after(async () => h?.close());

    test('an export without a purpose or recipient is refused field by field', async () => {
      const r = await lead.post(url(), { what: 'people', format: 'csv' });
      assert.equal(r.status, 400);
      assert.equal(r.body.error.code, 'request.invalid');
      assert.deepEqual(r.body.error.details.fields.map((f: { path: string }) => f.path).sort(), ['purpose', 'recipient']);
    });

    test('a viewer gets the count table but not the people; the file comes with the digest the audit log keeps', async () => {
      const refused = await viewer.post(url(), { what: 'people', format: 'csv', ...why });
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error.code, 'auth.forbidden');
      const r = await viewer.post(url(), { what: 'counts', format: 'hxl', ...why });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const bytes = Buffer.from(r.body.contentBase64, 'base64');
      assert.equal(r.body.sha256, createHash('sha256').update(bytes).digest('hex'));
      assert.match(bytes.toString('utf8'), /\r\n#date,#loc\+name/);
      assert.doesNotMatch(bytes.toString('utf8'), /Hala|Nasser/);
      const people = await lead.post(url(), { what: 'people', format: 'csv', ...why });
      assert.equal(people.status, 200);
      assert.match(Buffer.from(people.body.contentBase64, 'base64').toString('utf8'), /Hala/);
      const entries = await h.db.kysely
        .selectFrom('audit_log')
        .select('details')
        .where('operation_id', '=', opId)
        .where('action', '=', 'export')
        .execute();
      const digests = entries.map((e) => (typeof e.details === 'string' ? JSON.parse(e.details) : e.details).sha256);
      assert.ok(digests.includes(r.body.sha256) && digests.includes(people.body.sha256));
    });

    test('a format that does not fit the list is refused with its code', async () => {
      const r = await lead.post(url(), { what: 'manifests', format: 'pfif', ...why });
      assert.equal(r.status, 400);
      assert.equal(r.body.error.code, 'export.format_unsupported');
      assert.equal(r.body.error.details.fields[0].path, 'format');
    });
  });
}
