/**
 * The import as the web page asks for it: files sent base64 inside JSON, the dry run answered
 * with its report, an import run opened in the request's transaction (its rows are written
 * afterwards by `writeImport`), and its progress read back.
 */
import * as importsDb from '../../db/queries/imports.js';
import { AppError } from '../../domain/errors.js';
import type { ImportFilesInput } from '../../domain/api/imports.js';
import { requireOperation, type Ctx } from '../context.js';
import { planImport, type ImportPlan } from './plan.js';
import { assertAllValid, openImportRun } from './write.js';

const MAX_ISSUES_SHOWN = 5000;

function planOf(ctx: Ctx, input: ImportFilesInput) {
  const files = input.files.map((f) => ({ name: f.name, bytes: Buffer.from(f.contentBase64, 'base64') }));
  return planImport(ctx, files, {
    ...(input.mapping ? { mapping: input.mapping } : {}),
    ...(input.encoding ? { encoding: input.encoding } : {}),
    ...(input.defaultSite ? { defaultSite: input.defaultSite } : {}),
  });
}

function presentPlan(plan: ImportPlan) {
  return {
    digest: plan.digest,
    tables: plan.tables,
    mapping: plan.mapping,
    suggested: plan.suggested,
    householdsInFile: plan.householdsInFile,
    rowsInFile: plan.rowsInFile,
    toRegister: plan.households.length,
    people: plan.households.reduce((n, h) => n + h.members.length, 0),
    alreadyImported: plan.alreadyImported,
    invalidHouseholds: plan.invalidHouseholds,
    issues: plan.issues.slice(0, MAX_ISSUES_SHOWN),
    issuesTotal: plan.issues.length,
  };
}

export async function previewImport(ctx: Ctx, input: ImportFilesInput) {
  return presentPlan(await planOf(ctx, input));
}

function presentRun(r: NonNullable<Awaited<ReturnType<typeof importsDb.findImport>>>) {
  const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
  return {
    id: r.id,
    status: r.status,
    total: r.households_total,
    done: r.households_done,
    skipped: r.households_skipped,
    invalid: r.households_invalid,
    people: r.people,
    startedAt: iso(r.started_at)!,
    updatedAt: iso(r.updated_at)!,
    finishedAt: iso(r.finished_at),
    failure: r.failure,
  };
}

/** Plans the import and opens its run; the caller writes the plan once this transaction committed. */
export async function startImportRun(ctx: Ctx, input: ImportFilesInput & { allOrNothing: boolean }) {
  const plan = await planOf(ctx, input);
  if (input.allOrNothing) assertAllValid(plan);
  const id = await openImportRun(ctx, plan);
  return { plan, run: await getImportRun(ctx, id) };
}

export async function getImportRun(ctx: Ctx, importId: string) {
  const row = await importsDb.findImport(ctx.db, requireOperation(ctx), importId);
  if (!row) throw new AppError('import.not_found');
  return presentRun(row);
}
