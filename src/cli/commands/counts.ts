/**
 * `corridor counts --operation ID [--json]` prints the live counts (from the counters table, after
 * counting whatever the count projection had not counted yet);
 * `corridor counts verify [--operation ID]` recomputes every count from the facts and the
 * registry and exits with 2 if any maintained counter differs, naming the cells.
 */
import type { Command } from 'commander';
import type { Config } from '../../config.js';
import type { Db } from '../../db/connection.js';
import { openStorage } from '../../server/boot.js';
import { listCountedOperationIds, operationExists, readCounts, verifyCounts } from '../../services/counts/counts.js';
import { drainCounts } from '../../services/counts/count-projector.js';
import { loadMasterKey } from '../../crypto/master-key.js';
import { KeyRing } from '../../services/keys/keyring.js';

/** Counting opens each person's sealed category and vulnerabilities: the master key is needed. */
function keyRingOf(config: Config): KeyRing {
  return new KeyRing(loadMasterKey({ envValue: config.masterKey, keyFile: config.masterKeyFile, create: false }).key);
}

export async function verifyCommand(db: Db, keys: KeyRing, operationId?: string): Promise<{ exitCode: number; lines: string[] }> {
  const ids = operationId ? [operationId] : await listCountedOperationIds(db.kysely);
  const lines: string[] = [];
  let exitCode = 0;
  for (const id of ids) {
    if (!(await operationExists(db.kysely, id))) return { exitCode: 1, lines: [`No operation ${id}.`] };
    const t0 = performance.now();
    const v = await verifyCounts(db.kysely, keys, id);
    const ms = Math.round(performance.now() - t0);
    if (v.ok) {
      lines.push(`Operation ${id}: counts verified — ${v.cells} cells from ${v.facts} facts and ${v.persons} people agree (${ms} ms).`);
    } else {
      exitCode = 2;
      lines.push(`Operation ${id}: ${v.differences.length} counters DIFFER from the recomputation:`);
      for (const d of v.differences.slice(0, 50)) lines.push(`  ${d.cell}: maintained ${d.maintained}, recomputed ${d.recomputed}`);
      if (v.differences.length > 50) lines.push(`  … and ${v.differences.length - 50} more`);
    }
  }
  if (ids.length === 0) lines.push('No operations.');
  return { exitCode, lines };
}

export function registerCountsCommands(program: Command, loadConfig: () => Config) {
  const counts = program
    .command('counts')
    .description('The one true count: print the live counts of an operation')
    .option('--operation <id>', 'the operation')
    .option('--json', 'print the counts as JSON')
    .action(async (opts: { operation?: string; json?: boolean }) => {
      if (!opts.operation) throw new Error('counts: give --operation ID (or use `counts verify`)');
      const config = loadConfig();
      const keys = keyRingOf(config);
      const { db } = await openStorage(config);
      try {
        if (!(await operationExists(db.kysely, opts.operation))) throw new Error(`no operation ${opts.operation}`);
        // Standalone: nothing else counts what writers noted, so count it before printing.
        await drainCounts(db.kysely, keys, opts.operation);
        const c = await readCounts(db.kysely, opts.operation, true, new Date());
        if (opts.json) process.stdout.write(`${JSON.stringify(c, null, 2)}\n`);
        else for (const [metric, n] of Object.entries(c.totals)) process.stdout.write(`${metric.padEnd(12)} ${n}\n`);
      } finally {
        await db.close();
      }
    });
  counts
    .command('verify')
    .description('Recompute every count from the facts; exit 2 if a maintained counter differs')
    .option('--operation <id>', 'only this operation (default: all)')
    .action(async (opts: { operation?: string }, cmd: Command) => {
      const operation = opts.operation ?? (cmd.optsWithGlobals() as { operation?: string }).operation;
      const config = loadConfig();
      const keys = keyRingOf(config);
      const { db } = await openStorage(config);
      try {
        const r = await verifyCommand(db, keys, operation);
        process.stdout.write(`${r.lines.join('\n')}\n`);
        process.exitCode = r.exitCode;
      } finally {
        await db.close();
      }
    });
}
