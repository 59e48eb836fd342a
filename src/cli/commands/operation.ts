/**
 * `corridor operation shred`: crypto-shreds an operation (src/services/keys/shred.ts) after the
 * operator typed its code, or with `--yes` for scripts. It needs no master key: an operation
 * can be shredded even when the key is lost or must not be brought to this machine.
 * `corridor operation close` closes an operation and sets its retention period;
 * `corridor operation retention` shreds the closed operations past it now (the server does it hourly);
 * `corridor person shred` crypto-shreds one person (src/services/persons/shred-person.ts).
 */
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import type { Config } from '../../config.js';
import { openStorage } from '../../server/boot.js';
import { countPeopleOf, findOperationByIdOrCode, shredOperation, vacuumShreddedKeys } from '../../services/keys/shred.js';
import { applyRetention, closeWithRetention } from '../../services/keys/retention.js';
import { KeyRing } from '../../services/keys/keyring.js';
import { shredPersonBy } from '../../services/persons/shred-person.js';
import { loadMasterKey } from '../../crypto/master-key.js';

/** One line from standard input (a terminal or a pipe); undefined when it ends first. */
async function readLine(prompt: string): Promise<string | undefined> {
  process.stderr.write(prompt);
  const rl = createInterface({ input: process.stdin });
  try {
    for await (const line of rl) return line;
    return undefined;
  } finally {
    rl.close();
  }
}

export function registerOperationCommands(program: Command, loadConfig: () => Config) {
  const operation = program.command('operation').description('Operations');
  operation
    .command('shred')
    .description(
      'Crypto-shred an operation: destroy its data key, so the names and notes of its people can never be read again; counts remain',
    )
    .requiredOption('--operation <idOrCode>', 'the operation, by id or code')
    .option('--yes', 'do not ask for the operation code (scripts)')
    .action(async (opts: { operation: string; yes?: boolean }) => {
      const { db } = await openStorage(loadConfig());
      try {
        const op = await findOperationByIdOrCode(db.kysely, opts.operation);
        if (!op) throw new Error(`There is no operation ${opts.operation} (give its id or its code).`);
        const people = await countPeopleOf(db.kysely, op.id);
        if (!opts.yes) {
          const typed = await readLine(
            `This destroys the data key of operation ${op.code} (${op.name_en}): the names, notes and other identifiers ` +
              `of its ${people} people can never be read again. Counts remain.\nType the operation code (${op.code}) to confirm: `,
          );
          process.stderr.write('\n');
          if (typed?.trim() !== op.code) {
            process.stderr.write('Not confirmed: nothing was changed.\n');
            process.exitCode = 1;
            return;
          }
        }
        const r = await db.kysely.transaction().execute((trx) => shredOperation(trx, op.id, new Date()));
        await vacuumShreddedKeys(db.kysely);
        process.stdout.write(
          r.destroyedNow
            ? `Operation ${r.code} shredded at ${r.shreddedAt.toISOString()}: its data key is destroyed and ${r.keyedHashesRemoved} keyed name hashes removed. ` +
                'Its people can no longer be read; counts remain.\n' +
                'Copies of the wrapped key in backups, WAL or replicas made before now still open with the current master key: to make them useless, ' +
                'rotate the master key (`corridor keys rotate-master`) and destroy the old key once those backups are gone.\n'
            : `Operation ${r.code} was already shredded (${r.shreddedAt.toISOString()}); ${r.keyedHashesRemoved} keyed name hashes written since were removed.\n`,
        );
      } finally {
        await db.close();
      }
    });

  operation
    .command('close')
    .description('Close an operation; with --retention-days N its people are crypto-shredded N days after closing')
    .requiredOption('--operation <idOrCode>', 'the operation, by id or code')
    .option('--retention-days <n>', 'days after closing at which the operation is shredded ("none" keeps it)')
    .action(async (opts: { operation: string; retentionDays?: string }) => {
      const { db } = await openStorage(loadConfig());
      try {
        const found = await findOperationByIdOrCode(db.kysely, opts.operation);
        if (!found) throw new Error(`There is no operation ${opts.operation} (give its id or its code).`);
        const days = opts.retentionDays === undefined ? undefined : opts.retentionDays === 'none' ? null : Number(opts.retentionDays);
        const op = await db.kysely.transaction().execute((trx) => closeWithRetention(trx, found.id, new Date(), days));
        const closedAt = new Date(op.closed_at as Date);
        process.stdout.write(
          `Operation ${op.code} closed at ${closedAt.toISOString()}.` +
            (op.retention_days
              ? ` Its people will be crypto-shredded after ${new Date(closedAt.getTime() + op.retention_days * 86_400_000).toISOString()} (retention ${op.retention_days} days).\n`
              : ' No retention period: its people are kept until it is shredded.\n'),
        );
      } finally {
        await db.close();
      }
    });
  operation
    .command('retention')
    .description('Crypto-shred now every closed operation whose retention period has run out (the server does it hourly)')
    .action(async () => {
      const { db } = await openStorage(loadConfig());
      try {
        const shredded = await applyRetention(db.kysely, new Date());
        if (shredded.length > 0) await vacuumShreddedKeys(db.kysely);
        process.stdout.write(
          shredded.length === 0
            ? 'No operation is past its retention period.\n'
            : shredded.map((r) => `Operation ${r.code} shredded: its retention period ran out.\n`).join(''),
        );
      } finally {
        await db.close();
      }
    });

  program
    .command('person')
    .description('People')
    .command('shred')
    .description('Crypto-shred one person: their names, notes, medical notes, category, vulnerabilities and tag are erased; counts remain')
    .requiredOption('--operation <idOrCode>', 'the operation, by id or code')
    .requiredOption('--person <id>', 'the person')
    .requiredOption(
      '--by <username>',
      'the account doing it (a system admin, or one holding person.erase in the operation): audited as theirs',
    )
    .action(async (opts: { operation: string; person: string; by: string }) => {
      const config = loadConfig();
      const keys = new KeyRing(loadMasterKey({ envValue: config.masterKey, keyFile: config.masterKeyFile, create: false }).key);
      const { db } = await openStorage(config);
      try {
        const op = await findOperationByIdOrCode(db.kysely, opts.operation);
        if (!op) throw new Error(`There is no operation ${opts.operation} (give its id or its code).`);
        const r = await db.kysely.transaction().execute((trx) => shredPersonBy(trx, keys, op.id, opts.person, opts.by, new Date()));
        process.stdout.write(
          r.shreddedNow
            ? `Person ${r.id} shredded at ${r.shreddedAt}: nothing sealed about them can be read any more; counts remain.\n`
            : `Person ${r.id} was already shredded (${r.shreddedAt}).\n`,
        );
      } finally {
        await db.close();
      }
    });
}
