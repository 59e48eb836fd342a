/**
 * Migrated databases made once per test run and copied for each test file. Opening PGlite from
 * nothing (initdb) and migrating it cost seconds in every file; starting it from the tarball of one
 * already migrated (PGlite's `dumpDataDir()` → `loadDataDir`) is a fraction of that. On PostgreSQL
 * the same idea is `create database … template …`.
 *
 * scripts/run-tests.mjs calls `createTemplates()` before the tests and `dropTemplates()` after;
 * the test processes find the templates through the environment variables below (test/support/db.ts).
 * Without them (a single file run with `node --import tsx --test file`) each file migrates its own.
 */
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { PGliteDialect } from '../../src/db/pglite-dialect.js';
import { openDb, type Db } from '../../src/db/connection.js';
import { migrate } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';

/** Path of a tarball of a migrated PGlite data folder. */
export const PGLITE_TEMPLATE_ENV = 'CORRIDOR_TEST_PGLITE_TEMPLATE';
/** Name of a migrated PostgreSQL database on the server of TEST_DATABASE_URL, with no connection open to it. */
export const PG_TEMPLATE_ENV = 'CORRIDOR_TEST_PG_TEMPLATE';

async function makePgliteTemplate(file: string): Promise<void> {
  const pglite = new PGlite();
  await pglite.waitReady;
  const kysely = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
  const db: Db = {
    kysely,
    dialect: 'pglite',
    exec: async (text) => {
      await pglite.exec(text);
    },
    close: async () => undefined,
  };
  await migrate(db);
  // Uncompressed: the tarball is read once per test file, and gunzipping it costs more than reading it.
  const tar = await pglite.dumpDataDir('none');
  writeFileSync(file, Buffer.from(await tar.arrayBuffer()));
  await kysely.destroy();
  if (!pglite.closed) await pglite.close();
}

async function adminQuery(baseUrl: string, text: string): Promise<void> {
  const c = new pg.Client({ connectionString: baseUrl });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

async function makePostgresTemplate(baseUrl: string): Promise<string> {
  const name = `corridor_tpl_${randomBytes(6).toString('hex')}`;
  await adminQuery(baseUrl, `create database ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const db = await openDb({ kind: 'postgres', url: url.toString(), poolSize: 1 });
  try {
    await migrate(db);
  } finally {
    // A template being copied must have no connection open to it.
    await db.close();
  }
  return name;
}

/** Makes the templates (PGlite always, PostgreSQL when `postgresUrl` is given); returns the environment that points at them. */
export async function createTemplates(dir: string, postgresUrl: string | undefined): Promise<Record<string, string>> {
  const file = join(dir, 'pglite-template.tar');
  const [, pgName] = await Promise.all([makePgliteTemplate(file), postgresUrl ? makePostgresTemplate(postgresUrl) : undefined]);
  return { [PGLITE_TEMPLATE_ENV]: file, ...(pgName ? { [PG_TEMPLATE_ENV]: pgName } : {}) };
}

export async function dropTemplates(env: Record<string, string>, postgresUrl: string | undefined): Promise<void> {
  const file = env[PGLITE_TEMPLATE_ENV];
  if (file) rmSync(file, { force: true });
  const name = env[PG_TEMPLATE_ENV];
  if (name && postgresUrl) await adminQuery(postgresUrl, `drop database if exists ${name} with (force)`);
}
