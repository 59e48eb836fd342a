/**
 * The databases a benchmark runs on: a file-backed PGlite in a temporary folder always, and
 * PostgreSQL (a fresh database, dropped afterwards) when TEST_DATABASE_URL is set.
 * BENCH_TARGETS=pglite or =postgres keeps one of them (a long reference run per database).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDb, type Db } from '../src/db/connection.js';
import { migrate } from '../src/db/migrate.js';

export interface BenchTarget {
  name: 'pglite' | 'postgres';
  open(): Promise<Db>;
}

export function benchTargets(): BenchTarget[] {
  const targets: BenchTarget[] = [
    {
      name: 'pglite',
      async open() {
        const dir = mkdtempSync(join(tmpdir(), 'corridor-bench-'));
        const db = await openDb({ kind: 'pglite', dataDir: dir });
        await migrate(db);
        return {
          ...db,
          async close() {
            await db.close();
            rmSync(dir, { recursive: true, force: true });
          },
        };
      },
    },
  ];
  const base = process.env.TEST_DATABASE_URL;
  if (base) {
    targets.push({
      name: 'postgres',
      async open() {
        const name = `corridor_bench_${randomBytes(4).toString('hex')}`;
        const admin = new pg.Client({ connectionString: base });
        await admin.connect();
        await admin.query(`create database ${name}`);
        await admin.end();
        const url = new URL(base);
        url.pathname = `/${name}`;
        const db = await openDb({ kind: 'postgres', url: url.toString(), poolSize: 4 });
        await migrate(db);
        return {
          ...db,
          async close() {
            await db.close();
            const c = new pg.Client({ connectionString: base });
            await c.connect();
            await c.query(`drop database if exists ${name} with (force)`);
            await c.end();
          },
        };
      },
    });
  }
  const only = process.env.BENCH_TARGETS?.split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  return only && only.length > 0 ? targets.filter((t) => only.includes(t.name)) : targets;
}
