/**
 * Seals what migration 0014 found in clear: the category and vulnerabilities of people (and of the
 * registry as counted) written before it. SQL has no key, so the application does it — at the
 * server's start and every hour (`startDataAtRestJob`), and with `corridor keys seal-clear`. A page
 * of rows per transaction; operations already shredded are left to `recountWithheld`.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { listLiveOperationKeys } from '../../db/queries/keys.js';
import * as personsDb from '../../db/queries/persons.js';
import type { KeyRing } from '../keys/keyring.js';
import { openProtected, sealProtected } from './protected-fields.js';

const PAGE = 500;

export interface SealClearResult {
  persons: number;
  counted: number;
}

export async function sealClearFields(db: Kysely<Database>, ring: KeyRing): Promise<SealClearResult> {
  const result: SealClearResult = { persons: 0, counted: 0 };
  for (const { operation_id: operationId } of await listLiveOperationKeys(db)) {
    for (const table of ['persons', 'counted'] as const) {
      for (;;) {
        const n = await db.transaction().execute(async (trx) => {
          const keys = await ring.forOperation(trx, operationId);
          const rows =
            table === 'persons'
              ? await personsDb.personsWithClearProtected(trx, operationId, PAGE)
              : await personsDb.countedWithClearProtected(trx, operationId, PAGE);
          for (const r of rows) {
            const sealed = sealProtected(keys, r.id, openProtected(keys, r));
            if (table === 'persons') await personsDb.setPersonProtected(trx, operationId, r.id, sealed);
            else await personsDb.setCountedProtected(trx, operationId, r.id, sealed);
          }
          return rows.length;
        });
        result[table] += n;
        if (n < PAGE) break;
      }
    }
  }
  return result;
}
