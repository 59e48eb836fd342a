/**
 * Opening Corridor's storage from the configuration: the database (PGlite in the data folder
 * or PostgreSQL), migrations, the master key, and on an empty database the first admin. The
 * migrations and the first admin run under the database's startup lock, so any number of servers
 * started at once on one empty PostgreSQL take turns: the first does the work, the others find
 * it done.
 */
import type { Config } from '../config.js';
import { openDb, type Db } from '../db/connection.js';
import { withDbLock } from '../db/database-lock.js';
import { ensureSchema, migrate } from '../db/migrate.js';
import { loadMasterKey, type LoadedMasterKey } from '../crypto/master-key.js';
import { ensureFirstAdmin } from '../services/accounts/auth.js';
import { assertMasterKeyOpensData } from '../services/keys/key-rotation.js';
import { KeyRing } from '../services/keys/keyring.js';
import { keyAuditWith } from '../services/audit/audit-anchor.js';

export interface Booted {
  db: Db;
  keys: KeyRing;
  migrations: string[];
  masterKeyCreated: boolean;
  /** The earlier version's key file in the data folder that the key was moved from at this start. */
  masterKeyMovedFrom?: string;
  firstAdmin?: { username: string; password: string };
}

/**
 * Opens the database and brings its schema up to date: `migrate: 'always'` for `corridor migrate`;
 * otherwise only when the connected role may (see src/db/migrate.ts), refusing a database that is behind.
 */
export async function openStorage(
  config: Config,
  opts: { migrate: 'always' | 'when-allowed' } = { migrate: 'when-allowed' },
): Promise<{ db: Db; migrations: string[] }> {
  const db = await openDb(config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl } : { kind: 'pglite', dataDir: config.dataDir });
  try {
    const migrations = await withDbLock(db, 'startup', () => (opts.migrate === 'always' ? migrate(db) : ensureSchema(db)));
    // Commands that write or verify the audit log key it when the master key is at hand (finding 16).
    const key = masterKeyIfAny(config);
    if (key) keyAuditWith(db.kysely, new KeyRing(key));
    return { db, migrations };
  } catch (err) {
    await db.close();
    throw err;
  }
}

export async function boot(config: Config, opts: { createAdmin: boolean } = { createAdmin: true }): Promise<Booted> {
  const { db, migrations } = await openStorage(config);
  try {
    const { key, created, movedFrom } = loadConfiguredMasterKey(config, true);
    const keys = new KeyRing(key);
    await checkMasterKey(db, keys, key);
    keyAuditWith(db.kysely, keys);
    const firstAdmin = opts.createAdmin
      ? await withDbLock(db, 'startup', () => db.kysely.transaction().execute((trx) => ensureFirstAdmin(trx, new Date())))
      : undefined;
    return {
      db,
      keys,
      migrations,
      masterKeyCreated: created,
      ...(movedFrom ? { masterKeyMovedFrom: movedFrom } : {}),
      ...(firstAdmin ? { firstAdmin } : {}),
    };
  } catch (err) {
    await db.close();
    throw err;
  }
}

/** The master key as configured (CORRIDOR_MASTER_KEY, CORRIDOR_MASTER_KEY_FILE or the default file, moved there from the data folder of earlier versions). */
export function loadConfiguredMasterKey(config: Config, create: boolean): LoadedMasterKey {
  return loadMasterKey({ envValue: config.masterKey, keyFile: config.masterKeyFile, legacyKeyFile: config.legacyMasterKeyFile, create });
}

/** The configured master key, or undefined when none can be read (a command that needs no key). */
function masterKeyIfAny(config: Config): Buffer | undefined {
  try {
    return loadConfiguredMasterKey(config, false).key;
  } catch {
    return undefined;
  }
}

/** Fails at start, not at the first registration, when the master key is not this database's. */
async function checkMasterKey(db: Db, keys: KeyRing, key: Buffer) {
  await assertMasterKeyOpensData(db.kysely, keys, key);
}
