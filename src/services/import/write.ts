/**
 * Writing an import: the households of a plan registered through the same use case as a desk
 * registration (`registerHouseholds`: sealing, keyed hashes, counts, audit), a chunk per
 * transaction, yielding between chunks so the desks' own registrations are not held up behind a
 * 100,000-row file. Each chunk records the identities it imported in the same transaction, so
 * an import cut short resumes by running it again: what was written is skipped. All-or-nothing
 * runs in a single transaction instead. A large file's possible duplicates are proposed by one
 * batch scan at the end rather than one lookup per household; a small one's as a desk's are.
 */
import type { Db } from '../../db/connection.js';
import type { Executor } from '../../db/queries/executor.js';
import * as importsDb from '../../db/queries/imports.js';
import { AppError } from '../../domain/errors.js';
import type { ImportIssue } from '../../domain/import/households.js';
import { audit, requireOperation, type Ctx } from '../context.js';
import { newId } from '../ids.js';
import { dedupeOperation } from '../matching/duplicate-reviews.js';
import { registerHouseholds } from '../persons/persons.js';
import type { ImportPlan, PlannedHousehold } from './plan.js';

/**
 * Households per transaction. Every registration appends to the operation's audit chain, whose
 * head a transaction holds until it commits: a desk registering meanwhile waits for the chunk in
 * progress, so chunks are kept short (about 200 people).
 */
export const CHUNK = 50;
/** From this many people on, duplicates are proposed by the batch scan at the end. */
export const BATCH_SCAN_FROM = 1000;

export interface ImportProgress {
  total: number;
  done: number;
  skipped: number;
  invalid: number;
  people: number;
}

export interface ImportOutcome extends ImportProgress {
  importId: string;
  /** Issues found while writing (a tag bound by someone else meanwhile). */
  issues: ImportIssue[];
  duplicateReviews: number;
}

export interface WriteEnv {
  db: Db;
  clock: () => Date;
  /** Told after each committed chunk (the server's count projection counts it). */
  afterWrite?: (operationId: string) => void;
  onProgress?: (p: ImportProgress) => void;
}

const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Refuses an all-or-nothing import of a file with issues, naming them; nothing is written. */
export function assertAllValid(plan: ImportPlan) {
  if (plan.issues.length > 0)
    throw new AppError('import.rows_invalid', `${plan.issues.length} problems in the file; nothing was written.`, {
      issues: plan.issues.slice(0, 1000),
    });
}

/** The run's record, written in the caller's transaction (the web answers with its id at once). */
export async function openImportRun(ctx: Ctx, plan: ImportPlan): Promise<string> {
  const operationId = requireOperation(ctx);
  const id = newId(ctx.now);
  await importsDb.insertImport(ctx.db, {
    operation_id: operationId,
    id,
    file_digest: plan.digest,
    status: 'running',
    households_total: plan.householdsInFile,
    households_skipped: plan.alreadyImported,
    households_invalid: plan.invalidHouseholds,
    started_by: ctx.actor.id,
    started_at: ctx.now,
    updated_at: ctx.now,
  });
  return id;
}

/** One chunk: what is not imported yet is registered, and its identities recorded. */
async function writeChunk(ctx: Ctx, importId: string, chunk: readonly PlannedHousehold[], flagDuplicates: boolean) {
  const operationId = requireOperation(ctx);
  const found = await importsDb.findImportedIdentities(
    ctx.db,
    operationId,
    chunk.map((h) => h.identityHash),
  );
  const done = new Set(found.map((f) => Buffer.from(f.identity_hash).toString('hex')));
  const todo = chunk.filter((h) => !done.has(h.identityHash.toString('hex')));
  const { households } = await registerHouseholds(
    ctx,
    todo.map((h) => ({ siteId: h.siteId, ...(h.notes ? { notes: h.notes } : {}), members: h.members })),
    { flagDuplicates },
  );
  await importsDb.insertImportedIdentities(
    ctx.db,
    todo.map((h, i) => ({ operationId, identityHash: h.identityHash, householdId: households[i]!.id, importId })),
  );
  const people = todo.reduce((n, h) => n + h.members.length, 0);
  return { done: todo.length, skipped: chunk.length - todo.length, invalid: 0, people };
}

