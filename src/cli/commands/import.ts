/**
 * `corridor import --operation CODE FILE… [--mapping MAP.json] [--dry-run] [--all-or-nothing]`:
 * registers the households of a list (CSV in any common delimiter and encoding, XLSX, a
 * KoboToolbox or ODK Central export with its repeat-group files or sheets) through the same
 * use case as a desk registration. Progress goes to stderr; the summary to stdout; each bad row
 * is named with its line and column, and the exit code is 2 when any row was not imported
 * (1 when the file itself cannot be read). Running it again imports nothing twice. The import
 * (with its spreadsheet reader) is loaded when the command runs, not by every command.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Config } from '../../config.js';
import { loadMasterKey } from '../../crypto/master-key.js';
import type { Db } from '../../db/connection.js';
import { AppError } from '../../domain/errors.js';
import { textEncodings, type TextEncoding } from '../../domain/import/decode.js';
import { importMapping, type ImportMapping } from '../../domain/import/mapping.js';
import { describeIssue, issuesCsv } from '../../domain/import/report.js';
import { permissionsOf } from '../../domain/policy.js';
import { openStorage } from '../../server/boot.js';
import type { Ctx } from '../../services/context.js';
import { getMapping, saveMapping } from '../../services/import/mappings.js';
import type { ImportProgress } from '../../services/import/write.js';
import { KeyRing } from '../../services/keys/keyring.js';
import { resolveOperationId } from '../../services/operations/operations.js';

export interface ImportCliOptions {
  operation: string;
  mapping?: string;
  useMapping?: string;
  saveMapping?: string;
  site?: string;
  encoding?: string;
  dryRun?: boolean;
  allOrNothing?: boolean;
  report?: string;
}

export interface ImportCliResult {
  exitCode: number;
  lines: string[];
}

function readMappingFile(path: string): ImportMapping {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`--mapping ${path}: not a JSON file (${(err as Error).message})`);
  }
  const r = importMapping.safeParse(json);
  if (!r.success)
    throw new Error(`--mapping ${path}: ${r.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`);
  return r.data;
}

/** A bar on a terminal, a line every two seconds otherwise. */
function progressWriter(out: NodeJS.WriteStream) {
  let last = 0;
  return (p: ImportProgress) => {
    const handled = p.done + p.skipped + p.invalid;
    const share = p.total ? handled / p.total : 1;
    if (out.isTTY) {
      const width = 30;
      const full = Math.round(share * width);
      out.write(
        `\rimport [${'#'.repeat(full)}${'.'.repeat(width - full)}] ${Math.round(share * 100)}% ${handled.toLocaleString('en')}/${p.total.toLocaleString('en')} households`,
      );
      if (handled >= p.total) out.write('\n');
    } else if (performance.now() - last > 2000 || handled >= p.total) {
      last = performance.now();
      out.write(
        `import: ${handled.toLocaleString('en')} / ${p.total.toLocaleString('en')} households, ${p.people.toLocaleString('en')} people\n`,
      );
    }
  };
}

