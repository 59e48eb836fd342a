/**
 * Who holds a PGlite data folder's lock, so that a lock left by a process that died (kill -9,
 * a power cut) is taken over at once instead of refusing every start until proper-lockfile
 * finds it stale. Beside the lock, `corridor.lock.owner` records the holder's pid, host, a
 * random token and (on Linux) the process's start time: a pid that is alive but started at
 * another time is another process that reused the pid. When anything is unknown (no owner
 * file, another host, no /proc) the lock is left alone.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';

interface Owner {
  pid: number;
  host: string;
  token: string;
  /** Start time of the process in clock ticks since boot (/proc/<pid>/stat field 22), or null. */
  start: string | null;
}

function startOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function ownerFileOf(lockPath: string): string {
  return `${lockPath}.owner`;
}

/** Written right after the lock is taken. */
export function recordOwner(lockPath: string): void {
  const owner: Owner = { pid: process.pid, host: hostname(), token: randomBytes(16).toString('hex'), start: startOf(process.pid) };
  writeFileSync(ownerFileOf(lockPath), JSON.stringify(owner), { mode: 0o600 });
}

export function forgetOwner(lockPath: string): void {
  rmSync(ownerFileOf(lockPath), { force: true });
}

function readOwner(lockPath: string): Owner | undefined {
  try {
    const o = JSON.parse(readFileSync(ownerFileOf(lockPath), 'utf8')) as Partial<Owner>;
    if (typeof o.pid !== 'number' || typeof o.host !== 'string' || typeof o.token !== 'string') return undefined;
    return { pid: o.pid, host: o.host, token: o.token, start: typeof o.start === 'string' ? o.start : null };
  } catch {
    return undefined;
  }
}

/** True when the recorded holder is certainly gone: on this host, and its pid dead or reused. */
export function ownerIsGone(lockPath: string): boolean {
  const o = readOwner(lockPath);
  if (!o || o.host !== hostname()) return false;
  if (!isAlive(o.pid)) return true;
  const now = startOf(o.pid);
  return o.start !== null && now !== null && now !== o.start;
}

/**
 * Removes a dead holder's lock so it can be taken again. The owner file is first renamed to a
 * name of this process's own: rename is atomic, so of two processes starting together only one
 * removes the lock (the other then finds it held by the winner).
 */
export function breakDeadLock(lockPath: string): boolean {
  if (!ownerIsGone(lockPath)) return false;
  const claimed = `${ownerFileOf(lockPath)}.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    renameSync(ownerFileOf(lockPath), claimed);
  } catch {
    return false;
  }
  rmSync(lockPath, { recursive: true, force: true });
  try {
    unlinkSync(claimed);
  } catch {
    // already gone
  }
  return true;
}