/**
 * Writes the plan's households under the run `importId` (see `openImportRun`), then proposes
 * duplicates and closes the run. `ctx` gives who acts and their permissions; its handle is not
 * used: each chunk has a transaction of its own on `env.db`.
 */
export async function writeImport(
  env: WriteEnv,
  ctx: Omit<Ctx, 'db' | 'now'>,
  importId: string,
  plan: ImportPlan,
  opts: { allOrNothing?: boolean } = {},
): Promise<ImportOutcome> {
  const operationId = ctx.operationId!;
  const people = plan.households.reduce((n, h) => n + h.members.length, 0);
  const batchScan = people >= BATCH_SCAN_FROM;
  const progress: ImportProgress = {
    total: plan.householdsInFile,
    done: 0,
    skipped: plan.alreadyImported,
    invalid: plan.invalidHouseholds,
    people: 0,
  };
  const issues: ImportIssue[] = [];
  const inTransaction = <T>(run: (c: Ctx) => Promise<T>) =>
    env.db.kysely.transaction().execute((trx: Executor) => run({ ...ctx, db: trx, now: env.clock() }));
  const note = async (c: Ctx, d: { done: number; skipped: number; invalid: number; people: number }) => {
    await importsDb.addImportProgress(c.db, operationId, importId, { ...d, at: c.now });
    progress.done += d.done;
    progress.skipped += d.skipped;
    progress.invalid += d.invalid;
    progress.people += d.people;
  };
  const chunks: PlannedHousehold[][] = [];
  for (let i = 0; i < plan.households.length; i += CHUNK) chunks.push(plan.households.slice(i, i + CHUNK));
  try {
    if (opts.allOrNothing) {
      assertAllValid(plan);
      await inTransaction(async (c) => {
        for (const chunk of chunks) await note(c, await writeChunk(c, importId, chunk, !batchScan));
      });
      env.onProgress?.({ ...progress });
    } else {
      for (const chunk of chunks) {
        try {
          await inTransaction(async (c) => note(c, await writeChunk(c, importId, chunk, !batchScan)));
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          // Something changed since the dry run (a tag bound at a desk meanwhile): the chunk
          // household by household, each refusal an issue of its first row.
          for (const h of chunk) {
            try {
              await inTransaction(async (c) => note(c, await writeChunk(c, importId, [h], !batchScan)));
            } catch (e) {
              if (!(e instanceof AppError)) throw e;
              const row = h.rows[0]!;
              issues.push({ table: row.table, line: row.line, column: null, code: e.code, message: e.message });
              await inTransaction(async (c) => note(c, { done: 0, skipped: 0, invalid: 1, people: 0 }));
            }
          }
        }
        env.afterWrite?.(operationId);
        env.onProgress?.({ ...progress });
        await yieldToOthers();
      }
    }
    env.afterWrite?.(operationId);
    let duplicateReviews = 0;
    if (batchScan && progress.people > 0) {
      // On the database itself, not a transaction: the scan commits its proposals as it goes.
      const scan = await dedupeOperation({ ...ctx, db: env.db.kysely, now: env.clock() });
      duplicateReviews = scan.proposed;
    }
    await inTransaction(async (c) => {
      await importsDb.finishImport(c.db, operationId, importId, { status: 'done', at: c.now });
      await audit(c, {
        action: 'import.run',
        subjectKind: 'import',
        subjectId: importId,
        details: { digest: plan.digest, ...progress, issues: plan.issues.length + issues.length, duplicateReviews },
      });
    });
    return { ...progress, importId, issues, duplicateReviews };
  } catch (err) {
    const failure = err instanceof AppError ? err.code : 'internal';
    await inTransaction((c) => importsDb.finishImport(c.db, operationId, importId, { status: 'failed', at: c.now, failure }));
    throw err;
  }
}
