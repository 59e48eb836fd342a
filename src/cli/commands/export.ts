/**
 * `corridor export`: a list or count table of an operation as a file, and `corridor import-pfif`:
 * a PFIF 1.4 document into registrations or tracing requests. Thin over the export and PFIF
 * import use cases; the file is written before the transaction (and its audit entry) commits,
 * so an export that could not be written is not recorded as made. `--role` says whose eyes the
 * file is for (default coordinator): `--role viewer` gives what a viewer may take. The use cases
 * (with their spreadsheet and XML libraries) are loaded when the command runs, not by every command.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Config } from '../../config.js';
import { loadMasterKey } from '../../crypto/master-key.js';
import { AppError } from '../../domain/errors.js';
import { isRole, permissionsOf, roles, type Role } from '../../domain/policy.js';
import { exportFormats, exportInput, exportLists } from '../../domain/schemas/exports.js';
import { openStorage } from '../../server/boot.js';
import type { Ctx } from '../../services/context.js';
import { KeyRing } from '../../services/keys/keyring.js';
import { resolveOperationId } from '../../services/operations/operations.js';

/** A refusal as the operator reads it: the catalogue code, the message and each field named. */
function describe(err: unknown): string {
  if (!(err instanceof AppError)) return err instanceof Error ? err.message : String(err);
  const fields = (err.details as { fields?: { path: string; message: string }[] } | undefined)?.fields ?? [];
  return [`${err.code}: ${err.message}`, ...fields.slice(0, 20).map((f) => `  ${f.path}: ${f.message}`)].join('\n');
}

async function withCtx<T>(config: Config, operation: string, role: string, actor: string, run: (ctx: Ctx) => Promise<T>): Promise<T> {
  if (!isRole(role)) throw new Error(`--role must be one of ${roles.join(', ')}`);
  const { db } = await openStorage(config);
  try {
    const keys = new KeyRing(loadMasterKey({ envValue: config.masterKey, keyFile: config.masterKeyFile, create: false }).key);
    const operationId = await resolveOperationId(db.kysely, operation);
    if (!operationId) throw new Error(`there is no operation ${operation}`);
    return await db.kysely.transaction().execute((trx) =>
      run({
        db: trx,
        now: new Date(),
        keys,
        operationId,
        roles: [role as Role],
        permissions: permissionsOf([role as Role]),
        actor: { kind: 'user', id: 'cli', name: actor, isAdmin: true },
      }),
    );
  } finally {
    await db.close();
  }
}

interface ExportOpts {
  operation?: string;
  what?: string;
  format?: string;
  site?: string;
  convoy?: string;
  out?: string;
  purpose?: string;
  recipient?: string;
  role: string;
}

export function registerExportCommands(program: Command, loadConfig: () => Config) {
  program
    .command('export')
    .description('Write a list or count table of an operation to a file (audited with its digest)')
    .requiredOption('--operation <code>', 'the operation (code or id)')
    .requiredOption('--what <list>', exportLists.join('|'))
    .requiredOption('--format <format>', exportFormats.join('|'))
    .option('--site <id>', 'only this site')
    .option('--convoy <id>', 'only this convoy')
    .requiredOption('--out <file>', 'the file to write')
    .requiredOption('--purpose <text>', 'why the file is made (audit log)')
    .requiredOption('--recipient <text>', 'who receives it (audit log)')
    .option('--role <role>', 'export as this role sees the operation', 'coordinator')
    .action(async (o: ExportOpts) => {
      const parsed = exportInput.safeParse({
        what: o.what,
        format: o.format,
        ...(o.site !== undefined ? { siteId: o.site } : {}),
        ...(o.convoy !== undefined ? { convoyId: o.convoy } : {}),
        purpose: o.purpose,
        recipient: o.recipient,
      });
      if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `--${String(i.path[0] ?? '')}: ${i.message}`).join('; '));
      try {
        const { exportList } = await import('../../services/exports/exports.js');
        const file = await withCtx(loadConfig(), o.operation!, o.role, 'corridor export', async (ctx) => {
          const f = await exportList(ctx, parsed.data);
          writeFileSync(o.out!, f.bytes);
          return f;
        });
        process.stdout.write(`export: ${file.rows} rows → ${o.out} (${file.bytes.length} bytes, sha256 ${file.sha256})\n`);
      } catch (err) {
        throw new Error(describe(err));
      }
    });

  program
    .command('import-pfif')
    .description('Import a PFIF 1.4 document (persons and notes) into registrations or tracing requests')
    .argument('<file>', 'the PFIF XML document')
    .requiredOption('--operation <code>', 'the operation (code or id)')
    .option('--into <what>', 'registrations|tracing-requests', 'registrations')
    .option('--site <id>', 'the site registrations are made at (required for registrations)')
    .option('--role <role>', 'import as this role', 'coordinator')
    .action(async (file: string, o: { operation: string; into: string; site?: string; role: string }) => {
      if (o.into !== 'registrations' && o.into !== 'tracing-requests') throw new Error('--into must be registrations or tracing-requests');
      // Roles that may register and trace: a coordinator registers nothing by default, so the CLI acts as both desks.
      const role = o.role === 'coordinator' ? (o.into === 'registrations' ? 'registrar' : 'tracing_officer') : o.role;
      const [{ PFIF_MAX_BYTES }, { importPfif }] = await Promise.all([
        import('../../services/exports/pfif-xml.js'),
        import('../../services/exports/pfif-import.js'),
      ]);
      // A file over the limit is refused before it is read into memory.
      if (statSync(file).size > PFIF_MAX_BYTES) throw new Error(`pfif.too_large: ${file} is over ${PFIF_MAX_BYTES / 1024 / 1024} MB`);
      try {
        const r = await withCtx(loadConfig(), o.operation, role, 'corridor import-pfif', (ctx) =>
          importPfif(ctx, readFileSync(file), {
            into: o.into === 'registrations' ? 'registrations' : 'tracing_requests',
            ...(o.site !== undefined ? { siteId: o.site } : {}),
          }),
        );
        process.stdout.write(
          `import-pfif: ${r.persons} person records (${r.notes} notes): ${r.created} created, ${r.skipped} already here` +
            `${r.duplicateWarnings ? `, ${r.duplicateWarnings} possible duplicates sent to review` : ''}\n`,
        );
      } catch (err) {
        throw new Error(describe(err));
      }
    });
}
