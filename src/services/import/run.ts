/**
 * An import from start to end for a caller that holds no transaction (the CLI, the benchmark):
 * the dry run, then — unless it is only a dry run — the run opened and written chunk by chunk.
 */
import type { TextEncoding } from '../../domain/import/decode.js';
import type { ImportMapping } from '../../domain/import/mapping.js';
import type { Ctx } from '../context.js';
import { planImport, type ImportPlan } from './plan.js';
import type { ImportFile } from './read-file.js';
import { assertAllValid, openImportRun, writeImport, type ImportOutcome, type WriteEnv } from './write.js';

export interface ImportOptions {
  mapping?: ImportMapping;
  /** The site of households whose rows name none (overrides the mapping's). */
  defaultSite?: string;
  encoding?: TextEncoding;
  dryRun?: boolean;
  allOrNothing?: boolean;
}

export async function importFiles(
  env: WriteEnv,
  actor: Omit<Ctx, 'db' | 'now'>,
  files: readonly ImportFile[],
  opts: ImportOptions = {},
): Promise<{ plan: ImportPlan; outcome?: ImportOutcome }> {
  const plan = await planImport({ ...actor, db: env.db.kysely, now: env.clock() }, files, {
    ...(opts.mapping ? { mapping: opts.mapping } : {}),
    ...(opts.encoding ? { encoding: opts.encoding } : {}),
    ...(opts.defaultSite ? { defaultSite: opts.defaultSite } : {}),
  });
  if (opts.dryRun) return { plan };
  if (opts.allOrNothing) assertAllValid(plan);
  const importId = await env.db.kysely.transaction().execute((trx) => openImportRun({ ...actor, db: trx, now: env.clock() }, plan));
  const outcome = await writeImport(env, actor, importId, plan, opts.allOrNothing ? { allOrNothing: true } : {});
  return { plan, outcome };
}
