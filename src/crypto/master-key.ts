/**
 * Finds the master key: CORRIDOR_MASTER_KEY (64 hex characters or base64 of 32 bytes), or a
 * key file. By default the file is `master.key` in a folder of its own beside the data folder
 * (`./data-keys/` for `./data`), never inside it: a copy of the data folder alone must not open
 * the names in it. On the first start the folder is created 0700 and the key 0600; losing the
 * key loses every name in the database, so the README says to back it up (apart from the data).
 * A key file that other users can read or write is refused at start. Earlier versions kept the
 * key in the data folder: such a `data/master.key` is moved to the default place at start.
 */
import {
  chmodSync,
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';

export function parseMasterKey(text: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (key.length !== 32) throw new Error('The master key must be 32 bytes: 64 hex characters or base64.');
  return key;
}

export interface MasterKeyOptions {
  envValue?: string | undefined;
  keyFile: string;
  create: boolean;
  /**
   * Where earlier versions kept the key (`<data folder>/master.key`); given only when `keyFile` is
   * the default one. A key found there is moved to `keyFile`.
   */
  legacyKeyFile?: string | undefined;
}

export interface LoadedMasterKey {
  key: Buffer;
  created: boolean;
  /** The file the key was moved from (an earlier version's place inside the data folder). */
  movedFrom?: string;
}

export function loadMasterKey(opts: MasterKeyOptions): LoadedMasterKey {
  if (opts.envValue) return { key: parseMasterKey(opts.envValue), created: false };
  const moved = opts.legacyKeyFile && existsSync(opts.legacyKeyFile) ? moveLegacyKey(opts.legacyKeyFile, opts.keyFile) : undefined;
  // The default folder is Corridor's own: 0700, made so if it exists with a looser mode. A folder named
  // by CORRIDOR_MASTER_KEY_FILE belongs to the operator and is left as it is (the file's mode is checked).
  if (opts.legacyKeyFile) restrictFolder(dirname(opts.keyFile));
  if (existsSync(opts.keyFile)) {
    const key = readKeyFile(opts.keyFile);
    return { key, created: false, ...(moved ? { movedFrom: moved } : {}) };
  }
  if (!opts.create) throw new Error(`No master key: set CORRIDOR_MASTER_KEY or provide ${opts.keyFile}.`);
  mkdirSync(dirname(opts.keyFile), { recursive: true, mode: 0o700 });
  // Several servers may start at once on one machine: the key is written whole to a file of its own,
  // then linked into place, so another process finds no key or the whole key, and exactly one wins.
  const key = randomBytes(32);
  const tmp = `${opts.keyFile}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  try {
    linkSync(tmp, opts.keyFile);
  } catch (err) {
    if ((err as { code?: string }).code !== 'EEXIST') throw err;
    return { key: readKeyFile(opts.keyFile), created: false };
  } finally {
    unlinkSync(tmp);
  }
  return { key, created: true };
}

function restrictFolder(dir: string): void {
  if (existsSync(dir) && (statSync(dir).mode & 0o777) !== 0o700) chmodSync(dir, 0o700);
}

function readKeyFile(file: string): Buffer {
  const mode = statSync(file).mode & 0o777;
  // Like ssh with a private key: a key others could read may already be copied; say so, do not fix it silently.
  if (mode & 0o077)
    throw new Error(
      `The master key file ${file} can be read or changed by other users (mode ${mode.toString(8)}). ` +
        `Run \`chmod 600 ${file}\` and start again; if someone else may have read it, rotate it (corridor keys rotate-master).`,
    );
  return parseMasterKey(readFileSync(file, 'utf8'));
}

/** Moves an earlier version's key out of the data folder; the same key already in place only removes the old copy. */
function moveLegacyKey(legacy: string, keyFile: string): string {
  const old = readKeyFile(legacy);
  if (existsSync(keyFile)) {
    if (!readKeyFile(keyFile).equals(old))
      throw new Error(
        `Two different master keys: ${legacy} (where earlier versions kept it) and ${keyFile}. ` +
          `Find out which one this database was sealed with, set CORRIDOR_MASTER_KEY_FILE to it, and keep the other apart; ` +
          `Corridor does not choose, so that no name becomes unreadable.`,
      );
    unlinkSync(legacy);
    return legacy;
  }
  mkdirSync(dirname(keyFile), { recursive: true, mode: 0o700 });
  try {
    renameSync(legacy, keyFile);
  } catch (err) {
    if ((err as { code?: string }).code !== 'EXDEV') throw err;
    copyFileSync(legacy, keyFile);
    chmodSync(keyFile, 0o600);
    unlinkSync(legacy);
  }
  return legacy;
}
