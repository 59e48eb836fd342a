/**
 * Real databases for tests: PGlite in memory always, and PostgreSQL when TEST_DATABASE_URL is
 * set, each test file in a database of its own that is dropped afterwards. On PostgreSQL each
 * starts as a copy of the migrated template scripts/run-tests.mjs made for the run
 * (test/support/templates.ts), or is migrated from nothing when there is none (a file run on its own).
 * PGlite is migrated in place: its migrations cost about 0.2 s of CPU, while starting PGlite costs
 * 2–4 s with or without a migrated data folder to load (measured), so a template saves nothing there.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDb, type Db } from '../../src/db/connection.js';
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

export const dialects: TestDialect[] = [
  {
    name: 'pglite',
    async open() {
      const db = await openDb({ kind: 'pglite-memory' });
      await migrate(db);
      return db;
    },
  },
  ...(process.env.TEST_DATABASE_URL
    ? [{ name: 'postgres' as const, open: () => openPostgresTestDb(process.env.TEST_DATABASE_URL as string) }]
    : []),
];
