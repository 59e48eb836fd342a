/**
 * Writing an import: the households of a plan registered through the same use case as a desk
 * registration (`registerHouseholds`: sealing, keyed hashes, counts, audit), a chunk of
 * households per transaction, each table's rows of a chunk in one unnested insert
 * (db/queries/registration-bulk.ts), giving way to the requests the server is answering
 * (`giveWay`), so the desks' own registrations are not held up behind a 100,000-row file. Each
 * chunk records the identities it imported in the same transaction, so an import cut short
 * resumes by running it again: what was written is skipped. All-or-nothing runs in a single
 * transaction instead. A large file's possible duplicates are proposed by one batch scan at the
 * end rather than one lookup per household; a small one's as a desk's are.
 */
import type { Db } from '../../db/connection.js';
import type { Executor } from '../../db/queries/executor.js';
import * as importsDb from '../../db/queries/imports.js';
import * as bulkDb from '../../db/queries/registration-bulk.js';
import { AppError } from '../../domain/errors.js';
import type { ImportIssue } from '../../domain/import/households.js';
import { audit, requireOperation, type Ctx } from '../context.js';
import { newId } from '../ids.js';
import { dedupeOperation } from '../matching/duplicate-reviews.js';
import { registerHouseholds } from '../persons/persons.js';
import type { ImportPlan, PlannedHousehold } from './plan.js';

/**
 * People per transaction (a chunk is cut after the household that reaches it). On PGlite there
 * is one connection: a desk registering meanwhile waits for the whole chunk in progress, so
 * chunks are short. On PostgreSQL the desks have connections of their own and wait only for the
 * operation's audit head, which a chunk appends to as its last statement and holds until it
 * commits: chunks are longer there, each paying the fixed cost of a transaction (its reads, its
 * audit append, its commit) for more rows. Chunks of 2,000 were a little faster still, but their
 * statements took the database's CPU a desk waits for (desk p95 2.5× the idle one, against 1.7×).
 */
export const CHUNK_PEOPLE = { pglite: 50, postgres: 500 } as const;

export function chunkPeople(dialect: Db['dialect']): number {
  return CHUNK_PEOPLE[dialect];
}

/** The households cut into chunks of about `people` people (a household is never split). */
export function chunksOf<T extends { members: readonly unknown[] }>(households: readonly T[], people: number): T[][] {
  const out: T[][] = [];
  let chunk: T[] = [];
  let n = 0;
  for (const h of households) {
    chunk.push(h);
    n += h.members.length;
    if (n >= people) {
      out.push(chunk);
      chunk = [];
      n = 0;
    }
  }
  if (chunk.length > 0) out.push(chunk);
  return out;
}

/** Work done within a chunk (sealing and keying households) between two turns given to other requests. */
const SLICE_MS = 10;
/** How long the import waits for the requests being answered: within a chunk, between chunks. */
const GIVE_WAY_IN_CHUNK_MS = 50;
const GIVE_WAY_BETWEEN_CHUNKS_MS = 250;

/** After how many people written the planner's statistics are refreshed: 2,000, then each time the import has doubled. */
const ANALYZE_FROM = 2000;
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
  /** Waits while the server answers other requests, at most the time given (the server's
   * plugins/give-way.ts); without it the import only lets the event loop turn. */
  giveWay?: (maxMs: number) => Promise<void>;
  /** People per chunk (default `chunkPeople` of the database). */
  chunkPeople?: number;
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

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

type Figures = { done: number; skipped: number; invalid: number; people: number };

/**
 * One chunk: what is not imported yet is registered, its identities recorded, and the run's
 * progress moved on. The household ids are chosen here so that the identities go in with the
 * households and the registration's audit append is the chunk's last statement: a desk waiting
 * for the audit head waits only for the commit.
 */
