/**
 * `corridor keys fingerprint` and `corridor keys rotate-master`. Rotation is built so that an
 * operator cannot lose the database's names on the way: the new key is on disk (0600, synced)
 * before anything changes; every data key is re-wrapped in one transaction, opened again under
 * the new key before the commit and once more after it; `--dry-run` does all of that and rolls
 * back; and it refuses while other sessions use the database, because a server still running with
 * the old key would go on creating operations under it.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import type { Config } from '../../config.js';
import { parseMasterKey } from '../../crypto/master-key.js';
import { loadConfiguredMasterKey, openStorage } from '../../server/boot.js';
import { otherSessions, rotateMasterKey, verifyWrappedKeys, type RotationReport } from '../../services/keys/key-rotation.js';
import { KeyRing, masterKeyFingerprint } from '../../services/keys/keyring.js';
import { sealClearFields } from '../../services/persons/seal-clear.js';

interface RotateOptions {
  newKeyFile?: string;
  generate?: string;
  dryRun?: boolean;
  allowOtherSessions?: boolean;
}

class DryRun extends Error {
  constructor(readonly report: RotationReport) {
    super('dry run');
  }
}

function currentKey(config: Config): Buffer {
  return loadConfiguredMasterKey(config, false).key;
}

function readNewKey(path: string): Buffer {
  if (!existsSync(path)) throw new Error(`There is no new key file ${path}.`);
  const mode = statSync(path).mode & 0o777;
  if (mode & 0o077)
    throw new Error(`The new key file ${path} can be read by other users (mode ${mode.toString(8)}): run \`chmod 600 ${path}\` first.`);
  try {
    return parseMasterKey(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`The new key file ${path} does not hold a key: ${(err as Error).message}`);
  }
}

/** Writes a new random key to a file that must not exist yet, mode 0600, synced to disk. */
function generateKeyFile(path: string): Buffer {
  if (existsSync(path)) throw new Error(`${path} exists already: --generate writes a new file and never overwrites one.`);
  const key = randomBytes(32);
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeSync(fd, key.toString('hex') + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    const dir = openSync(dirname(path), 'r');
    fsyncSync(dir);
    closeSync(dir);
  } catch {
    // Some file systems cannot sync a directory; the file itself is synced.
  }
  return key;
}

function summary(r: RotationReport): string {
  return (
    `${r.operations} data key${r.operations === 1 ? '' : 's'} re-wrapped and opened again under the new key; ` +
    `${r.shredded} shredded operation${r.shredded === 1 ? '' : 's'} skipped; ${r.replays} stored answer${r.replays === 1 ? '' : 's'} of system-wide writes sealed again` +
    (r.unreadableReplays ? ` (${r.unreadableReplays} that the current key did not open either were left as they were)` : '')
  );
}

export function registerKeysCommands(program: Command, loadConfig: () => Config) {
  const keys = program.command('keys').description('The master key');

  keys
    .command('fingerprint')
    .description('Print the fingerprint of the configured master key (or of a key file), to tell keys apart without showing them')
    .option('--key-file <path>', 'a key file instead of the configured key')
    .action((opts: { keyFile?: string }) => {
      const key = opts.keyFile ? readNewKey(resolve(opts.keyFile)) : currentKey(loadConfig());
      process.stdout.write(`${masterKeyFingerprint(key)}\n`);
    });

  keys
    .command('rotate-master')
    .description("Re-wrap every operation's data key under a new master key, in one transaction, verified before and after the commit")
    .option('--new-key-file <path>', 'the new key: a file (mode 0600) holding 64 hex characters or base64 of 32 bytes')
    .option('--generate <path>', 'generate the new key into this file (created with mode 0600; never overwritten)')
    .option('--dry-run', 'do everything and verify it, then roll back: nothing changes (with --generate, no file is written)')
    .option(
      '--allow-other-sessions',
      'PostgreSQL: rotate even though other sessions use the database (only when they are not Corridor servers)',
    )
    .action(async (opts: RotateOptions) => {
      if (!!opts.newKeyFile === !!opts.generate)
        throw new Error('Give the new key with exactly one of --new-key-file PATH or --generate PATH.');
      const config = loadConfig();
      const oldKey = currentKey(config);
      const newPath = resolve((opts.newKeyFile ?? opts.generate) as string);
      if (newPath === config.masterKeyFile && !config.masterKey)
        throw new Error(`${newPath} holds the current key: write the new key to another file.`);
      let newKey: Buffer;
      if (opts.newKeyFile) newKey = readNewKey(newPath);
      else if (opts.dryRun) newKey = randomBytes(32);
      else {
        if (existsSync(newPath)) throw new Error(`${newPath} exists already: --generate writes a new file and never overwrites one.`);
        newKey = Buffer.alloc(0); // written below, once the database is open and the checks passed
      }

      const { db } = await openStorage(config);
      try {
        if (!opts.allowOtherSessions) {
          const others = await otherSessions(db);
          if (others.n > 0) {
            throw new Error(
              `${others.n} other session${others.n === 1 ? ' is' : 's are'} connected to this database (${others.who}). Stop every Corridor server first: ` +
                'one still running with the old key would go on creating operations under it. If these sessions are not Corridor servers, run again with --allow-other-sessions.',
            );
          }
        }
        const generated = newKey.length === 0;
        if (generated) newKey = generateKeyFile(newPath);
        let report: RotationReport;
        try {
          report = await db.kysely.transaction().execute(async (trx) => {
            const r = await rotateMasterKey(trx, oldKey, newKey, new Date());
            if (opts.dryRun) throw new DryRun(r);
            return r;
          });
        } catch (err) {
          if (!(err instanceof DryRun)) {
            if (generated)
              throw new Error(`${(err as Error).message} The key generated into ${newPath} was not used: nothing is wrapped under it.`);
            throw err;
          }
          process.stdout.write(
            `Dry run (nothing was changed): ${summary(err.report)}.\n` +
              `Current key ${err.report.from}, new key ${err.report.to}${opts.generate ? ' (generated for the dry run only; no file written)' : ''}.\n`,
          );
          return;
        }
        // Once more outside the transaction: what was committed is what opens.
        const opened = await verifyWrappedKeys(db.kysely, newKey);
        process.stdout.write(
          `Master key rotated: ${report.from} → ${report.to}.\n${summary(report)}.\n` +
            `Verified after the commit: all ${opened} stored data keys open under the new key.\n\n` +
            `Next:\n  1. Start Corridor with the new key: CORRIDOR_MASTER_KEY_FILE=${newPath} (or its content in CORRIDOR_MASTER_KEY)` +
            (config.masterKey ? '' : `; Corridor reads ${config.masterKeyFile} unless told otherwise, and that file holds the old key`) +
            '. A server started with the old key refuses to start.\n' +
            '  2. Keep the old key, apart from the database, only as long as you keep backups made before now: they open only with it. Then destroy it.\n',
        );
      } finally {
        await db.close();
      }
    });

  keys
    .command('seal-clear')
    .description('Seal the category and vulnerabilities older versions stored in clear (the server also does it at start and hourly)')
    .action(async () => {
      const config = loadConfig();
      const ring = new KeyRing(currentKey(config));
      const { db } = await openStorage(config);
      try {
        const r = await sealClearFields(db.kysely, ring);
        process.stdout.write(
          `Sealed the category and vulnerabilities of ${r.persons} people (${r.counted} rows of the registry as counted).\n`,
        );
      } finally {
        await db.close();
      }
    });
}
