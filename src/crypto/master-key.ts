/**
 * Finds the master key: CORRIDOR_MASTER_KEY (64 hex characters or base64 of 32 bytes), or a
 * key file. On the first embedded start the key file is created with mode 0600 beside the
 * data; losing it loses every name in the database, so the README says to back it up. A key
 * file that other users can read or write is refused at start.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

export function parseMasterKey(text: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (key.length !== 32) throw new Error('The master key must be 32 bytes: 64 hex characters or base64.');
  return key;
}

export function loadMasterKey(opts: { envValue?: string | undefined; keyFile: string; create: boolean }): {
  key: Buffer;
  created: boolean;
} {
  if (opts.envValue) return { key: parseMasterKey(opts.envValue), created: false };
  if (existsSync(opts.keyFile)) {
    const mode = statSync(opts.keyFile).mode & 0o777;
    // Like ssh with a private key: a key others could read may already be copied; say so, do not fix it silently.
    if (mode & 0o077)
      throw new Error(
        `The master key file ${opts.keyFile} can be read or changed by other users (mode ${mode.toString(8)}). ` +
          `Run \`chmod 600 ${opts.keyFile}\` and start again; if someone else may have read it, rotate it (corridor keys rotate-master).`,
      );
    return { key: parseMasterKey(readFileSync(opts.keyFile, 'utf8')), created: false };
  }
  if (!opts.create) throw new Error(`No master key: set CORRIDOR_MASTER_KEY or provide ${opts.keyFile}.`);
  const key = randomBytes(32);
  writeFileSync(opts.keyFile, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  return { key, created: true };
}
