/**
 * Opening Corridor's storage from the configuration: the database (PGlite in the data folder
 * or PostgreSQL), migrations, the master key, and on an empty database the first admin.
 */
import type { Config } from '../config.js';
import { openDb, type Db } from '../db/connection.js';
import { migrate } from '../db/migrate.js';
import { loadMasterKey } from '../crypto/master-key.js';
import { ensureFirstAdmin } from '../services/accounts/auth.js';
import { assertMasterKeyOpensData } from '../services/keys/key-rotation.js';
import { KeyRing } from '../services/keys/keyring.js';

export interface Booted {
  db: Db;
  keys: KeyRing;
  migrations: string[];
  masterKeyCreated: boolean;
  firstAdmin?: { username: string; password: string };
}

export async function openStorage(config: Config): Promise<{ db: Db; migrations: string[] }> {
  const db = await openDb(config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl } : { kind: 'pglite', dataDir: config.dataDir });
  try {
    const migrations = await migrate(db);
    return { db, migrations };
  } catch (err) {
    await db.close();
    throw err;
  }
}

export async function boot(config: Config, opts: { createAdmin: boolean } = { createAdmin: true }): Promise<Booted> {
  const { db, migrations } = await openStorage(config);
  try {
    const { key, created } = loadMasterKey({ envValue: config.masterKey, keyFile: config.masterKeyFile, create: true });
    const keys = new KeyRing(key);
    await checkMasterKey(db, keys, key);
    const firstAdmin = opts.createAdmin ? await db.kysely.transaction().execute((trx) => ensureFirstAdmin(trx, new Date())) : undefined;
    return { db, keys, migrations, masterKeyCreated: created, ...(firstAdmin ? { firstAdmin } : {}) };
  } catch (err) {
    await db.close();
    throw err;
  }
}

/** Fails at start, not at the first registration, when the master key is not this database's. */
async function checkMasterKey(db: Db, keys: KeyRing, key: Buffer) {
  await assertMasterKeyOpensData(db.kysely, keys, key);
}
