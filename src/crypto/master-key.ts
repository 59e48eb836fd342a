/**
 * Finds the master key: CORRIDOR_MASTER_KEY (64 hex characters or base64 of 32 bytes), or a
 * key file. On the first embedded start the key file is created with mode 0600 beside the
 * data; losing it loses every name in the database, so the README says to back it up.
 */
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
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
    if (mode & 0o077) chmodSync(opts.keyFile, 0o600);
    return { key: parseMasterKey(readFileSync(opts.keyFile, 'utf8')), created: false };
  }
  if (!opts.create) throw new Error(`No master key: set CORRIDOR_MASTER_KEY or provide ${opts.keyFile}.`);
  const key = randomBytes(32);
  writeFileSync(opts.keyFile, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  return { key, created: true };
}
