/**
 * Real databases for tests: PGlite in memory always, and PostgreSQL when TEST_DATABASE_URL is
 * set, each test file in a database of its own that is dropped afterwards. On PostgreSQL each
 * starts as a copy of the migrated template scripts/run-tests.mjs made for the run
 * (test/support/templates.ts), or is migrated from nothing when there is none (a file run on its own).
 * PGlite: each test process migrates one in-memory instance once and keeps a dump of its data folder;
 * every open() then loads that dump (`loadDataDir`, as PGlite's own `clone()` does, but with Corridor's
 * int8 parser). Starting an empty PGlite costs about 1.4 s of CPU (2.1 s the first time in a process)
 * and migrating it 0.2 s; loading the dump about 0.45 s. That pays when several test files share a
 * process (scripts/run-tests.mjs runs the database files in groups), and costs a file run alone
 * about a dump more. The dump carries the migration ledger, so nothing is left to migrate.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { openDb, openDbOn, PGLITE_PARSERS, type Db } from '../../src/db/connection.js';
import { migrate } from '../../src/db/migrate.js';
import { PG_TEMPLATE_ENV } from './templates.js';

export interface TestDialect {
  name: 'pglite' | 'postgres';
  open(): Promise<TestDb>;
}

export interface TestDb extends Db {
  /** For PostgreSQL: the URL of this test's database (for pg_dump). */
  url?: string;
}

async function openPostgresTestDb(baseUrl: string): Promise<TestDb> {
  const name = `corridor_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  const template = process.env[PG_TEMPLATE_ENV];
  await admin.query(template ? `create database ${name} template ${template}` : `create database ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const db = await openDb({ kind: 'postgres', url: url.toString(), poolSize: 4 });
  // Nothing to do on a copy of the template (its ledger lists every migration); everything otherwise.
  await migrate(db);
  return {
    ...db,
    url: url.toString(),
    async close() {
      await db.close();
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

let pgliteTemplate: Promise<File | Blob> | undefined;

/** The data folder of a migrated in-memory PGlite, made once per process. */
function migratedPglite(): Promise<File | Blob> {
  pgliteTemplate ??= (async () => {
    const pglite = await PGlite.create({ parsers: PGLITE_PARSERS });
    const db = openDbOn(pglite);
    try {
      await migrate(db);
      return await pglite.dumpDataDir('none');
    } finally {
      await db.close();
    }
  })();
  return pgliteTemplate;
}

export const dialects: TestDialect[] = [
  {
    name: 'pglite',
    async open() {
      return openDbOn(await PGlite.create({ loadDataDir: await migratedPglite(), parsers: PGLITE_PARSERS }));
    },
  },
  ...(process.env.TEST_DATABASE_URL
    ? [{ name: 'postgres' as const, open: () => openPostgresTestDb(process.env.TEST_DATABASE_URL as string) }]
    : []),
];