/** The command on an open database; the caller prints the lines and exits with the code. */
export async function importCommand(
  db: Db,
  keys: KeyRing,
  files: string[],
  o: ImportCliOptions,
  progressOut?: NodeJS.WriteStream,
): Promise<ImportCliResult> {
  const operationId = await resolveOperationId(db.kysely, o.operation);
  if (!operationId) return { exitCode: 1, lines: [`import: there is no operation ${o.operation}`] };
  if (o.encoding !== undefined && !(textEncodings as readonly string[]).includes(o.encoding))
    return { exitCode: 1, lines: [`import: --encoding must be one of ${textEncodings.join(', ')}`] };
  const actor: Omit<Ctx, 'db' | 'now'> = {
    keys,
    operationId,
    roles: ['coordinator'],
    permissions: permissionsOf(['coordinator']),
    actor: { kind: 'user', id: 'cli', name: 'corridor import', isAdmin: true },
  };
  const ctxNow = (): Ctx => ({ ...actor, db: db.kysely, now: new Date() });
  const mapping = o.mapping ? readMappingFile(o.mapping) : o.useMapping ? await getMapping(ctxNow(), o.useMapping) : undefined;
  const lines: string[] = [];
  try {
    const inputs = files.map((f) => ({ name: f.replace(/^.*[\\/]/, ''), bytes: readFileSync(f) }));
    const { importFiles } = await import('../../services/import/run.js');
    const { plan, outcome } = await importFiles(
      { db, clock: () => new Date(), ...(progressOut ? { onProgress: progressWriter(progressOut) } : {}) },
      actor,
      inputs,
      {
        ...(mapping ? { mapping } : {}),
        ...(o.site ? { defaultSite: o.site } : {}),
        ...(o.encoding ? { encoding: o.encoding as TextEncoding } : {}),
        ...(o.dryRun ? { dryRun: true } : {}),
        ...(o.allOrNothing ? { allOrNothing: true } : {}),
      },
    );
    if (o.saveMapping)
      await db.kysely.transaction().execute((trx) => saveMapping({ ...actor, db: trx, now: new Date() }, o.saveMapping!, plan.mapping));
    const issues = [...plan.issues, ...(outcome?.issues ?? [])];
    if (o.report) writeFileSync(o.report, issuesCsv(issues));
    lines.push(
      `import: mapping ${plan.suggested ? '(suggested from the headers)' : ''} ${Object.entries(plan.mapping.columns)
        .map(([t, c]) => `${t}=${c}`)
        .join(', ')}${plan.mapping.key ? `; key ${plan.mapping.key}` : ''}`,
    );
    for (const i of issues.slice(0, 50)) lines.push(`  ${describeIssue(i)}`);
    if (issues.length > 50)
      lines.push(`  … and ${issues.length - 50} more${o.report ? ` (all in ${o.report})` : ' (--report FILE writes them all)'}`);
    if (!outcome) {
      const people = plan.households.reduce((n, h) => n + h.members.length, 0);
      lines.push(
        `import (dry run): ${plan.householdsInFile} households in ${plan.rowsInFile} rows: ${plan.households.length} to register (${people} people), ${plan.alreadyImported} already imported, ${plan.invalidHouseholds} with problems; nothing written`,
      );
    } else {
      lines.push(
        `import ${outcome.importId}: ${outcome.done} households registered (${outcome.people} people), ${outcome.skipped} already imported, ${outcome.invalid} with problems; ${outcome.duplicateReviews} possible duplicates proposed by the batch scan`,
      );
    }
    return { exitCode: issues.length > 0 ? 2 : 0, lines };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const details = err.details as
      { issues?: Parameters<typeof describeIssue>[0][]; fields?: { path: string; message: string }[] } | undefined;
    lines.push(`import: ${err.code}: ${err.message}`);
    for (const i of details?.issues?.slice(0, 50) ?? []) lines.push(`  ${describeIssue(i)}`);
    for (const f of details?.fields ?? []) lines.push(`  ${f.path}: ${f.message}`);
    if (o.report && details?.issues) writeFileSync(o.report, issuesCsv(details.issues));
    return { exitCode: err.code === 'import.rows_invalid' ? 2 : 1, lines };
  }
}

export function registerImportCommand(program: Command, loadConfig: () => Config) {
  program
    .command('import')
    .description(
      'Register the households of a list: CSV, XLSX, or a KoboToolbox / ODK Central export (main file first, then repeat-group files)',
    )
    .requiredOption('--operation <idOrCode>', 'the operation, by id or code')
    .argument('<files...>', 'the file, or a form export’s main file and its repeat-group files')
    .option('--mapping <file>', 'column mapping as JSON: {"columns": {"givenName": "الاسم", …}, "key": "_uuid", "defaultSite": "site-id"}')
    .option('--use-mapping <name>', 'the mapping saved in the operation under this name')
    .option('--save-mapping <name>', 'save the mapping used under this name for the next file')
    .option('--site <id>', 'the site of households whose rows name none')
    .option('--encoding <name>', `force the text encoding of a CSV (${textEncodings.join(', ')}); detected by default`)
    .option('--dry-run', 'check every row and report; write nothing')
    .option('--all-or-nothing', 'write nothing unless every row is valid')
    .option('--report <file>', 'write every problem (table, line, column, code, message) to this CSV file')
    .action(async (files: string[], o: ImportCliOptions) => {
      const config = loadConfig();
      const { db } = await openStorage(config);
      try {
        const keys = new KeyRing(loadMasterKey({ envValue: config.masterKey, keyFile: config.masterKeyFile, create: false }).key);
        const r = await importCommand(db, keys, files, o, process.stderr);
        for (const l of r.lines) (r.exitCode === 0 ? process.stdout : process.stderr).write(`${l}\n`);
        process.exitCode = r.exitCode;
      } finally {
        await db.close();
      }
    });
}
