/**
 * `corridor backup` and `corridor restore` (audit finding 9): an encrypted archive of the whole
 * database — every table, the wrapped data keys among them — and never the master key. The
 * archive is gzipped JSON sealed with AES-256-GCM under a key derived from the master key, so it
 * opens only where the master key is (keep the two apart: a stolen archive alone is noise, and
 * the names inside are sealed twice). A restore goes into an empty, migrated database of the same
 * version, in one transaction, tables in foreign-key order; the audit chain comes back as it was
 * (then a `backup.restore` entry), and every operation's counts are recomputed from its facts and
 * registry, since the transaction ids the facts carried belong to the old database.
 */
import { hkdfSync } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Kysely } from 'kysely';
import { open, seal } from '../../crypto/envelope.js';
import type { Database } from '../../db/schema.js';
import { listMigrations } from '../../db/migrate.js';
import * as backupDb from '../../db/queries/backup.js';
import { appendAudit } from '../../db/queries/audit.js';
import { listOperationKeys } from '../../db/queries/keys.js';
import { countingKeys } from '../counts/counts-maintain.js';
import { recountOperation } from '../counts/recount-withheld.js';
import { KeyRing, masterKeyFingerprint } from '../keys/keyring.js';
import { keyAuditWith } from '../audit/audit-anchor.js';

const MAGIC = 'CORRIDOR-BACKUP 1\n';
const AAD = 'corridor:backup:v1';

function archiveKey(masterKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.from('corridor:backup'), AAD, 32));
}

interface Contents {
  createdAt: string;
  migrations: string[];
  tables: { name: string; rows: Record<string, unknown>[] }[];
}

/** Tables ordered so that every table comes after the ones its foreign keys point to. */
function inReferenceOrder(tables: { table: string; refs: string[] }[]): string[] {
  const out: string[] = [];
  const done = new Set<string>();
  const visit = (t: string, path: Set<string>) => {
    if (done.has(t) || path.has(t)) return;
    path.add(t);
    for (const r of tables.find((x) => x.table === t)?.refs ?? []) visit(r, path);
    done.add(t);
    out.push(t);
  };
  for (const t of tables) visit(t.table, new Set());
  return out;
}

export async function writeBackup(db: Kysely<Database>, masterKey: Buffer, at: Date): Promise<Buffer> {
  // One snapshot: every table as of the same moment.
  const contents = await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx): Promise<Contents> => {
      const tables = inReferenceOrder(await backupDb.tablesWithReferences(trx));
      const out: Contents = { createdAt: at.toISOString(), migrations: listMigrations(), tables: [] };
      for (const name of tables)
        out.tables.push({ name, rows: JSON.parse(await backupDb.tableAsJson(trx, name)) as Record<string, unknown>[] });
      return out;
    });
  const header = JSON.stringify({ format: 1, createdAt: contents.createdAt, masterKey: masterKeyFingerprint(masterKey) });
  const body = seal(archiveKey(masterKey), gzipSync(Buffer.from(JSON.stringify(contents), 'utf8')), AAD);
  return Buffer.concat([Buffer.from(MAGIC + header + '\n', 'utf8'), body]);
}

export interface RestoreResult {
  createdAt: string;
  tables: number;
  rows: number;
  operations: number;
}

export async function restoreBackup(db: Kysely<Database>, masterKey: Buffer, archive: Buffer, at: Date): Promise<RestoreResult> {
  if (!archive.subarray(0, MAGIC.length).equals(Buffer.from(MAGIC))) throw new Error('This is not a Corridor backup.');
  const end = archive.indexOf(0x0a, MAGIC.length);
  const header = JSON.parse(archive.subarray(MAGIC.length, end).toString('utf8')) as { masterKey: string; createdAt: string };
  if (header.masterKey !== masterKeyFingerprint(masterKey))
    throw new Error(
      `This backup was made under the master key ${header.masterKey}; the key given is ${masterKeyFingerprint(masterKey)}. Restore with the key of that time.`,
    );
  const contents = JSON.parse(gunzipSync(open(archiveKey(masterKey), archive.subarray(end + 1), AAD)).toString('utf8')) as Contents;
  const here = listMigrations();
  if (contents.migrations.join(',') !== here.join(','))
    throw new Error(
      `This backup is of another schema version (${contents.migrations.at(-1)}; this Corridor: ${here.at(-1)}): restore it with that version.`,
    );
  return db.transaction().execute(async (trx) => {
    for (const t of await backupDb.tablesWithReferences(trx))
      if ((await backupDb.countRows(trx, t.table)) > 0)
        throw new Error(`The target database is not empty (table ${t.table} has rows): restore into an empty one.`);
    let rows = 0;
    for (const t of contents.tables) {
      // The facts' transaction ids belong to the old database: here they are "before everything".
      const list = t.name === 'movement_facts' ? t.rows.map((r) => ({ ...r, tx: '0' })) : t.rows;
      for (let i = 0; i < list.length; i += 1000) await backupDb.insertJsonRows(trx, t.name, JSON.stringify(list.slice(i, i + 1000)));
      rows += list.length;
    }
    await backupDb.resetAuditSequence(trx);
    const ring = new KeyRing(masterKey);
    // The restored audit key is wrapped by this master key: entries from here on are keyed with it.
    keyAuditWith(trx, ring);
    const operations = await listOperationKeys(trx);
    for (const o of operations) await recountOperation(trx, await countingKeys(ring, trx, o.operation_id), o.operation_id);
    await appendAudit(trx, {
      operationId: null,
      actorId: null,
      actorKind: 'system',
      action: 'backup.restore',
      at,
      details: { backupCreatedAt: contents.createdAt, tables: contents.tables.length, rows },
    });
    return { createdAt: contents.createdAt, tables: contents.tables.length, rows, operations: operations.length };
  });
}
