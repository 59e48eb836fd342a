/**
 * Where the master key lives (security audit finding 7: a copy of the data folder held its key
 * and opened every name): by default in `<data folder>-keys/`, outside the data folder, folder
 * 0700 and file 0600; a key left in the data folder by an earlier version is moved there (the
 * names stay readable); two different keys are never chosen between; several processes creating
 * the key at once end up with one key.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../src/config.js';
import { loadConfiguredMasterKey } from '../src/server/boot.js';

const root = new URL('..', import.meta.url).pathname;
const mode = (p: string) => statSync(p).mode & 0o777;

function withTmp(fn: (dir: string) => void | Promise<void>) {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corridor-keyloc-'));
    const umask = process.umask(0);
    try {
      await fn(dir);
    } finally {
      process.umask(umask);
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

describe('master key location', () => {
  test(
    'by default the key is created beside the data folder, not in it: folder 0700, file 0600, even with umask 0',
    withTmp((dir) => {
      const config = loadConfig({ CORRIDOR_DATA_DIR: join(dir, 'data') });
      assert.equal(config.masterKeyFile, join(dir, 'data-keys', 'master.key'));
      const k = loadConfiguredMasterKey(config, true);
      assert.equal(k.created, true);
      assert.equal(mode(join(dir, 'data-keys')), 0o700);
      assert.equal(mode(config.masterKeyFile), 0o600);
      assert.equal(existsSync(join(dir, 'data', 'master.key')), false);
      assert.deepEqual(loadConfiguredMasterKey(config, true).key, k.key, 'the next start reads the same key');
    }),
  );

  test(
    'a loose default key folder is made 0700 again; a key file others can read is refused with what to do',
    withTmp((dir) => {
      const config = loadConfig({ CORRIDOR_DATA_DIR: join(dir, 'data') });
      loadConfiguredMasterKey(config, true);
      chmodSync(join(dir, 'data-keys'), 0o755);
      loadConfiguredMasterKey(config, false);
      assert.equal(mode(join(dir, 'data-keys')), 0o700);
      chmodSync(config.masterKeyFile, 0o640);
      assert.throws(() => loadConfiguredMasterKey(config, false), /can be read or changed by other users \(mode 640\).*chmod 600/);
      assert.equal(mode(config.masterKeyFile), 0o640, 'left as it was');
    }),
  );

  test(
    "an earlier version's data/master.key is moved out of the data folder and keeps opening the names",
    withTmp((dir) => {
      mkdirSync(join(dir, 'data'), { mode: 0o700 });
      const old = randomBytes(32);
      writeFileSync(join(dir, 'data', 'master.key'), old.toString('hex') + '\n', { mode: 0o600 });
      const config = loadConfig({ CORRIDOR_DATA_DIR: join(dir, 'data') });
      const k = loadConfiguredMasterKey(config, true);
      assert.deepEqual(k.key, old);
      assert.equal(k.created, false);
      assert.equal(k.movedFrom, join(dir, 'data', 'master.key'));
      assert.equal(existsSync(join(dir, 'data', 'master.key')), false, 'no key left in the data folder');
      assert.equal(readFileSync(config.masterKeyFile, 'utf8').trim(), old.toString('hex'));
      assert.equal(mode(config.masterKeyFile), 0o600);
    }),
  );

  test(
    'two different keys (the old place and the new) stop the start, and neither is touched',
    withTmp((dir) => {
      const config = loadConfig({ CORRIDOR_DATA_DIR: join(dir, 'data') });
      const current = loadConfiguredMasterKey(config, true).key;
      mkdirSync(join(dir, 'data'), { mode: 0o700 });
      writeFileSync(join(dir, 'data', 'master.key'), randomBytes(32).toString('hex'), { mode: 0o600 });
      assert.throws(() => loadConfiguredMasterKey(config, true), /Two different master keys.*CORRIDOR_MASTER_KEY_FILE/);
      assert.equal(existsSync(join(dir, 'data', 'master.key')), true);
      assert.deepEqual(loadMasterKeyFile(config.masterKeyFile), current);
    }),
  );

  test(
    'CORRIDOR_MASTER_KEY_FILE and CORRIDOR_MASTER_KEY still choose the key',
    withTmp((dir) => {
      const file = join(dir, 'elsewhere', 'k.key');
      const config = loadConfig({ CORRIDOR_DATA_DIR: join(dir, 'data'), CORRIDOR_MASTER_KEY_FILE: file });
      assert.equal(loadConfiguredMasterKey(config, true).created, true);
      assert.equal(mode(file), 0o600);
      const hex = randomBytes(32).toString('hex');
      assert.equal(loadConfiguredMasterKey(loadConfig({ CORRIDOR_MASTER_KEY: hex }), true).key.toString('hex'), hex);
    }),
  );

  test(
    'four processes creating the key at once all end up with the same key',
    withTmp(async (dir) => {
      const script = `
      import { loadConfig } from ${JSON.stringify(join(root, 'src/config.ts'))};
      import { loadConfiguredMasterKey } from ${JSON.stringify(join(root, 'src/server/boot.ts'))};
      const k = loadConfiguredMasterKey(loadConfig({ CORRIDOR_DATA_DIR: ${JSON.stringify(join(dir, 'data'))} }), true);
      process.stdout.write(k.key.toString('hex') + ' ' + k.created);`;
      const run = () =>
        new Promise<string>((resolve, reject) => {
          const c = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root });
          let out = '';
          let err = '';
          c.stdout.on('data', (d: Buffer) => (out += d.toString()));
          c.stderr.on('data', (d: Buffer) => (err += d.toString()));
          c.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(err))));
        });
      const outs = await Promise.all(Array.from({ length: 4 }, run));
      const keys = new Set(outs.map((o) => o.split(' ')[0]));
      assert.equal(keys.size, 1, outs.join('\n'));
      assert.equal(outs.filter((o) => o.endsWith('true')).length, 1, 'exactly one created it');
      assert.equal(readFileSync(join(dir, 'data-keys', 'master.key'), 'utf8').trim(), [...keys][0]);
    }),
  );
});

function loadMasterKeyFile(file: string): Buffer {
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
}