async function writeChunk(
  ctx: Ctx,
  importId: string,
  chunk: readonly PlannedHousehold[],
  flagDuplicates: boolean,
  afterEachHousehold?: () => Promise<void>,
): Promise<Figures> {
  const operationId = requireOperation(ctx);
  const found = await importsDb.findImportedIdentities(
    ctx.db,
    operationId,
    chunk.map((h) => h.identityHash),
  );
  const done = new Set(found.map((f) => Buffer.from(f.identity_hash).toString('hex')));
  const todo = chunk.filter((h) => !done.has(h.identityHash.toString('hex')));
  const figures = {
    done: todo.length,
    skipped: chunk.length - todo.length,
    invalid: 0,
    people: todo.reduce((n, h) => n + h.members.length, 0),
  };
  await importsDb.addImportProgress(ctx.db, operationId, importId, { ...figures, at: ctx.now });
  const ids = todo.map(() => newId(ctx.now));
  const identities = todo.map((h, i) => ({ operationId, identityHash: h.identityHash, householdId: ids[i]!, importId }));
  await registerHouseholds(
    ctx,
    todo.map((h, i) => ({ id: ids[i]!, siteId: h.siteId, ...(h.notes ? { notes: h.notes } : {}), members: h.members })),
    {
      flagDuplicates,
      ...(afterEachHousehold ? { afterEachHousehold } : {}),
      store: {
        insertHouseholds: async (db, rows) => {
          await bulkDb.insertHouseholdsBulk(db, rows);
          await importsDb.insertImportedIdentities(db, identities);
        },
        insertPersons: bulkDb.insertPersonsBulk,
        insertPersonKeys: bulkDb.insertPersonKeysBulk,
      },
    },
  );
  return figures;
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
  // A chunk commits without waiting for the disk: what a crash loses, running the import again writes.
  const chunkTransaction = <T>(run: (c: Ctx) => Promise<T>) =>
    inTransaction(async (c) => {
      await importsDb.commitWithoutFlush(c.db);
      return run(c);
    });
  let analyzeAt = ANALYZE_FROM;
  // Within a chunk the import lets the event loop turn after every slice of sealing and keying;
  // on PostgreSQL it also waits for the requests being answered (they have connections of their
  // own), while on PGlite the chunk's transaction holds the only connection, so it waits between
  // chunks only.
  const giveWay = env.giveWay;
  let sliceFrom = performance.now();
  const inChunk = async () => {
    if (performance.now() - sliceFrom < SLICE_MS) return;
    if (giveWay && env.db.dialect === 'postgres') await giveWay(GIVE_WAY_IN_CHUNK_MS);
    else await turn();
    sliceFrom = performance.now();
  };
  const add = (d: Figures) => {
    progress.done += d.done;
    progress.skipped += d.skipped;
    progress.invalid += d.invalid;
    progress.people += d.people;
  };
  const chunks = chunksOf(plan.households, env.chunkPeople ?? chunkPeople(env.db.dialect));
  try {
    if (opts.allOrNothing) {
      assertAllValid(plan);
      const all = await inTransaction(async (c) => {
        // One transaction holding the audit head from its first chunk on: waiting would only hold the desks longer.
        const figures: Figures[] = [];
        for (const chunk of chunks) figures.push(await writeChunk(c, importId, chunk, !batchScan));
        return figures;
      });
      for (const d of all) add(d);
      env.onProgress?.({ ...progress });
    } else {
      for (const chunk of chunks) {
        try {
          add(await chunkTransaction((c) => writeChunk(c, importId, chunk, !batchScan, inChunk)));
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          // Something changed since the dry run (a tag bound at a desk meanwhile): the chunk
          // household by household, each refusal an issue of its first row.
          for (const h of chunk) {
            try {
              add(await chunkTransaction((c) => writeChunk(c, importId, [h], !batchScan, inChunk)));
            } catch (e) {
              if (!(e instanceof AppError)) throw e;
              const row = h.rows[0]!;
              issues.push({ table: row.table, line: row.line, column: null, code: e.code, message: e.message });
              const d = { done: 0, skipped: 0, invalid: 1, people: 0 };
              await inTransaction((c) => importsDb.addImportProgress(c.db, operationId, importId, { ...d, at: c.now }));
              add(d);
            }
          }
        }
        env.afterWrite?.(operationId);
        env.onProgress?.({ ...progress });
        if (progress.people >= analyzeAt) {
          analyzeAt = progress.people * 2;
          await importsDb.analyzeRegistry(env.db.kysely);
        }
        await (giveWay ? giveWay(GIVE_WAY_BETWEEN_CHUNKS_MS) : turn());
        sliceFrom = performance.now();
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
