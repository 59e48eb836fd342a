/**
 * The live count as clients see it: a server-sent-events stream that pushes a change within
 * seconds, and `corridor counts` / `corridor counts verify` run as an operator runs them —
 * verify passes on true counters and exits 2 naming the cell when one was tampered with.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { ulid } from 'ulid';
import { openDb } from '../../src/db/connection.js';
import { migrate } from '../../src/db/migrate.js';
import { permissions, type Permission } from '../../src/domain/policy.js';
import type { Ctx } from '../../src/services/context.js';
import { KeyRing } from '../../src/services/keys/keyring.js';
import { createOperation, createSite } from '../../src/services/operations/operations.js';
import { registerHousehold } from '../../src/services/persons/persons.js';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, type Client, type Harness } from '../support/harness.js';
import { runCorridor, type Run } from '../support/cli.js';

for (const dialect of dialects) {
  describe(`live counts stream (${dialect.name})`, () => {
    let h: Harness;
    let op: string;
    let registrar: Client;
    let viewer: Client;
    let address: string;

    before(async () => {
      h = await startHarness(await dialect.open());
      op = (await setUpOperation(h, 'stream')).id;
      registrar = await h.userWithRoles(op, ['registrar']);
      viewer = await h.userWithRoles(op, ['viewer']);
      address = await h.app.listen({ host: '127.0.0.1', port: 0 });
    });
    after(async () => h.close());

    test("a viewer's stream sends the counts at once and again within seconds of a registration", async () => {
      const controller = new AbortController();
      const res = await fetch(`${address}/api/operations/${op}/counts/stream`, {
        headers: { cookie: viewer.cookie, accept: 'text/event-stream' },
        signal: controller.signal,
      });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
      const reader = res.body!.getReader();
      let buffer = '';
      const nextEvent = async (deadline: number): Promise<{ totals: Record<string, number>; byCategory?: unknown }> => {
        for (;;) {
          const end = buffer.indexOf('\n\n', buffer.indexOf('event: counts'));
          if (buffer.includes('event: counts') && end >= 0) {
            const start = buffer.indexOf('event: counts');
            const block = buffer.slice(start, end);
            buffer = buffer.slice(end + 2);
            return JSON.parse(
              block
                .split('\n')
                .find((l) => l.startsWith('data: '))!
                .slice(6),
            );
          }
          const left = deadline - performance.now();
          if (left <= 0) throw new Error('no counts event in time');
          const chunk = await Promise.race([
            reader.read(),
            new Promise<never>((_r, reject) => setTimeout(() => reject(new Error('no counts event in time')), left)),
          ]);
          if (chunk.done) throw new Error('stream ended');
          buffer += new TextDecoder().decode(chunk.value);
        }
      };
      try {
        const first = await nextEvent(performance.now() + 5000);
        assert.equal(first.totals.registered, 0);
        assert.equal('byCategory' in first, false, 'a viewer sees no category');
        const t0 = performance.now();
        const r = await registrar.post(`/api/operations/${op}/households`, {
          siteId: 'amiriyah',
          members: [
            { names: { lat: { given: 'Live' } }, sex: 'female', estimatedAge: 30 },
            { names: { lat: { given: 'Stream' } }, sex: 'male', estimatedAge: 4 },
          ],
        });
        assert.equal(r.status, 201);
        // Pushed, not polled: the stream sends the new count by itself, a second or so after the write
        // (the projection's pause). The deadline is generous for a loaded test machine; speed is the bench's.
        const deadline = t0 + 15_000;
        let second = await nextEvent(deadline);
        while (second.totals.registered !== 2) second = await nextEvent(deadline);
        assert.equal(second.totals.registered, 2);
      } finally {
        controller.abort();
        await reader.cancel().catch(() => undefined);
      }
    });

    test('a client that does not ask for a stream gets the counts once, as JSON', async () => {
      const r = await viewer.get(`/api/operations/${op}/counts/stream`);
      assert.equal(r.status, 200);
      assert.equal(r.body.totals.registered, 2);
    });
  });
}

/** The master key the command line is given: counting opens each person's sealed category with it. */
const MASTER_KEY = randomBytes(32);

function corridor(dataDir: string, args: string[]): Promise<Run> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CORRIDOR_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    CORRIDOR_MASTER_KEY: MASTER_KEY.toString('hex'),
  };
  delete env.DATABASE_URL;
  return runCorridor(args, { env });
}

describe('corridor counts (command line, embedded PGlite)', () => {
  let dir: string;
  let op: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'corridor-counts-'));
    const db = await openDb({ kind: 'pglite', dataDir: join(dir) });
    try {
      await migrate(db);
      const userId = ulid();
      await db.kysely.insertInto('users').values({ id: userId, username: 'ops', display_name: 'Ops', password_hash: 'x' }).execute();
      const keys = new KeyRing(MASTER_KEY);
      const ctx = (trx: Ctx['db'], operationId?: string): Ctx => ({
        db: trx,
        now: new Date('2016-12-15T05:00:00Z'),
        keys,
        roles: ['coordinator'],
        permissions: new Set<Permission>(permissions),
        actor: { kind: 'user', id: userId, name: 'ops', isAdmin: true },
        ...(operationId ? { operationId } : {}),
      });
      op = (
        await db.kysely
          .transaction()
          .execute((trx) => createOperation(ctx(trx), { code: 'cli-counts', nameEn: 'CLI', timeZone: 'UTC', status: 'active' } as never))
      ).id;
      await db.kysely.transaction().execute(async (trx) => {
        await createSite(ctx(trx, op), { id: 'desk', kind: 'assembly_point', nameEn: 'Desk' } as never);
        await registerHousehold(ctx(trx, op), {
          siteId: 'desk',
          members: [
            {
              names: { lat: { given: 'One' } },
              sex: 'female',
              estimatedAge: 20,
              relationship: 'head',
              vulnerabilities: [],
              consent: { tracing: false, disclosure: false },
            },
          ] as never,
        });
      });
    } finally {
      await db.close();
    }
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(`${dir}-keys`, { recursive: true, force: true });
  });

  test('counts --json prints the live counts and verify passes on true counters', async () => {
    const c = await corridor(dir, ['counts', '--operation', op, '--json']);
    assert.equal(c.code, 0, c.stderr);
    assert.equal(JSON.parse(c.stdout).totals.registered, 1);
    const v = await corridor(dir, ['counts', 'verify', '--operation', op]);
    assert.equal(v.code, 0, v.stderr + v.stdout);
    assert.match(v.stdout, /counts verified/);
  });

  test('verify exits with code 2 and names the cell when a counter was tampered with', async () => {
    const db = await openDb({ kind: 'pglite', dataDir: dir });
    try {
      await sql`update counters set n = n + 5 where operation_id = ${op} and metric = 'registered' and vulnerability = '*' and hour = '*'`.execute(
        db.kysely,
      );
    } finally {
      await db.close();
    }
    const v = await corridor(dir, ['counts', 'verify']);
    assert.equal(v.code, 2, v.stderr + v.stdout);
    assert.match(v.stdout, /registered\|female\|18-59\|unknown\|desk\|\*\|\*: maintained 6, recomputed 1/);
  });
});
