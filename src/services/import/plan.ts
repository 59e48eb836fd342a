/**
 * The dry run of an import: the files read, the mapping checked (or suggested from the
 * headers), every household read through it and checked as a registration would check it —
 * names, values, the site, wristband tags (valid, in a range, free, not twice in the file) —
 * and the households already imported recognised by their identity. Nothing is written: the
 * plan is what `writeImport` writes, and its issues are the dry-run report.
 */
import { createHash } from 'node:crypto';
import { keyedHash } from '../../crypto/envelope.js';
import * as importsDb from '../../db/queries/imports.js';
import * as operationsDb from '../../db/queries/operations.js';
import { AppError } from '../../domain/errors.js';
import type { TextEncoding } from '../../domain/import/decode.js';
import { readHousehold, type ImportIssue, type ReadHousehold } from '../../domain/import/households.js';
import { headerKey, mappingProblems, mapsAName, suggestMapping, type ImportMapping } from '../../domain/import/mapping.js';
import { headersOf, householdsOf, type Table } from '../../domain/import/tables.js';
import { requireOperation, type Ctx } from '../context.js';
import { batchTagCheck } from '../persons/persons.js';
import { readImportFiles, type ImportFile } from './read-file.js';

export interface PlannedHousehold extends ReadHousehold {
  identityHash: Buffer;
}

export interface ImportPlan {
  digest: string;
  tables: { name: string; headers: string[]; rows: number }[];
  mapping: ImportMapping;
  /** True when the mapping was suggested from the headers rather than given. */
  suggested: boolean;
  householdsInFile: number;
  rowsInFile: number;
  /** Households to register. */
  households: PlannedHousehold[];
  /** Households imported before (or twice in this file): skipped. */
  alreadyImported: number;
  /** Households with an issue: not registered. */
  invalidHouseholds: number;
  issues: ImportIssue[];
}

const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Reads and checks the files; writes nothing. */
export async function planImport(
  ctx: Ctx,
  files: readonly ImportFile[],
  opts: { mapping?: ImportMapping; encoding?: TextEncoding; defaultSite?: string } = {},
): Promise<ImportPlan> {
  const operationId = requireOperation(ctx);
  const tables: Table[] = await readImportFiles(files, opts.encoding ? { encoding: opts.encoding } : {});
  const headers = headersOf(tables);
  const given = opts.mapping ?? suggestMapping(headers);
  const mapping = opts.defaultSite ? { ...given, defaultSite: opts.defaultSite } : given;
  if (!opts.mapping && Object.keys(given.columns).length === 0)
    throw new AppError('import.no_known_column', `No column of the header row is one Corridor knows (${headers.slice(0, 8).join(', ')}).`, {
      headers,
    });
  const problems = mappingProblems(mapping, headers);
  if (!mapsAName(mapping)) problems.push({ path: 'columns', message: 'map at least one name column (given, family or full name)' });
  if (problems.length) throw new AppError('import.mapping_invalid', problems[0]!.message, { fields: problems, headers });

  const sites = await operationsDb.listSites(ctx.db, operationId);
  const siteByName = new Map<string, string>();
  for (const s of sites) {
    siteByName.set(s.id, s.id);
    for (const n of [s.name_en, s.name_ar]) if (n) siteByName.set(headerKey(n), s.id);
  }
  const siteIds = new Set(sites.map((s) => s.id));
  if (mapping.defaultSite !== undefined && !siteIds.has(mapping.defaultSite))
    throw new AppError('import.mapping_invalid', 'The default site is not a site of this operation.', {
      fields: [{ path: 'defaultSite', message: 'is not a site of this operation' }],
    });
  const readCtx = {
    mapping,
    siteOf: (cell: string) => siteByName.get(cell.trim()) ?? siteByName.get(headerKey(cell)),
    referenceYear: ctx.now.getUTCFullYear(),
  };

  const joined = householdsOf(tables, mapping);
  const issues: ImportIssue[] = joined.issues.map((i) => ({ ...i, code: 'import.parent_missing' as const }));
  const read: ReadHousehold[] = [];
  let invalid = 0;
  for (const [n, source] of joined.households.entries()) {
    const h = readHousehold(source, readCtx, issues);
    if (h) read.push(h);
    else invalid++;
    if (n % 500 === 499) await yieldToOthers();
  }

  const keys = await ctx.keys.forOperation(ctx.db, operationId);
  const hashes = read.map((h) => keyedHash(keys, 'import', h.identity));
  const already = new Set<string>();
  for (let i = 0; i < hashes.length; i += 1000) {
    const found = await importsDb.findImportedIdentities(ctx.db, operationId, hashes.slice(i, i + 1000));
    for (const f of found) already.add(Buffer.from(f.identity_hash).toString('hex'));
  }
  const tagCheck = await batchTagCheck(
    ctx,
    operationId,
    read.flatMap((h, n) => (already.has(hashes[n]!.toString('hex')) ? [] : h.members.flatMap((m) => (m.tag ? [m.tag] : [])))),
  );
  const seen = new Set<string>();
  const planned: PlannedHousehold[] = [];
  let repeated = 0;
  for (const [n, h] of read.entries()) {
    const identityHash = hashes[n]!;
    const id = identityHash.toString('hex');
    if (seen.has(id) || already.has(id)) {
      repeated++;
      continue;
    }
    seen.add(id);
    const tags: string[] = [];
    const before = issues.length;
    for (const [i, m] of h.members.entries()) {
      if (!m.tag) continue;
      const row = h.rows[i]!;
      try {
        const code = await tagCheck.check(m.tag, 'tag');
        if (tags.includes(code)) throw new AppError('tag.taken', 'The same tag is given to two people of this household.');
        tags.push(code);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        issues.push({ table: row.table, line: row.line, column: mapping.columns.tag ?? null, code: err.code, message: err.message });
      }
    }
    if (issues.length > before) {
      invalid++;
      continue;
    }
    for (const t of tags) tagCheck.bind(t);
    planned.push({ ...h, identityHash });
  }

  const digest = createHash('sha256');
  for (const f of files) digest.update(f.name).update('\u0000').update(f.bytes);
  issues.sort((a, b) => (a.table === b.table ? a.line - b.line : 0));
  return {
    digest: digest.digest('hex'),
    tables: tables.map((t) => ({ name: t.name, headers: t.headers, rows: t.rows.length })),
    mapping,
    suggested: !opts.mapping,
    householdsInFile: joined.households.length,
    rowsInFile: tables.reduce((n, t) => n + t.rows.length, 0),
    households: planned,
    alreadyImported: repeated,
    invalidHouseholds: invalid,
    issues,
  };
}
