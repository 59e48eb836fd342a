/** `corridor migrate`, `corridor user add`, `corridor audit verify`. */
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import type { Config } from '../../config.js';
import { verifyAudit } from '../../db/queries/audit.js';
import { userInput } from '../../domain/schemas/operations.js';
import { createUser, randomPassword } from '../../services/auth.js';
import { openStorage } from '../../server/boot.js';

async function readPassword(): Promise<string | undefined> {
  if (process.stdin.isTTY) return undefined;
  const rl = createInterface({ input: process.stdin });
  for await (const line of rl) {
    rl.close();
    return line;
  }
  return undefined;
}

export function registerAdminCommands(program: Command, loadConfig: () => Config) {
  program.command('migrate').description('Apply database migrations').action(async () => {
    const { db, migrations } = await openStorage(loadConfig());
    await db.close();
    process.stdout.write(migrations.length ? `Applied: ${migrations.join(', ')}\n` : 'The database is up to date.\n');
  });

  const user = program.command('user').description('Accounts');
  user.command('add <username>').description('Create an account; the password is read from standard input, or generated and printed once')
    .option('--admin', 'a system administrator')
    .option('--name <displayName>', 'the name shown in the app')
    .option('--locale <locale>', 'en or ar', 'en')
    .action(async (username: string, opts: { admin?: boolean; name?: string; locale: string }) => {
      const piped = await readPassword();
      const password = piped?.trim() || randomPassword();
      const parsed = userInput.safeParse({ username, displayName: opts.name ?? username, password, isAdmin: !!opts.admin, locale: opts.locale });
      if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      const { db } = await openStorage(loadConfig());
      try {
        const created = await db.kysely.transaction().execute((trx) => createUser(trx, parsed.data, { id: null, kind: 'system' }, new Date()));
        process.stdout.write(`Created ${created.username}${created.isAdmin ? ' (admin)' : ''}.\n`);
        if (!piped) process.stdout.write(`Password (shown once): ${password}\n`);
      } finally {
        await db.close();
      }
    });

  const auditCmd = program.command('audit').description('The audit log');
  auditCmd.command('verify').description('Walk the hash chain and name the first entry that was edited, removed or reordered').action(async () => {
    const { db } = await openStorage(loadConfig());
    try {
      const r = await verifyAudit(db.kysely);
      if (r.ok) {
        process.stdout.write(`Audit log intact: ${r.entries} entries in ${r.streams} streams.\n`);
      } else {
        const b = r.firstBreak!;
        process.stdout.write(`Audit log BROKEN at entry seq ${b.seq} (stream ${b.stream}, #${b.n}): ${b.problem.replace(/_/g, ' ')}.\n`);
        process.exitCode = 2;
      }
    } finally {
      await db.close();
    }
  });
}
