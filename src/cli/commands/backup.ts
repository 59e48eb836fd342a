/**
 * `corridor backup --out FILE`: an encrypted archive of the database (every table, the wrapped data
 * keys among them; never the master key), written 0600 and never over an existing file.
 * `corridor restore --in FILE`: into an empty database of the same version, with the master key
 * the backup was made under. See src/services/backup/backup.ts and docs/security.md.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Config } from '../../config.js';
import { loadMasterKey } from '../../crypto/master-key.js';
import { openStorage } from '../../server/boot.js';
import { restoreBackup, writeBackup } from '../../services/backup/backup.js';

const masterKeyOf = (config: Config) => loadMasterKey({ envValue: config.masterKey, keyFile: config.masterKeyFile, create: false }).key;

export function registerBackupCommands(program: Command, loadConfig: () => Config) {
  program
    .command('backup')
    .description('Write an encrypted archive of the database (the wrapped data keys included, never the master key)')
    .requiredOption('--out <file>', 'the archive to write (a new file, mode 0600)')
    .action(async (opts: { out: string }) => {
      const config = loadConfig();
      const key = masterKeyOf(config);
      const { db } = await openStorage(config);
      try {
        const archive = await writeBackup(db.kysely, key, new Date());
        writeFileSync(opts.out, archive, { mode: 0o600, flag: 'wx' });
        process.stdout.write(
          `Backup written to ${opts.out} (${archive.length} bytes). It opens only with this master key: keep the two apart.\n`,
        );
      } finally {
        await db.close();
      }
    });
  program
    .command('restore')
    .description('Restore an archive made by `corridor backup` into an empty database (needs the master key it was made under)')
    .requiredOption('--in <file>', 'the archive')
    .action(async (opts: { in: string }) => {
      const config = loadConfig();
      const key = masterKeyOf(config);
      const { db } = await openStorage(config);
      try {
        const r = await restoreBackup(db.kysely, key, readFileSync(opts.in), new Date());
        process.stdout.write(
          `Restored the backup of ${r.createdAt}: ${r.rows} rows in ${r.tables} tables, counts of ${r.operations} operations recomputed. ` +
            'Run `corridor audit verify` and `corridor counts verify`.\n',
        );
      } finally {
        await db.close();
      }
    });
}
