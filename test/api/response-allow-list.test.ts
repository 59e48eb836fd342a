/**
 * Answers are allow-listed by their endpoint's response schema: a key the schema does not name
 * never leaves the server — not in the first answer, not in the replay of a stored one — and an
 * answer of the wrong shape is a 500 that reveals nothing, with a write rolled back. Errors keep
 * their catalogue shape. Proved on test endpoints registered through the same `defineRoute` as
 * the real ones, and on a real route (a person's record for a role without the restricted rights).
 */
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { ulid } from 'ulid';
import { z } from 'zod';
import { endpoint } from '../../src/domain/api/endpoint.js';
import { AppError } from '../../src/domain/errors.js';
import { buildApp } from '../../src/server/app.js';
import { defineRoute } from '../../src/server/route.js';
import { KeyRing } from '../../src/services/keys/keyring.js';
import { dialects, type TestDb } from '../support/db.js';
import { setUpOperation, startHarness, type Harness } from '../support/harness.js';

const leakyRead = endpoint({
  method: 'GET',
  path: '/api/test/leaky',
  access: 'public',
  tag: 'test',
  summary: 'answers with more than its schema names',
  response: z.object({ id: z.string(), items: z.array(z.object({ n: z.number(), label: z.string().optional() })) }),
});
const leakyWrite = endpoint({
  method: 'POST',
  path: '/api/test/leaky',
  access: 'public',
  tag: 'test',
  summary: 'a write answering with more than its schema names',
  body: z.object({ x: z.number() }),
  response: z.object({ id: z.string() }),
});
const wrongShape = endpoint({
  method: 'GET',
  path: '/api/test/wrong',
  access: 'public',
  tag: 'test',
  summary: 'answers with a value of the wrong type',
  response: z.object({ id: z.string() }),
});
const refusing = endpoint({
  method: 'GET',
  path: '/api/test/refusing',
  access: 'public',
  tag: 'test',
  summary: 'always refuses',
  response: z.object({ id: z.string() }),
});

for (const dialect of dialects) {
  describe(`response allow-list (${dialect.name})`, () => {
    let db: TestDb;
    let app: FastifyInstance;
    let writes = 0;

    before(async () => {
      db = await dialect.open();
      app = await buildApp({
        db,
        keys: new KeyRing(randomBytes(32)),
        logLevel: 'silent',
        extend: (a, env) => {
          defineRoute(a, env, leakyRead, async () => ({
            id: 'a',
            secret: 'names of the people in it',
            items: [{ n: 1, label: 'x', phone: '+963 000' }, { n: 2 }],
          }));
          defineRoute(a, env, leakyWrite, async (_ctx, { body }) => {
            writes++;
            return { id: `w${body.x}`, token: 'shown never' };
          });
          defineRoute(a, env, wrongShape, async () => ({ id: 42, name: 'Hidden Name' }));
          defineRoute(a, env, refusing, async () => {
            throw new AppError('person.not_found', undefined, { fields: [{ path: 'id', message: 'is unknown' }] });
          });
        },
      });
    });
    after(async () => {
      await app.close();
      await db.close();
    });

    test('a key the response schema does not name is not sent, at any depth', async () => {
      const r = await app.inject({ method: 'GET', url: '/api/test/leaky' });
      assert.equal(r.statusCode, 200);
      assert.deepEqual(JSON.parse(r.body), { id: 'a', items: [{ n: 1, label: 'x' }, { n: 2 }] });
      assert.ok(!r.body.includes('names of the people') && !r.body.includes('+963'));
    });

    test('a write answers through its schema, and its replay sends the same allow-listed answer', async () => {
      const key = ulid();
      const first = await app.inject({ method: 'POST', url: '/api/test/leaky', headers: { 'idempotency-key': key }, payload: { x: 1 } });
      assert.equal(first.statusCode, 201);
      assert.deepEqual(JSON.parse(first.body), { id: 'w1' });
      const again = await app.inject({ method: 'POST', url: '/api/test/leaky', headers: { 'idempotency-key': key }, payload: { x: 1 } });
      assert.equal(again.statusCode, 201);
      assert.equal(again.headers['idempotent-replayed'], 'true');
      assert.deepEqual(JSON.parse(again.body), { id: 'w1' });
      assert.equal(writes, 1, 'the replay did not run the handler again');
    });

    test('an answer of the wrong shape is a 500 that reveals nothing of it', async () => {
      const r = await app.inject({ method: 'GET', url: '/api/test/wrong' });
      assert.equal(r.statusCode, 500);
      const body = JSON.parse(r.body) as { error: { code: string } };
      assert.equal(body.error.code, 'internal');
      assert.ok(!r.body.includes('Hidden Name'));
    });

    test('errors keep their catalogue shape (not filtered by the response schema)', async () => {
      const r = await app.inject({ method: 'GET', url: '/api/test/refusing' });
      assert.equal(r.statusCode, 404);
      // The field issue keeps its message, and the stable key the web app translates (the error's code when the service gave none).
      assert.deepEqual(JSON.parse(r.body).error.details, { fields: [{ path: 'id', message: 'is unknown', key: 'person.not_found' }] });
    });
  });

  describe(`response allow-list on a real route (${dialect.name})`, () => {
    let h: Harness;
    let opId: string;
    let personId: string;
    before(async () => {
      h = await startHarness(await dialect.open());
      opId = (await setUpOperation(h, 'allow-list')).id;
      const registrar = await h.userWithRoles(opId, ['registrar'], 'allow-registrar');
      const hh = await registrar.post(`/api/operations/${opId}/households`, {
        siteId: 'amiriyah',
        members: [{ names: { lat: { given: 'Allow', family: 'List' } }, sex: 'female', estimatedAge: 30 }],
      });
      assert.equal(hh.status, 201, JSON.stringify(hh.body));
      personId = hh.body.members[0].id;
    });
    after(async () => h.close());

    test("a person's record answers exactly the schema's keys, without the restricted ones for a role without the rights", async () => {
      const registrar = await h.userWithRoles(opId, ['registrar'], 'allow-registrar-2');
      const r = await registrar.get(`/api/operations/${opId}/persons/${personId}`);
      assert.equal(r.status, 200);
      const { personView } = await import('../../src/domain/api/views.js');
      const allowed = Object.keys(personView.shape);
      assert.deepEqual(
        Object.keys(r.body).filter((k) => !allowed.includes(k)),
        [],
      );
      assert.ok(!('medicalNotes' in r.body) && !('category' in r.body), 'restricted fields are left out');
    });
  });
}
