/**
 * The one way a benchmark opens the demo operation (the Aleppo 2016 scenario) on a database:
 * a fresh database of the target, its first admin, a key ring, and the demo loaded through the
 * services (`loadDemo`, as `corridor demo` does). Used by the export and situation report benches.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../src/db/connection.js';
import { findUserByUsername } from '../src/db/queries/users.js';
import { loadDemo } from '../src/demo/load.js';
import { ensureFirstAdmin } from '../src/services/accounts/auth.js';
import { KeyRing } from '../src/services/keys/keyring.js';
import type { BenchTarget } from './targets.js';

export interface BenchDatabase {
  db: Db;
  keys: KeyRing;
  adminId: string;
}

/** A fresh database of the target with its first admin (close `db` when done). */
export async function openBenchDatabase(target: BenchTarget): Promise<BenchDatabase> {
  const db = await target.open();
  try {
    const keys = new KeyRing(randomBytes(32));
    await db.kysely.transaction().execute((trx) => ensureFirstAdmin(trx, new Date()));
    const adminId = (await findUserByUsername(db.kysely, 'admin'))!.id;
    return { db, keys, adminId };
  } catch (err) {
    await db.close();
    throw err;
  }
}

export interface BenchDemo extends BenchDatabase {
  operationId: string;
  /** Seconds the demo took to load (the baseline the export bench weighs against). */
  loadSeconds: number;
}

/** A fresh database of the target with the demo of `people` people loaded (seed 1). */
export async function openDemo(target: BenchTarget, people: number): Promise<BenchDemo> {
  const base = await openBenchDatabase(target);
  try {
    const loaded = await loadDemo(base.db, base.keys, { adminId: base.adminId, people, seed: 1 });
    return { ...base, operationId: loaded.operationId, loadSeconds: loaded.seconds };
  } catch (err) {
    await base.db.close();
    throw err;
  }
}
