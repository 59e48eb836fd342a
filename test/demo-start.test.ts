/**
 * `corridor serve` (what `npm start` runs) in a fresh folder with a small demo population: it
 * serves the dashboard, loads the Aleppo 2016 operation and its API counts reach the
 * generator's totals; a second start reuses the data and creates nothing new.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../src/db/connection.js';
import { generateScenario } from '../src/demo/scenario/index.js';
import { DEMO_SEED } from '../src/demo/load.js';
import { expectedCounts, type ApiCounts } from '../src/demo/expected.js';
import { spawnCorridor } from './support/cli.js';
import { servingUntil, type Started } from './support/serve-process.js';

const PEOPLE = 300;

const TABLES = [
  'operations',
  'users',
  'role_grants',
  'devices',
  'tag_ranges',
  'households',
  'persons',
  'convoys',
  'vehicles',
  'manifest_entries',
  'movement_facts',
] as const;

/** Rows per table, read from the data folder while no server holds it. */
async function rowCounts(dataDir: string): Promise<Record<string, number>> {
  const db = await openDb({ kind: 'pglite', dataDir });
  try {
    const out: Record<string, number> = {};
    for (const t of TABLES)
      out[t] = Number(
        (
          await db.kysely
            .selectFrom(t)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return out;
  } finally {
    await db.close();
  }
}

function serve(dataDir: string, until: RegExp, timeoutMs: number): Promise<Started> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CORRIDOR_DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    CORRIDOR_DEMO: '1',
    CORRIDOR_DEMO_PEOPLE: String(PEOPLE),
  };
  delete env.DATABASE_URL;
  delete env.CORRIDOR_MASTER_KEY;
  const child = spawnCorridor(['serve'], { env });
  return servingUntil(child, until, timeoutMs);
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function countsOf(url: string, username: string, password: string) {
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  assert.equal(login.status, 200, await login.clone().text());
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const get = async (path: string) => {
    const r = await fetch(`${url}${path}`, { headers: { cookie } });
    assert.equal(r.status, 200, path);
    return r.json() as Promise<unknown>;
  };
  const operations = (await get('/api/operations')) as { id: string }[];
  const counts = (await get('/api/operations/aleppo-2016/counts')) as ApiCounts;
  const convoys = (await get('/api/operations/aleppo-2016/convoys')) as unknown[];
  return { operations, counts, convoys };
}

describe('npm start with the demo (corridor serve, fresh folder)', () => {
  let dir: string;
  const expected = generateScenario({ seed: DEMO_SEED, people: PEOPLE }).truth.totals;
  let coordinator: { username: string; password: string };
  let rowsAfterFirst: Record<string, number>;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'corridor-demo-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(`${dir}-keys`, { recursive: true, force: true });
  });

  test("serves the dashboard, prints the accounts once, and the loaded counts equal the generator's totals", async () => {
    // Generous: the machine running the tests is often shared; the load itself takes seconds.
    const s = await serve(dir, /Demo: loaded/, 120_000);
    try {
      const out = s.output();
      assert.match(out, /username: admin\s+password: \S+/);
      // Demo account names end in a random suffix: nobody can guess one on someone's server (audit finding 18).
      const m = /coordinator\s+username: (demo-coordinator-[0-9a-f]{10})\s+password: (\S+)/.exec(out);
      assert.ok(m, out);
      coordinator = { username: m[1] as string, password: m[2] as string };
      for (const role of [
        'registrar',
        'convoy-officer',
        'checkpoint-monitor',
        'reception-officer',
        'tracing-officer',
        'tracing-officer-2',
        'viewer',
        'lead',
      ])
        assert.match(out, new RegExp(`username: demo-${role}-[0-9a-f]{10}\\s+password: \\S+`));
      const page = await fetch(`${s.url}/`);
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-type') ?? '', /text\/html/);
      const { operations, counts, convoys } = await countsOf(s.url, coordinator.username, coordinator.password);
      assert.deepEqual(
        operations.map((o) => o.id),
        ['aleppo-2016'],
      );
      assert.deepEqual(counts.totals, expectedCounts(expected).totals);
      assert.equal(convoys.length, expected.convoys);
    } finally {
      await stop(s.child);
    }
    rowsAfterFirst = await rowCounts(dir);
    assert.equal(rowsAfterFirst.persons, expected.registeredRecords);
  });

  test('a second start reuses the data: no new accounts, operation, people or facts', async () => {
    const s = await serve(dir, /serving at/, 30_000);
    try {
      await new Promise((r) => setTimeout(r, 1000));
      assert.doesNotMatch(s.output(), /Demo operation|Loading the demo operation|First start/);
      const { operations, counts, convoys } = await countsOf(s.url, coordinator.username, coordinator.password);
      assert.deepEqual(
        operations.map((o) => o.id),
        ['aleppo-2016'],
      );
      assert.deepEqual(counts.totals, expectedCounts(expected).totals);
      assert.equal(convoys.length, expected.convoys);
    } finally {
      await stop(s.child);
    }
    assert.deepEqual(await rowCounts(dir), rowsAfterFirst);
  });
});
