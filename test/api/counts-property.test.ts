/**
 * The maintained counters always equal the recomputation from facts: random valid fact
 * sequences (with replays, corrections, reordering and merges of duplicate records) go through
 * the same services the API calls, batch by batch, each in its own transaction, on every test
 * database, with the count projection counting a few notes at a time between them; after each
 * sequence `verifyCounts` (which counts what is left) must find no difference.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { ulid } from 'ulid';
import type { MovementFact } from '../../src/domain/movements/index.js';
import { buildFact } from '../../src/domain/movements/index.js';
import { permissions, type Permission } from '../../src/domain/policy.js';
import type { Ctx } from '../../src/services/context.js';
import { createConvoy } from '../../src/services/convoys/convoys.js';
import { addVehicle } from '../../src/services/convoys/convoys-batch.js';
import { countMerge, countUnmerge, verifyCounts } from '../../src/services/counts/counts.js';
import { projectBatch } from '../../src/services/counts/counts-maintain.js';
import { createRoute } from '../../src/services/operations/evacuation.js';
import { appendFacts } from '../../src/services/facts/facts.js';
import { KeyRing } from '../../src/services/keys/keyring.js';
import { createOperation, createSite } from '../../src/services/operations/operations.js';
import { registerHousehold } from '../../src/services/persons/persons.js';
import { dialects, type TestDb } from '../support/db.js';

const sites = ['amiriyah', 'ramouseh', 'rashidin'];
const convoyKinds = ['departed', 'passed_checkpoint', 'halted', 'resumed', 'arrived', 'turned_back', 'cancelled'] as const;

type Step =
  | { t: 'board'; person: number; convoy: number; hour: number }
  | { t: 'headcount'; convoy: number; n: number; hour: number }
  | { t: 'move'; kind: (typeof convoyKinds)[number]; convoy: number; hour: number }
  | { t: 'checkin'; person: number; site: number; hour: number }
  | { t: 'correct'; target: number; hour: number };

const hour = fc.integer({ min: 0, max: 8 });
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ t: fc.constant('board' as const), person: fc.nat(5), convoy: fc.nat(1), hour }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('headcount' as const), convoy: fc.nat(1), n: fc.integer({ min: 1, max: 4 }), hour }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('move' as const), kind: fc.constantFrom(...convoyKinds), convoy: fc.nat(1), hour }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('checkin' as const), person: fc.nat(5), site: fc.nat(2), hour }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('correct' as const), target: fc.nat(40), hour }) },
);

for (const dialect of dialects) {
  describe(`maintained counts equal recomputation (${dialect.name})`, () => {
    let db: TestDb;
    const keys = new KeyRing(randomBytes(32));
    let userId: string;
    const all = new Set<Permission>(permissions);

    before(async () => {
      db = await dialect.open();
      userId = ulid();
      await db.kysely.insertInto('users').values({ id: userId, username: 'prop', display_name: 'Prop', password_hash: 'x' }).execute();
    });
    after(async () => db.close());

    async function inTx<T>(operationId: string | undefined, at: Date, fn: (ctx: Ctx) => Promise<T>): Promise<T> {
      return db.kysely.transaction().execute((trx) =>
        fn({
          db: trx,
          now: at,
          keys,
          roles: ['coordinator'],
          permissions: all,
          actor: { kind: 'user', id: userId, name: 'prop', isAdmin: true },
          ...(operationId ? { operationId } : {}),
        }),
      );
    }

    let runNo = 0;
    async function setUp() {
      const at = new Date('2016-12-15T03:00:00Z');
      const op = await inTx(undefined, at, (ctx) =>
        createOperation(ctx, { code: `prop-${++runNo}`, nameEn: 'Property', timeZone: 'Asia/Damascus', status: 'active' } as never),
      );
      const id = op.id;
      await inTx(id, at, async (ctx) => {
        for (const s of sites)
          await createSite(ctx, { id: s, kind: s === 'ramouseh' ? 'checkpoint' : 'reception_centre', nameEn: s } as never);
        await createRoute(ctx, { id: 'r', siteIds: sites });
        for (const c of ['c0', 'c1']) {
          await createConvoy(ctx, { id: c, routeId: 'r' });
          await addVehicle(ctx, c, { id: `${c}-bus`, kind: 'bus', mode: 'named' });
          await addVehicle(ctx, c, { id: `${c}-car`, kind: 'private_car', mode: 'head_count' });
        }
      });
      const persons: string[] = [];
      for (const [i, household] of [[0, 1], [2, 3, 4], [5]].entries()) {
        const h = await inTx(id, new Date(at.getTime() + i * 60_000), (ctx) =>
          registerHousehold(ctx, {
            siteId: 'amiriyah',
            members: household.map((n) => ({
              names: { lat: { given: `P${n}` } },
              sex: n % 2 ? 'male' : 'female',
              estimatedAge: [3, 30, 8, 70, 15, 40][n],
              relationship: 'head',
              vulnerabilities: n === 2 ? ['separated_child'] : n === 3 ? ['wounded', 'older_person'] : [],
              consent: { tracing: true, disclosure: false },
            })) as never,
          }),
        );
        persons.push(...(h.members as { id: string }[]).map((m) => m.id));
      }
      return { id, persons };
    }

    function toFacts(operationId: string, persons: string[], steps: Step[]): MovementFact[] {
      const out: MovementFact[] = [];
      const time = (h: number, i: number) => new Date(Date.parse('2016-12-15T04:00:00Z') + h * 3600_000 + i * 1000).toISOString();
      for (const [i, s] of steps.entries()) {
        const base = { id: ulid(), operationId, deviceTime: time(s.hour, i) };
        const convoyId = 'convoy' in s ? `c${s.convoy}` : '';
        if (s.t === 'board')
          out.push(
            buildFact({
              ...base,
              kind: 'boarded',
              convoyId,
              vehicleId: `${convoyId}-bus`,
              personId: persons[s.person] as string,
              siteId: 'amiriyah',
            }),
          );
        else if (s.t === 'headcount')
          out.push(
            buildFact({
              ...base,
              kind: 'boarded',
              convoyId,
              vehicleId: `${convoyId}-car`,
              siteId: 'amiriyah',
              payload: { headCount: [{ sex: 'male', ageBand: '18-59', category: 'unknown', count: s.n }] },
            }),
          );
        else if (s.t === 'checkin')
          out.push(buildFact({ ...base, kind: 'checked_in', personId: persons[s.person] as string, siteId: sites[s.site] as string }));
        else if (s.t === 'correct') {
          const target = out[s.target % Math.max(1, out.length)];
          if (target) out.push(buildFact({ ...base, kind: 'correction', payload: { voids: target.id } }));
        } else {
          const extra =
            s.kind === 'halted' || s.kind === 'turned_back'
              ? { payload: { reason: 'security' } }
              : s.kind === 'passed_checkpoint'
                ? { siteId: 'ramouseh' }
                : s.kind === 'arrived'
                  ? { siteId: 'rashidin' }
                  : {};
          out.push(buildFact({ ...base, kind: s.kind, convoyId, ...extra } as never));
        }
      }
      return out;
    }

    test('random fact sequences with replays, reordering, corrections and merges keep counters equal to recomputation', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(step, { minLength: 3, maxLength: 24 }),
          fc.array(fc.nat(23), { maxLength: 5 }),
          fc.integer({ min: 1, max: 6 }),
          fc.boolean(),
          fc.integer(),
          fc.record({
            every: fc.integer({ min: 0, max: 3 }),
            facts: fc.integer({ min: 1, max: 5 }),
            persons: fc.integer({ min: 1, max: 4 }),
          }),
          async (steps, replays, batchSize, merge, seed, projection) => {
            const { id, persons } = await setUp();
            const facts = toFacts(id, persons, steps);
            // Arrival order: a seeded shuffle, with some facts sent again.
            const arrival = [...facts, ...replays.flatMap((r) => (facts[r % facts.length] ? [facts[r % facts.length]!] : []))];
            let s = seed;
            for (let i = arrival.length - 1; i > 0; i--) {
              s = (s * 1103515245 + 12345) & 0x7fffffff;
              const j = s % (i + 1);
              [arrival[i], arrival[j]] = [arrival[j]!, arrival[i]!];
            }
            for (let i = 0; i < arrival.length; i += batchSize) {
              await inTx(id, new Date('2016-12-15T12:00:00Z'), (ctx) => appendFacts(ctx, arrival.slice(i, i + batchSize)));
              if (merge && i === 0) {
                // Person 4 turns out to be a duplicate record of person 1, and the merge is later undone and redone.
                await inTx(id, new Date(), async (ctx) => {
                  await ctx.db
                    .updateTable('persons')
                    .set({ merged_into: persons[1] })
                    .where('operation_id', '=', id)
                    .where('id', '=', persons[4]!)
                    .execute();
                  await countMerge(ctx, persons[4]!, persons[1]!);
                });
              }
              if (merge && i === batchSize) {
                await inTx(id, new Date(), async (ctx) => {
                  await countUnmerge(ctx, persons[4]!, persons[1]!);
                  await ctx.db
                    .updateTable('persons')
                    .set({ merged_into: null })
                    .where('operation_id', '=', id)
                    .where('id', '=', persons[4]!)
                    .execute();
                });
              }
              // The projection runs between writes, counting a few notes at a time (what is left waits).
              if (projection.every > 0 && (i / batchSize) % projection.every === 0) {
                await db.kysely
                  .transaction()
                  .execute((trx) => projectBatch(trx, keys, id, new Date(), { facts: projection.facts, persons: projection.persons }));
              }
            }
            const v = await verifyCounts(db.kysely, keys, id);
            assert.deepEqual(v.differences, [], `steps ${JSON.stringify(steps)}`);
          },
        ),
        {
          numRuns: Number(process.env.PROPERTY_RUNS ?? (dialect.name === 'pglite' ? 25 : 15)),
          seed: Number(process.env.PROPERTY_SEED ?? 20161215),
        },
      );
    });

    // PGlite has one connection: transactions cannot overlap there.
    test(
      'transactions that commit in another order than they began are each counted once',
      { skip: dialect.name !== 'postgres' },
      async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.array(step, { minLength: 4, maxLength: 20 }),
            fc.integer({ min: 1, max: 5 }),
            fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }),
            fc.integer({ min: 1, max: 4 }),
            async (steps, batchSize, laterFirst, limit) => {
              const { id, persons } = await setUp();
              const facts = toFacts(id, persons, steps);
              const project = () =>
                db.kysely.transaction().execute((trx) => projectBatch(trx, keys, id, new Date(), { facts: limit, persons: 4 }));
              const chunks: MovementFact[][] = [];
              for (let i = 0; i < facts.length; i += batchSize) chunks.push(facts.slice(i, i + batchSize));
              // Two writers at a time: the first begins (and takes its transaction id) before the second,
              // the projection runs while both are open, then they commit in either order.
              for (let c = 0; c < chunks.length; c += 2) {
                const pair = chunks.slice(c, c + 2);
                const gates: (() => void)[] = [];
                const done: Promise<void>[] = [];
                // Writers one after the other, so the first holds the older transaction id; each stays open.
                for (const [k, chunk] of pair.entries()) {
                  await new Promise<void>((written) => {
                    done.push(
                      db.kysely.transaction().execute(async (trx) => {
                        await appendFacts(
                          {
                            db: trx,
                            now: new Date('2016-12-15T12:00:00Z'),
                            keys,
                            roles: ['coordinator'],
                            permissions: all,
                            actor: { kind: 'user', id: userId, name: 'prop', isAdmin: true },
                            operationId: id,
                          },
                          chunk,
                          { deriveConvoyState: false },
                        );
                        await new Promise<void>((open) => {
                          gates[k] = open;
                          written();
                        });
                      }),
                    );
                  });
                }
                await project();
                const order = laterFirst[(c / 2) % laterFirst.length] ? [...pair.keys()].reverse() : [...pair.keys()];
                for (const [n, k] of order.entries()) {
                  gates[k]!();
                  await done[k];
                  if (n === 0) await project();
                }
                await project();
              }
              const v = await verifyCounts(db.kysely, keys, id);
              assert.deepEqual(v.differences, [], `steps ${JSON.stringify(steps)}`);
            },
          ),
          { numRuns: Number(process.env.PROPERTY_RUNS ?? 10), seed: Number(process.env.PROPERTY_SEED ?? 20161222) },
        );
      },
    );
  });
}
