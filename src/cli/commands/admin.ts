/** `corridor migrate`, `corridor user add`, `corridor audit verify [--against FILE]`, `corridor audit head`. */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import type { Config } from '../../config.js';
import { userInput } from '../../domain/schemas/operations.js';
import { parseAuditAnchor, takeAuditAnchor, verifyAuditAgainst, verifyAuditChain } from '../../services/audit/audit-anchor.js';
import { createUser, randomPassword } from '../../services/accounts/auth.js';
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
  program
    .command('migrate')
    .description('Apply database migrations (on PostgreSQL, as the owner role: the server may run as an application role that cannot)')
    .action(async () => {
      const { db, migrations } = await openStorage(loadConfig(), { migrate: 'always' });
      await db.close();
      process.stdout.write(migrations.length ? `Applied: ${migrations.join(', ')}\n` : 'The database is up to date.\n');
    });

  const user = program.command('user').description('Accounts');
  user
    .command('add <username>')
    .description('Create an account; the password is read from standard input, or generated and printed once')
    .option('--admin', 'a system administrator')
    .option('--name <displayName>', 'the name shown in the app')
    .option('--locale <locale>', 'en or ar', 'en')
    .action(async (username: string, opts: { admin?: boolean; name?: string; locale: string }) => {
      const piped = await readPassword();
      const password = piped?.trim() || randomPassword();
      const parsed = userInput.safeParse({
        username,
        displayName: opts.name ?? username,
        password,
        isAdmin: !!opts.admin,
        locale: opts.locale,
      });
      if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      const { db } = await openStorage(loadConfig());
      try {
        const created = await db.kysely
          .transaction()
          .execute((trx) => createUser(trx, parsed.data, { id: null, kind: 'system' }, new Date()));
        process.stdout.write(`Created ${created.username}${created.isAdmin ? ' (admin)' : ''}.\n`);
        if (!piped) process.stdout.write(`Password (shown once): ${password}\n`);
      } finally {
        await db.close();
      }
    });

  const auditCmd = program.command('audit').description('The audit log');
  auditCmd
    .command('verify')
    .description(
      'Walk the hash chain and name the first entry that was edited, removed or reordered; with --against, also check the heads kept outside the database',
    )
    .option('--against <file>', 'an anchor printed earlier by `corridor audit head`: each stream must still hold its anchored entry')
    .action(async (opts: { against?: string }) => {
      // Read the anchor before opening the database: a wrong path or a bad file is told at once.
      const anchor = opts.against ? parseAuditAnchor(readAnchorFile(opts.against)) : undefined;
      const { db } = await openStorage(loadConfig());
      try {
        const r = anchor ? await verifyAuditAgainst(db.kysely, anchor) : { ...(await verifyAuditChain(db.kysely)), anchorBreaks: [] };
        if (r.firstBreak) {
          const b = r.firstBreak;
          process.stdout.write(`Audit log BROKEN at entry seq ${b.seq} (stream ${b.stream}, #${b.n}): ${b.problem.replace(/_/g, ' ')}.\n`);
        }
        for (const b of r.anchorBreaks) {
          process.stdout.write(
            b.problem === 'anchor_missing'
              ? `Audit log does NOT match the anchor of ${anchor!.at}: stream ${b.stream} no longer has entry #${b.n} (entries were removed).\n`
              : `Audit log does NOT match the anchor of ${anchor!.at}: stream ${b.stream} entry #${b.n} has another hash (the history up to it was rewritten).\n`,
          );
        }
        if (r.ok) {
          process.stdout.write(
            `Audit log intact: ${r.entries} entries in ${r.streams} streams` +
              (r.keyed < r.entries ? ` (${r.keyed} checked with the audit key, ${r.entries - r.keyed} written before keying).\n` : '.\n'),
          );
          if (anchor)
            process.stdout.write(
              `It matches the anchor of ${anchor.at}: every one of its ${anchor.streams.length} streams still holds its anchored entry.\n`,
            );
        } else {
          process.exitCode = 2;
        }
      } finally {
        await db.close();
      }
    });

  auditCmd
    .command('head')
    .description(
      'Print the head (position and hash) of every audit stream as JSON, to keep outside the database for `audit verify --against`',
    )
    .action(async () => {
      const { db } = await openStorage(loadConfig());
      try {
        // An anchor of a chain that is already broken would vouch for the break: refuse it.
        const r = await verifyAuditChain(db.kysely);
        if (!r.ok) {
          const b = r.firstBreak!;
          process.stderr.write(
            `corridor: the audit log is BROKEN at entry seq ${b.seq} (stream ${b.stream}, #${b.n}): ${b.problem.replace(/_/g, ' ')}; no head printed.\n`,
          );
          process.exitCode = 2;
          return;
        }
        process.stdout.write(`${JSON.stringify(await takeAuditAnchor(db.kysely, new Date()), null, 2)}\n`);
      } finally {
        await db.close();
      }
    });
}

function readAnchorFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`Cannot read the anchor file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`);
  }
}
