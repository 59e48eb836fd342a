/**
 * `corridor maintenance prune-idempotency [--days N]`: deletes stored answers of writes older
 * than the retention period (CORRIDOR_IDEMPOTENCY_RETENTION_DAYS, default 30) now, as the
 * server does every hour. For a database no server is running on, or before a backup.
 */
import type { Command } from 'commander';
import type { Config } from '../../config.js';
import { openStorage } from '../../server/boot.js';
import { pruneIdempotencyKeys } from '../../services/jobs/idempotency-retention.js';

export function registerMaintenanceCommands(program: Command, loadConfig: () => Config) {
  const maintenance = program.command('maintenance').description('Housekeeping of the database');
  maintenance
    .command('prune-idempotency')
    .description('Delete stored answers of writes older than the retention period (a replay of one is then a new request)')
    .option('--days <n>', 'retention in days (default: CORRIDOR_IDEMPOTENCY_RETENTION_DAYS, 30)')
    .action(async (opts: { days?: string }) => {
      const config = loadConfig();
      const days = opts.days === undefined ? config.idempotencyRetentionDays : Number(opts.days);
      if (!Number.isInteger(days) || days < 1)
        throw new Error(`prune-idempotency: --days must be a whole number of days, at least 1 (got ${opts.days})`);
      const { db } = await openStorage(config);
      try {
        const r = await pruneIdempotencyKeys(db.kysely, { now: new Date(), retentionDays: days });
        process.stdout.write(
          `Deleted ${r.deleted} stored answer${r.deleted === 1 ? '' : 's'} made before ${r.before.toISOString()} (retention ${days} days).\n`,
        );
      } finally {
        await db.close();
      }
    });
}
