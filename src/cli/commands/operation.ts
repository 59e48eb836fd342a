/**
 * `corridor operation shred`: crypto-shreds an operation (src/services/keys/shred.ts) after the
 * operator typed its code, or with `--yes` for scripts. It needs no master key: an operation
 * can be shredded even when the key is lost or must not be brought to this machine.
 */
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import type { Config } from '../../config.js';
import { openStorage } from '../../server/boot.js';
import { countPeopleOf, findOperationByIdOrCode, shredOperation, vacuumShreddedKeys } from '../../services/keys/shred.js';

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
}
