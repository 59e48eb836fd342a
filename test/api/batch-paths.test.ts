/**
 * The batch service paths a bulk load uses — `registerHouseholds`, `boardHouseholds`,
 * `addVehicles`, `recordVehicleHeadCounts` and the multi-row audit append — give the same records, counts, facts and audit
 * entries as the one-at-a-time paths, and refuse what they refuse with the same codes, writing
 * nothing. Each comparison runs the single path in one operation and the batch in a twin
 * operation set up the same way, at the same clock.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openJson } from '../../src/crypto/envelope.js';
import { appendAudit, appendAuditMany, verifyAudit, type AuditEntry } from '../../src/db/queries/audit.js';
import type { Executor } from '../../src/db/queries/executor.js';
import { permissionsOf, type Role } from '../../src/domain/policy.js';
import { personInput, type PersonData } from '../../src/domain/schemas/persons.js';
import { encodeTag, formatTag } from '../../src/domain/tags.js';
import type { Ctx } from '../../src/services/context.js';
import { addVehicle, boardHousehold, createConvoy, recordVehicleHeadCount, type BoardingInput } from '../../src/services/convoys.js';
import { addVehicles, boardHouseholds, recordVehicleHeadCounts } from '../../src/services/convoys-batch.js';
import { getCounts } from '../../src/services/counts.js';
import { registerHousehold, registerHouseholds, type HouseholdData } from '../../src/services/persons.js';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, type Harness } from '../support/harness.js';

const NOW = new Date('2016-12-15T08:00:00.000Z');
class Rollback extends Error {}

for (const dialect of dialects) {
  describe(`batch service paths (${dialect.name})`, () => {
    let h: Harness;
    const ops: Record<'single' | 'batch', { id: string; first: number }> = { single: { id: '', first: 0 }, batch: { id: '', first: 0 } };

    const ctxFor = (db: Executor, operationId: string, roles: Role[], now = NOW): Ctx => ({
      db,
      keys: h.keys,
      actor: { kind: 'user', id: h.admin.userId, name: 'root', isAdmin: false },
      roles,
      permissions: permissionsOf(roles),
      now,
      operationId,
    });
    const tagAt = (which: 'single' | 'batch', offset: number) => formatTag(encodeTag(ops[which].first + offset));
    const person = (given: string, extra: Partial<Record<string, unknown>> = {}): PersonData =>
      personInput.parse({
        names: { lat: { given, father: 'Ahmad', family: 'al-Hasan' }, ar: { given: 'محمد', family: 'الحسن' } },
        sex: 'male',
        ...(extra.dateOfBirth ? {} : { estimatedAge: 30 }),
        ...extra,
      });

    /** Households with fixed ids, tags taken by offset in each operation's range. */
    const households = (which: 'single' | 'batch', prefix: string): HouseholdData[] => [
      {
        id: `${prefix}-h1`,
        siteId: 'amiriyah',
        members: [
          person('Mohammed', { id: `${prefix}-p1`, tag: tagAt(which, 0), relationship: 'head' }),
          person('Fatima', { id: `${prefix}-p2`, sex: 'female', dateOfBirth: '2012-12-20', relationship: 'child' }),
        ],
      },
      {
        id: `${prefix}-h2`,
        siteId: 'amiriyah',
        notes: 'arrived together',
        members: [
          person('Yousef', { id: `${prefix}-p3`, tag: tagAt(which, 1), vulnerabilities: ['wounded', 'older_person'], estimatedAge: 70 }),
        ],
      },
      {
        id: `${prefix}-h3`,
        siteId: 'rashidin',
        members: [
          person('Alone', {
            id: `${prefix}-p4`,
            estimatedAge: 12,
            vulnerabilities: ['unaccompanied_child'],
            consent: { tracing: true, disclosure: false },
          }),
          person('Sister', { id: `${prefix}-p5`, sex: 'female', estimatedAge: 9 }),
        ],
      },
    ];

    async function snapshot(operationId: string) {
      const keys = await h.keys.forOperation(h.db.kysely, operationId);
      const persons = await h.db.kysely.selectFrom('persons').selectAll().where('operation_id', '=', operationId).orderBy('id').execute();
      const personKeys = await sql<{
        person_id: string;
        kind: string;
        n: number;
      }>`select person_id, kind, count(*)::int as n from person_keys where operation_id = ${operationId} group by 1, 2 order by 1, 2`.execute(
        h.db.kysely,
      );
      const households = await h.db.kysely
        .selectFrom('households')
        .select(['id', 'site_id', 'registered_at', 'registered_by'])
        .where('operation_id', '=', operationId)
        .orderBy('id')
        .execute();
      const audit = await h.db.kysely
        .selectFrom('audit_log')
        .select(['action', 'subject_kind', 'subject_id', 'details', 'at', 'actor_id'])
        .where('operation_id', '=', operationId)
        .where('action', 'in', ['household.register', 'manifest.board', 'vehicle.add'])
        .orderBy('seq')
        .execute();
      // The operation, its count version (how many updates) and the time read differ by design.
      const {
        operationId: _op,
        version: _version,
        asOf: _asOf,
        ...counts
      } = await h.db.kysely.transaction().execute((trx) => getCounts(ctxFor(trx, operationId, ['coordinator'])));
      return {
        persons: persons.map(({ operation_id: _o, pii, medical, tag_code, ...rest }) => ({
          ...rest,
          names: openJson(keys, pii, `person:${rest.id}:pii`),
          medical: medical !== null,
          tagged: tag_code !== null,
        })),
        personKeys: personKeys.rows,
        households,
        audit,
        counts,
      };
    }

    before(async () => {
      h = await startHarness(await dialect.open());
      for (const which of ['single', 'batch'] as const) {
        const o = await setUpOperation(h, `batch-${which}`);
        ops[which] = { id: o.id, first: o.range.firstSerial };
        const r = await h.admin.post(`/api/operations/${o.id}/routes`, { id: 'r1', siteIds: ['amiriyah', 'rashidin'] });
        assert.equal(r.status, 201, JSON.stringify(r.body));
      }
    });
    after(async () => h.close());

    test('registerHouseholds writes the same households, people, keys, counts and audit entries as registerHousehold one by one', async () => {
      await h.db.kysely.transaction().execute(async (trx) => {
        for (const hh of households('single', 'x'))
          await registerHousehold(ctxFor(trx, ops.single.id, ['registrar']), hh, { flagDuplicates: false });
      });
      const result = await h.db.kysely
        .transaction()
        .execute((trx) =>
          registerHouseholds(ctxFor(trx, ops.batch.id, ['registrar']), households('batch', 'x'), { flagDuplicates: false }),
        );
      assert.deepEqual(result.households, [
        { id: 'x-h1', members: ['x-p1', 'x-p2'] },
        { id: 'x-h2', members: ['x-p3'] },
        { id: 'x-h3', members: ['x-p4', 'x-p5'] },
      ]);
      const [single, batch] = [await snapshot(ops.single.id), await snapshot(ops.batch.id)];
      assert.equal(batch.persons.length, 5);
      assert.ok(batch.personKeys.length > 5, 'blocking keys were written');
      assert.deepEqual(batch, single);
      assert.equal((await verifyAudit(h.db.kysely)).ok, true);
    });

    test("registerHouseholds keeps each household's own registration time from an offline queue", async () => {
      const at = new Date('2016-12-14T09:30:00.000Z');
      // In both operations, so they stay twins for the tests after this one.
      for (const which of ['single', 'batch'] as const) {
        await h.db.kysely.transaction().execute((trx) =>
          registerHouseholds(
            ctxFor(trx, ops[which].id, ['registrar']),
            [
              {
                siteId: 'amiriyah',
                id: 'q-h1',
                registeredAt: at,
                members: [person('Queued', { id: 'q-p1', dateOfBirth: '1998-12-15' })],
              },
            ],
            { flagDuplicates: false },
          ),
        );
      }
      const row = await h.db.kysely
        .selectFrom('persons')
        .select(['registered_at', 'updated_at', 'age_band'])
        .where('operation_id', '=', ops.batch.id)
        .where('id', '=', 'q-p1')
        .executeTakeFirstOrThrow();
      assert.equal(new Date(row.registered_at).toISOString(), at.toISOString());
      assert.equal(new Date(row.updated_at).toISOString(), NOW.toISOString());
      assert.equal(row.age_band, '12-17', 'seventeen on the day of registration, eighteen by the clock');
    });

    test('registerHouseholds refuses what registerHousehold refuses, with the same code, and writes nothing', async () => {
      const base = (p: string, tagOffset: number, extra: Partial<HouseholdData> = {}): HouseholdData => ({
        id: `${p}-h`,
        siteId: 'amiriyah',
        members: [person('Ok', { id: `${p}-p`, tag: tagAt('batch', tagOffset) })],
        ...extra,
      });
      const cases: [string, HouseholdData[], string, string][] = [
        [
          'a tag outside every range',
          [base('e1', 10), { ...base('e2', 11), members: [person('Far', { tag: formatTag(encodeTag(9_000_000)) })] }],
          'tag.not_in_range',
          'households.1.members.0.tag',
        ],
        [
          'a tag bound earlier in the batch',
          [base('e3', 12), { ...base('e4', 13), members: [person('Again', { tag: tagAt('batch', 12) })] }],
          'tag.taken',
          'households.1.members.0.tag',
        ],
        ['a tag already worn', [base('e5', 0)], 'tag.taken', 'households.0.members.0.tag'],
        [
          'a tag twice in one household',
          [{ ...base('e6', 14), members: [person('One', { tag: tagAt('batch', 14) }), person('Two', { tag: tagAt('batch', 14) })] }],
          'tag.taken',
          'households.0.members.1.tag',
        ],
        ['an unknown site', [base('e7', 15), base('e8', 16, { siteId: 'nowhere' })], 'site.not_found', 'households.1.siteId'],
        ['a household id already used', [base('e9', 17, { id: 'x-h1' })], 'conflict', 'households.0.id'],
        ['a household id twice in the batch', [base('e10', 18), base('e11', 19, { id: 'e10-h' })], 'conflict', 'households.1.id'],
        [
          'a person without a name',
          [{ ...base('e12', 20), members: [personInput.parse({ names: { lat: { grandfather: 'Only' } }, sex: 'male' })] }],
          'request.invalid',
          'households.0.members.0.names',
        ],
        [
          'two members with one id',
          [{ ...base('e13', 21), members: [person('A', { id: 'same' }), person('B', { id: 'same' })] }],
          'request.invalid',
          'households.0.members',
        ],
      ];
      for (const [what, batch, code, path] of cases) {
        const before = await snapshot(ops.batch.id);
        await assert.rejects(
          h.db.kysely
            .transaction()
            .execute((trx) => registerHouseholds(ctxFor(trx, ops.batch.id, ['registrar']), batch, { flagDuplicates: false })),
          (err: { code?: string; details?: { fields?: { path: string }[] } }) => {
            assert.equal(err.code, code, what);
            assert.equal(err.details?.fields?.[0]?.path, path, what);
            return true;
          },
          what,
        );
        assert.deepEqual(await snapshot(ops.batch.id), before, `${what}: nothing written`);
        // The single path refuses the offending household with the same code, once the ones before it are in.
        await h.db.kysely
          .transaction()
          .execute(async (trx) => {
            const ctx = ctxFor(trx, ops.batch.id, ['registrar']);
            const last = batch[batch.length - 1] as HouseholdData;
            for (const hh of batch.slice(0, -1)) await registerHousehold(ctx, hh, { flagDuplicates: false });
            await assert.rejects(
              registerHousehold(ctx, last, { flagDuplicates: false }),
              (err: { code?: string }) => err.code === code,
              what,
            );
            throw new Rollback();
          })
          .catch((err: unknown) => {
            if (!(err instanceof Rollback)) throw err;
          });
      }
      await assert.rejects(
        registerHouseholds(ctxFor(h.db.kysely, ops.batch.id, ['registrar']), [
          { siteId: 'amiriyah', members: [person('Restricted', { category: 'combatant' })] },
        ]),
        (err: { code?: string }) => err.code === 'auth.restricted_field',
      );
    });

    async function convoyWithFleet(which: 'single' | 'batch', convoyId: string, batched: boolean) {
      await h.db.kysely.transaction().execute(async (trx) => {
        const ctx = ctxFor(trx, ops[which].id, ['convoy_officer']);
        await createConvoy(ctx, { id: convoyId, routeId: 'r1' });
        const fleet = [
          { id: `${convoyId}-bus`, kind: 'bus' as const, capacity: 3, mode: 'named' as const },
          { id: `${convoyId}-amb`, kind: 'ambulance' as const, capacity: 4, mode: 'named' as const },
        ];
        if (batched) await addVehicles(ctx, convoyId, fleet);
        else for (const v of fleet) await addVehicle(ctx, convoyId, v);
      });
    }

    const boardings = (convoyId: string): BoardingInput[] => [
      { householdId: 'x-h1', vehicleId: `${convoyId}-bus`, at: '2016-12-15T07:10:00.000Z' },
      { householdId: 'x-h2', vehicleId: `${convoyId}-amb`, at: '2016-12-15T07:20:00.000Z' },
      { householdId: 'x-h3', vehicleId: `${convoyId}-bus`, memberIds: ['x-p4'], splitReason: 'bus full', at: '2016-12-15T07:30:00.000Z' },
      { householdId: 'x-h3', vehicleId: `${convoyId}-amb`, at: '2016-12-15T07:31:00.000Z' },
    ];

    async function boardingSnapshot(operationId: string, convoyId: string) {
      const entries = await h.db.kysely
        .selectFrom('manifest_entries')
        .select(['person_id', 'household_id', 'vehicle_id', 'flags', 'added_at'])
        .where('operation_id', '=', operationId)
        .where('convoy_id', '=', convoyId)
        .orderBy('person_id')
        .execute();
      const facts = await h.db.kysely
        .selectFrom('movement_facts')
        .select(['kind', 'person_id', 'vehicle_id', 'site_id', 'device_time'])
        .where('operation_id', '=', operationId)
        .where('convoy_id', '=', convoyId)
        .orderBy('person_id')
        .execute();
      const convoy = await h.db.kysely
        .selectFrom('convoys')
        .select('state')
        .where('operation_id', '=', operationId)
        .where('id', '=', convoyId)
        .executeTakeFirstOrThrow();
      return {
        entries: entries.map((e) => ({ ...e, vehicle_id: e.vehicle_id.replace(convoyId, 'C') })),
        facts: facts.map((f) => ({ ...f, vehicle_id: f.vehicle_id?.replace(convoyId, 'C') })),
        state: convoy.state,
      };
    }

    test('boardHouseholds and addVehicles make the same manifest, facts, warnings, counts and audit entries as one boarding at a time', async () => {
      await convoyWithFleet('single', 'cs', false);
      const single = await h.db.kysely.transaction().execute(async (trx) => {
        const out = [];
        for (const b of boardings('cs')) out.push(await boardHousehold(ctxFor(trx, ops.single.id, ['convoy_officer']), 'cs', b));
        return out;
      });
      await convoyWithFleet('batch', 'cs', true);
      const batch = await h.db.kysely
        .transaction()
        .execute((trx) => boardHouseholds(ctxFor(trx, ops.batch.id, ['convoy_officer']), 'cs', boardings('cs')));
      assert.deepEqual(
        batch.results.map((r) => ({ entries: r.entries, warnings: r.warnings })),
        single.map((r) => ({ entries: r.entries, warnings: r.warnings })),
      );
      assert.ok(
        batch.results[2]?.warnings.some((w) => (w as { code: string }).code === 'household_split'),
        'the split is warned',
      );
      assert.deepEqual(await boardingSnapshot(ops.batch.id, 'cs'), await boardingSnapshot(ops.single.id, 'cs'));
      const [s, b] = [await snapshot(ops.single.id), await snapshot(ops.batch.id)];
      assert.deepEqual(b.counts, s.counts);
      assert.deepEqual(
        b.audit.filter((e) => e.action !== 'household.register'),
        s.audit.filter((e) => e.action !== 'household.register'),
      );
      assert.equal((await verifyAudit(h.db.kysely)).ok, true);
    });

    test('boardHouseholds refuses what boardHousehold refuses, names the item, and writes nothing', async () => {
      await convoyWithFleet('batch', 'cr', true);
      for (const which of ['single', 'batch'] as const) {
        await h.db.kysely.transaction().execute((trx) =>
          registerHouseholds(
            ctxFor(trx, ops[which].id, ['registrar']),
            [
              { id: 'r-h1', siteId: 'amiriyah', members: [person('Rami'), person('Rana', { sex: 'female' })] },
              { id: 'r-h2', siteId: 'amiriyah', members: [person('Sami', { id: 'r-p3' }), person('Salma', { sex: 'female' })] },
            ],
            { flagDuplicates: false },
          ),
        );
      }
      const cases: [string, BoardingInput[], string][] = [
        [
          'a vehicle too small',
          [
            { householdId: 'r-h1', vehicleId: 'cr-bus' },
            { householdId: 'r-h2', vehicleId: 'cr-bus' },
          ],
          'manifest.vehicle_full',
        ],
        [
          'a household split without a reason',
          [{ householdId: 'r-h2', vehicleId: 'cr-bus', memberIds: ['r-p3'] }],
          'manifest.household_split',
        ],
        [
          'an unknown household',
          [
            { householdId: 'r-h1', vehicleId: 'cr-amb' },
            { householdId: 'nobody', vehicleId: 'cr-amb' },
          ],
          'household.not_found',
        ],
        ['an unknown vehicle', [{ householdId: 'r-h1', vehicleId: 'cr-nothing' }], 'manifest.vehicle_not_found'],
        // x-h1 rides on convoy cs, which has not finished.
        [
          'a person on another convoy',
          [
            { householdId: 'r-h1', vehicleId: 'cr-amb' },
            { householdId: 'x-h1', vehicleId: 'cr-bus' },
          ],
          'manifest.person_already_manifested',
        ],
      ];
      for (const [what, items, code] of cases) {
        const before = await boardingSnapshot(ops.batch.id, 'cr');
        await assert.rejects(
          h.db.kysely.transaction().execute((trx) => boardHouseholds(ctxFor(trx, ops.batch.id, ['convoy_officer']), 'cr', items)),
          (err: { code?: string; details?: { index?: number } }) => {
            assert.equal(err.code, code, what);
            assert.equal(err.details?.index, items.length - 1, `${what}: names the item`);
            return true;
          },
        );
        assert.deepEqual(await boardingSnapshot(ops.batch.id, 'cr'), before, `${what}: nothing written`);
        await h.db.kysely
          .transaction()
          .execute(async (trx) => {
            const ctx = ctxFor(trx, ops.batch.id, ['convoy_officer']);
            for (const b of items.slice(0, -1)) await boardHousehold(ctx, 'cr', b);
            await assert.rejects(
              boardHousehold(ctx, 'cr', items[items.length - 1] as BoardingInput),
              (err: { code?: string }) => err.code === code,
              what,
            );
            throw new Rollback();
          })
          .catch((err: unknown) => {
            if (!(err instanceof Rollback)) throw err;
          });
      }
    });

    test('recordVehicleHeadCounts gives the same head counts, facts, counts and audit entries as one vehicle at a time, and refuses by item', async () => {
      const cars = (convoyId: string) => [
        {
          vehicleId: `${convoyId}-car1`,
          rows: [{ sex: 'male' as const, ageBand: '18-59' as const, category: 'combatant' as const, count: 4 }],
          at: '2016-12-21T22:00:00.000Z',
        },
        {
          vehicleId: `${convoyId}-car2`,
          rows: [
            { sex: 'male' as const, ageBand: '18-59' as const, category: 'combatant' as const, count: 5 },
            { sex: 'female' as const, ageBand: '0-4' as const, category: 'civilian' as const, count: 1 },
          ],
          at: '2016-12-21T22:05:00.000Z',
        },
      ];
      for (const which of ['single', 'batch'] as const) {
        await h.db.kysely.transaction().execute(async (trx) => {
          const ctx = ctxFor(trx, ops[which].id, ['convoy_officer']);
          await createConvoy(ctx, { id: 'ch', routeId: 'r1' });
          await addVehicles(ctx, 'ch', [
            { id: 'ch-car1', kind: 'private_car', capacity: 5, mode: 'head_count' },
            { id: 'ch-car2', kind: 'private_car', capacity: 5, mode: 'head_count' },
            { id: 'ch-bus', kind: 'bus', capacity: 50, mode: 'named' },
          ]);
          if (which === 'single') for (const c of cars('ch')) await recordVehicleHeadCount(ctx, 'ch', c);
          else {
            const out = await recordVehicleHeadCounts(ctx, 'ch', cars('ch'));
            assert.deepEqual(out[1]?.warnings, [{ code: 'over_capacity', vehicleId: 'ch-car2', capacity: 5, count: 6 }]);
          }
        });
      }
      const read = async (operationId: string) => ({
        vehicles: await h.db.kysely
          .selectFrom('vehicles')
          .select(['id', 'head_count'])
          .where('operation_id', '=', operationId)
          .where('convoy_id', '=', 'ch')
          .orderBy('id')
          .execute(),
        facts: await h.db.kysely
          .selectFrom('movement_facts')
          .select(['kind', 'vehicle_id', 'device_time', 'payload'])
          .where('operation_id', '=', operationId)
          .where('convoy_id', '=', 'ch')
          .orderBy('vehicle_id')
          .execute(),
        audit: await h.db.kysely
          .selectFrom('audit_log')
          .select(['action', 'details'])
          .where('operation_id', '=', operationId)
          .where('subject_id', '=', 'ch')
          .orderBy('seq')
          .execute(),
        counts: (await snapshot(operationId)).counts,
      });
      assert.deepEqual(await read(ops.batch.id), await read(ops.single.id));
      await assert.rejects(
        h.db.kysely
          .transaction()
          .execute((trx) =>
            recordVehicleHeadCounts(ctxFor(trx, ops.batch.id, ['convoy_officer']), 'ch', [
              ...cars('ch'),
              { vehicleId: 'ch-bus', rows: cars('ch')[0]!.rows },
            ]),
          ),
        (err: { code?: string; details?: { index?: number } }) =>
          err.code === 'manifest.not_head_count_vehicle' && err.details?.index === 2,
      );
    });

    test('the multi-row audit append chains exactly the hashes of one append per entry, across streams', async () => {
      const entries: AuditEntry[] = Array.from({ length: 7 }, (_, i) => ({
        operationId: i % 3 === 0 ? null : ops.batch.id,
        actorId: h.admin.userId,
        actorKind: 'user',
        action: `test.entry_${i}`,
        subjectKind: 'thing',
        subjectId: `t${i}`,
        details: { i, nested: { b: 2, a: 1 } },
        at: new Date(NOW.getTime() + i * 1234.5),
      }));
      const written = async (append: (trx: Executor) => Promise<void>) => {
        let rows: { stream: string; n: number; hash: string; prev_hash: string }[] = [];
        await h.db.kysely
          .transaction()
          .execute(async (trx) => {
            const last = Number(
              (
                await trx
                  .selectFrom('audit_log')
                  .select((eb) => eb.fn.max('seq').as('m'))
                  .executeTakeFirstOrThrow()
              ).m,
            );
            await append(trx);
            rows = await trx
              .selectFrom('audit_log')
              .select(['stream', 'n', 'hash', 'prev_hash'])
              .where('seq', '>', last)
              .orderBy('seq')
              .execute();
            assert.equal((await verifyAudit(trx)).ok, true);
            throw new Rollback();
          })
          .catch((err: unknown) => {
            if (!(err instanceof Rollback)) throw err;
          });
        return rows;
      };
      const one = await written(async (trx) => {
        for (const e of entries) await appendAudit(trx, e);
      });
      const many = await written((trx) => appendAuditMany(trx, entries));
      assert.equal(one.length, 7);
      // Grouped by stream (one lock per stream), each stream's chain identical.
      const byStream = (rows: typeof one) => [...new Set(rows.map((r) => r.stream))].sort().map((s) => rows.filter((r) => r.stream === s));
      assert.deepEqual(byStream(many), byStream(one));
    });
  });
}
