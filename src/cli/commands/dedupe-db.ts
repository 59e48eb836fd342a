/**
 * `corridor dedupe --operation ID`: the batch duplicate scan over an operation in the
 * database. Proposed pairs go to the review queue; nothing is merged without a person.
 */
import { loadConfig } from '../../config.js';
import { loadMasterKey } from '../../crypto/master-key.js';
import { openStorage } from '../../server/boot.js';
import type { Ctx } from '../../services/context.js';
import { dedupeOperation } from '../../services/duplicates.js';
import { KeyRing } from '../../services/keyring.js';
import { permissionsOf } from '../../domain/policy.js';

export async function dedupeOperationCli(operationId: string): Promise<void> {
  const config = loadConfig();
  const { db } = await openStorage(config);
  try {
    const keys = new KeyRing(loadMasterKey({ envValue: config.masterKey, keyFile: config.masterKeyFile, create: false }).key);
    const op = await db.kysely.selectFrom('operations').select('id').where((eb) => eb.or([eb('id', '=', operationId), eb('code', '=', operationId)])).executeTakeFirst();
    if (!op) throw new Error(`there is no operation ${operationId}`);
    const t0 = performance.now();
    const r = await db.kysely.transaction().execute((trx) => {
      const ctx: Ctx = {
        db: trx, now: new Date(), keys, operationId: op.id, roles: ['coordinator'], permissions: permissionsOf(['coordinator']),
        actor: { kind: 'user', id: 'cli', name: 'corridor dedupe', isAdmin: true },
      };
      return dedupeOperation(ctx);
    });
    process.stdout.write(`dedupe: ${r.people} people, ${r.candidatePairs} candidate pairs, ${r.proposed} new pairs for review (${r.link} link, ${r.review} review) in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  } finally {
    await db.close();
  }
}
