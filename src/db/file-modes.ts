/**
 * PGlite creates its files world-writable whatever the umask (its WASM file system passes the
 * modes through). The data folder holds every person's record: its folders are made 0700 and
 * its files 0600, when the database opens and again when it closes (the folder's own 0700 is
 * what keeps others out of files made in between).
 */
import { chmodSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** chmod 0700 for folders and 0600 for files under `root`, itself included; links left alone. */
export function restrictTree(root: string): void {
  const stack = [root];
  while (stack.length > 0) {
    const path = stack.pop()!;
    let st;
    try {
      st = lstatSync(path);
    } catch {
      continue; // removed meanwhile
    }
    if (st.isSymbolicLink()) continue;
    const want = st.isDirectory() ? 0o700 : 0o600;
    if ((st.mode & 0o777) !== want) chmodSync(path, want);
    if (st.isDirectory()) for (const name of readdirSync(path)) stack.push(join(path, name));
  }
}
