/**
 * The OpenAPI document is generated from the contract's endpoints: every endpoint is in it, with
 * its access, parameters, request schema and response schema, and the UI is served at /api/docs
 * (public, like the document).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { allEndpoints } from '../../src/domain/api/index.js';
import { dialects } from '../support/db.js';
import { startHarness, type Harness } from '../support/harness.js';

const routePolicy: Record<string, string> = Object.fromEntries(allEndpoints.map((e) => [`${e.method} ${e.path}`, e.access]));

interface Operation {
  'x-access': string;
  parameters?: { name: string; in: string; required: boolean }[];
  requestBody?: { content: Record<string, { schema: { type?: string; properties?: Record<string, unknown> } }> };
  responses: Record<string, unknown>;
}

for (const dialect of dialects) {
  describe(`OpenAPI (${dialect.name})`, () => {
    let h: Harness;
    let doc: { openapi: string; paths: Record<string, Record<string, Operation>> };

    before(async () => {
      h = await startHarness(await dialect.open());
      const r = await h.app.inject({ method: 'GET', url: '/api/docs/json' });
      assert.equal(r.statusCode, 200, 'the document is public');
      doc = JSON.parse(r.body);
    });
    after(async () => h.close());

    test('is an OpenAPI 3.1 document listing every endpoint of the contract with its access', () => {
      assert.equal(doc.openapi, '3.1.0');
      const listed = Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{([A-Za-z]+)\}/g, ':$1')}`),
      );
      assert.deepEqual(listed.sort(), Object.keys(routePolicy).sort());
      for (const [key, access] of Object.entries(routePolicy)) {
        const [method, url] = key.split(' ') as [string, string];
        const op = doc.paths[url.replace(/:([A-Za-z]+)/g, '{$1}')]![method.toLowerCase()]!;
        assert.equal(op['x-access'], access, key);
        for (const name of [...url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1])) {
          assert.ok(
            op.parameters?.some((p) => p.in === 'path' && p.name === name && p.required),
            `${key} documents :${name}`,
          );
        }
      }
    });

    test('every route with a body documents its request schema, and writes their Idempotency-Key', () => {
      for (const r of h.app.corridorRoutes) {
        const op = doc.paths[r.url.replace(/:([A-Za-z]+)/g, '{$1}')]![r.method.toLowerCase()]!;
        if (r.def.body) {
          const schema = op.requestBody?.content['application/json']?.schema;
          assert.equal(schema?.type, 'object', `${r.method} ${r.url} has a JSON request schema`);
          assert.ok(Object.keys(schema?.properties ?? {}).length > 0, `${r.method} ${r.url} lists its fields`);
        }
        if (r.def.query)
          assert.ok(
            op.parameters?.some((p) => p.in === 'query'),
            `${r.method} ${r.url} documents its query`,
          );
        if (r.method !== 'GET' && r.def.idempotent !== false) {
          assert.ok(
            op.parameters?.some((p) => p.in === 'header' && p.name === 'Idempotency-Key' && p.required),
            `${r.method} ${r.url} needs an Idempotency-Key`,
          );
        }
      }
      const household = doc.paths['/api/operations/{operationId}/households']!.post!.requestBody!.content['application/json']!.schema;
      assert.ok('members' in household.properties!, 'the household schema names its members');
    });

    test('every route documents the schema of its answer (a 204 has none)', () => {
      for (const r of h.app.corridorRoutes) {
        const op = doc.paths[r.url.replace(/:([A-Za-z]+)/g, '{$1}')]![r.method.toLowerCase()]!;
        const status = String(r.def.status ?? (r.method === 'POST' ? 201 : 200));
        const ok = op.responses[status] as { content?: Record<string, { schema?: { type?: string } }> } | undefined;
        assert.ok(ok, `${r.method} ${r.url} documents its ${status}`);
        if (status === '204') assert.equal(ok.content, undefined, `${r.method} ${r.url} answers without a body`);
        else assert.ok(ok.content?.['application/json']?.schema, `${r.method} ${r.url} documents its answer`);
      }
      const person = doc.paths['/api/operations/{operationId}/persons/{personId}']!.get!.responses['200'] as {
        content: Record<string, { schema: { properties: Record<string, unknown>; required: string[] } }>;
      };
      const schema = person.content['application/json']!.schema;
      assert.ok('medicalNotes' in schema.properties, 'restricted fields are listed');
      assert.ok(!schema.required.includes('medicalNotes'), 'restricted fields are optional (left out for roles without the right)');
    });

    test('the UI is served at /api/docs', async () => {
      let r = await h.app.inject({ method: 'GET', url: '/api/docs' });
      for (let hops = 0; r.statusCode >= 300 && r.statusCode < 400 && hops < 3; hops++) {
        const next = new URL(String(r.headers.location), 'http://localhost/api/docs/');
        r = await h.app.inject({ method: 'GET', url: next.pathname });
      }
      assert.equal(r.statusCode, 200);
      assert.match(String(r.headers['content-type']), /text\/html/);
      assert.match(r.body, /swagger/i);
    });
  });
}
