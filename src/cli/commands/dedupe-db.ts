/**
 * `corridor dedupe --operation ID`: the batch duplicate scan over an operation in the
 * database. Proposed pairs go to the review queue; nothing is merged without a person.
 * Progress goes to stderr every two seconds; the summary to stdout. Safe to run again.
 */
import { loadConfig } from '../../config.js';
import { loadConfiguredMasterKey, openStorage } from '../../server/boot.js';
import type { Ctx } from '../../services/context.js';
import { dedupeOperation } from '../../services/matching/duplicate-reviews.js';
import { KeyRing } from '../../services/keys/keyring.js';
import { resolveOperationId } from '../../services/operations/operations.js';
import { permissionsOf } from '../../domain/policy.js';

export async function dedupeOperationCli(operationId: string): Promise<void> {
  const config = loadConfig();
  const { db } = await openStorage(config);
  try {
    const keys = new KeyRing(loadConfiguredMasterKey(config, false).key);
    const opId = await resolveOperationId(db.kysely, operationId);
    if (!opId) throw new Error(`there is no operation ${operationId}`);
    const t0 = performance.now();
    const seconds = () => ((performance.now() - t0) / 1000).toFixed(1);
    let lastReport = 0;
    // Not one transaction: each batch of proposals is committed as written, so an interrupted
    // run keeps what it found, and running again adds only the pairs not yet proposed.
    const ctx: Ctx = {
      db: db.kysely,
      now: new Date(),
      keys,
      operationId: opId,
      roles: ['coordinator'],
      permissions: permissionsOf(['coordinator']),
      actor: { kind: 'user', id: 'cli', name: 'corridor dedupe', isAdmin: true },
    };
    const r = await dedupeOperation(ctx, {
      onProgress: (p) => {
        const now = performance.now();
        // Every two seconds, and at the end of each phase.
        if (now - lastReport < 2000 && (p.phase === 'read' || p.done < p.total)) return;
        lastReport = now;
        const what =
          p.phase === 'read'
            ? `read ${p.done.toLocaleString('en')} people`
            : `${p.phase === 'select' ? 'choosing candidates' : 'scoring'} ${p.done.toLocaleString('en')} / ${p.total.toLocaleString('en')}`;
        process.stderr.write(`dedupe: ${what}, ${p.proposed.toLocaleString('en')} new pairs, ${seconds()} s\n`);
      },
    });
    process.stdout.write(
      `dedupe: ${r.people} people, ${r.candidatePairs} candidate pairs, ${r.proposed} new pairs for review (${r.link} link, ${r.review} review) in ${seconds()} s` +
        `${r.windowedKeys ? `; ${r.windowedKeys} keys shared by more than 1,000 people compared within windows of birth year` : ''}` +
        `${r.skippedKeys ? `; ${r.skippedKeys} keys shared by more than 100,000 people not used` : ''}\n`,
    );
  } finally {
    await db.close();
  }
}
