/**
 * `corridor sitrep --operation CODE [--as-of TIME] --format pdf|html --lang ar|en --out FILE`
 * writes the situation report of an operation; `corridor sitrep verify FILE` checks a report
 * against the database (figures equal a recomputation as of its stated moment, audit head in the
 * chain, the file as it was produced) and exits 2 when it does not hold.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Config } from '../../config.js';
import { loadMasterKey } from '../../crypto/master-key.js';
import { openStorage } from '../../server/boot.js';
import { KeyRing } from '../../services/keys/keyring.js';
import { resolveOperationId } from '../../services/operations/operations.js';
import { readPayload } from '../../services/sitrep/payload.js';
import { produceReportFile, verifyReportFile } from '../../services/sitrep/report-file.js';

const keyRingOf = (config: Config) =>
  new KeyRing(loadMasterKey({ envValue: config.masterKey, keyFile: config.masterKeyFile, create: false }).key);

interface SitrepOpts {
  operation?: string;
  asOf?: string;
  format?: string;
  lang?: string;
  out?: string;
}

export function registerSitrepCommands(program: Command, loadConfig: () => Config) {
  const sitrep = program
    .command('sitrep')
    .description('Write the situation report of an operation (figures that prove their count)')
    .option('--operation <code>', 'the operation (id or code)')
    .option('--as-of <time>', 'figures as of this time (ISO 8601; default now)')
    .option('--format <format>', 'pdf or html', 'pdf')
    .option('--lang <lang>', 'en or ar', 'en')
    .option('--out <file>', 'where to write the report')
    .action(async (o: SitrepOpts) => {
      if (!o.operation) throw new Error('sitrep: give --operation CODE');
      if (!o.out) throw new Error('sitrep: give --out FILE');
      if (o.format !== 'pdf' && o.format !== 'html') throw new Error('sitrep: --format must be pdf or html');
      if (o.lang !== 'en' && o.lang !== 'ar') throw new Error('sitrep: --lang must be en or ar');
      const asOf = o.asOf ? new Date(o.asOf) : undefined;
      if (asOf && Number.isNaN(asOf.getTime())) throw new Error('sitrep: --as-of must be a date and time, e.g. 2016-12-22T08:00:00Z');
      const config = loadConfig();
      const keys = keyRingOf(config);
      const { db } = await openStorage(config);
      try {
        const operationId = await resolveOperationId(db.kysely, o.operation);
        if (!operationId) throw new Error(`there is no operation ${o.operation}`);
        const { sitrep: s, file } = await db.kysely.transaction().execute((trx) =>
          produceReportFile(trx, keys, operationId, {
            now: new Date(),
            format: o.format as 'pdf',
            lang: o.lang as 'en',
            ...(asOf ? { asOf } : {}),
          }),
        );
        writeFileSync(o.out, file);
        process.stdout.write(
          `Situation report of ${s.figures.operationCode} as of ${s.figures.asOf} written to ${o.out}\n` +
            `  had left ${s.figures.totals.left}, arrived ${s.figures.totals.arrived}, missing ${s.figures.totals.missing}\n` +
            `  last fact ${s.proof.lastFact?.id ?? '(none)'}; counts verify ${s.proof.countsVerify.ok ? 'passed' : 'FAILED'}; digest ${s.digest}\n`,
        );
      } finally {
        await db.close();
      }
    });
  sitrep
    .command('verify <file>')
    .description('Check a situation report against the database; exit 2 if it does not hold')
    .action(async (file: string) => {
      const bytes = readFileSync(file);
      const payload = readPayload(bytes);
      const config = loadConfig();
      const keys = keyRingOf(config);
      const { db } = await openStorage(config);
      try {
        const v = await db.kysely.transaction().execute((trx) => verifyReportFile(trx, keys, payload.figures.operationId, bytes));
        if (v.ok)
          process.stdout.write(
            `Report verified: its figures as of ${v.asOf} equal a recomputation, its audit head is in the chain (digest ${v.digest}).\n`,
          );
        else {
          process.stdout.write(`Report does NOT verify: ${v.problems.join(', ')}\n`);
          if (v.differingFigures.length > 0) process.stdout.write(`  figures that differ: ${v.differingFigures.join(', ')}\n`);
          process.exitCode = 2;
        }
      } finally {
        await db.close();
      }
    });
}
