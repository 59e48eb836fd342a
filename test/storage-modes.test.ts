/**
 * File modes of the embedded data folder (security audit: PGlite's files were world-writable
 * whatever the umask, so a copied or shared folder opened everything): folders 0700 and files
 * 0600 after open and after close; a master key file others can read is refused at start.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lstatSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { openDb } from '../src/db/connection.js';
import { migrate } from '../src/db/migrate.js';
import { loadMasterKey } from '../src/crypto/master-key.js';

/** Every path under `root` whose mode lets group or others in. */
function loose(root: string): string[] {
  const out: string[] = [];
  const stack = [root];
  while (stack.length) {
    const p = stack.pop()!;
    const st = lstatSync(p);
    if (st.isSymbolicLink()) continue;
    if (st.mode & 0o077) out.push(`${p} ${(st.mode & 0o777).toString(8)}`);
    if (st.isDirectory()) for (const n of readdirSync(p)) stack.push(join(p, n));
  }
  return out;
}

describe('embedded data folder modes', () => {
  test('the data folder is 0700 and every file of the database 0600, after open and after close, even with umask 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corridor-modes-'));
    const umask = process.umask(0);
    try {
      const db = await openDb({ kind: 'pglite', dataDir: dir });
      await migrate(db);
      assert.equal(statSync(dir).mode & 0o777, 0o700);
      assert.deepEqual(loose(join(dir, 'pglite')), [], 'after open');
      await db.close();
      assert.deepEqual(loose(dir), [], 'after close');
    } finally {
      process.umask(umask);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a master key file that group or others can read is refused with what to do', () => {
    const dir = mkdtempSync(join(tmpdir(), 'corridor-modes-'));
    try {
      const file = join(dir, 'master.key');
      writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o644 });
      assert.throws(() => loadMasterKey({ keyFile: file, create: false }), /can be read or changed by other users \(mode 644\).*chmod 600/);
      assert.equal(statSync(file).mode & 0o777, 0o644, 'left as it was');
      writeFileSync(join(dir, 'ok.key'), randomBytes(32).toString('hex'), { mode: 0o600 });
      assert.equal(loadMasterKey({ keyFile: join(dir, 'ok.key'), create: false }).key.length, 32);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
