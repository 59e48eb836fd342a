/**
 * The phone's vault: where names kept on the phone are sealed (docs/decisions/021-phone-vault.md).
 * One record per account in IndexedDB (`corridor-vault`): the vault's public key, its private
 * key encrypted under the key the server releases to that account (GET /api/auth/vault-key), and
 * when the server was last reached. Sealing needs only the public key (so a registrar goes on
 * saving after an offline reload); opening needs the server's key, asked for while the session
 * holds and kept in memory only, as non-extractable CryptoKeys.
 *
 * Wiped (record and everything sealed to it, see outbox.ts wipePhoneNames): at logout, when the
 * server refuses the key (the account lost its registration, reception and convoy board roles), and when the
 * phone has not reached the server for `wipeAfterHours`.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { PinWrappedKey } from '../lib/vault-pin-crypto.js';
import * as api from './endpoints.js';
import { read } from './read.js';
import { ApiError } from './errors.js';
import {
  importServerKey,
  newVault,
  open as openBox,
  seal as sealBox,
  unwrapPrivateKey,
  type SealedBox,
  type WrappedPrivateKey,
} from '../lib/vault-crypto.js';

export type { SealedBox };

export interface VaultRecord {
  userId: string;
  publicKey: JsonWebKey;
  wrapped: WrappedPrivateKey;
  createdAt: string;
  /** The last time the server released the key: the clock of the offline wipe. */
  lastContactAt: string;
  wipeAfterHours: number;
  /** The private key wrapped a second time under the user's PIN (set online, after login): opens the vault with no server. */
  pin?: PinWrappedKey;
  /** Wrong PINs left before the vault is wiped. */
  pinTriesLeft?: number;
}

/** Boxes sealed to the vault that are not outbox commands (the reception's expected lists). */
export interface VaultBox {
  key: string;
  userId: string;
  savedAt: string;
  box: SealedBox;
}

interface Schema extends DBSchema {
  vaults: { key: string; value: VaultRecord };
  boxes: { key: string; value: VaultBox };
}

let db: Promise<IDBPDatabase<Schema> | null> | undefined;
/** The vault's database (api/vault-pin.ts writes the PIN's wrap into the record). */
export function idb(): Promise<IDBPDatabase<Schema> | null> {
  db ??= openDB<Schema>('corridor-vault', 1, {
    upgrade(d) {
      d.createObjectStore('vaults', { keyPath: 'userId' });
      d.createObjectStore('boxes', { keyPath: 'key' });
    },
  }).catch(() => null);
  return db;
}

/** The opened private key, in memory only, for one account. */
let opened: { userId: string; key: CryptoKey } | null = null;

/** The vault opened another way (its PIN, api/vault-pin.ts): the key held in memory as the server's would be. */
export function markOpened(userId: string, key: CryptoKey) {
  opened = { userId, key };
  vaultChanged();
}

const changeListeners = new Set<() => void>();
/** Told when the vault is opened (server key or PIN) or wiped, so a desk can read what it holds again. */
export function onVaultChange(fn: () => void): () => void {
  changeListeners.add(fn);
  return () => {
    changeListeners.delete(fn);
  };
}
export const vaultChanged = () => {
  for (const l of changeListeners) l();
};

export class VaultLocked extends Error {
  constructor(readonly why: 'no_vault' | 'unreachable' | 'refused' | 'no_pin') {
    super(`phone vault locked: ${why}`);
  }
}

export const aadOf = (userId: string) => `corridor-phone-vault:${userId}`;

export async function vaultRecord(userId: string): Promise<VaultRecord | undefined> {
  return (await idb())?.get('vaults', userId);
}

/**
 * Asks the server for the key, makes the vault when there is none, and opens it. Throws
 * VaultLocked('refused') when the server gives no key (the caller wipes), 'unreachable' when the server cannot answer.
 */
export async function unlockVault(userId: string): Promise<void> {
  let answer: { key: string | null; wipeAfterHours: number };
  try {
    answer = await read<{ key: string | null; wipeAfterHours: number }>(api.urlOf(api.auth.vaultKey));
  } catch (err) {
    if (err instanceof ApiError && err.status === 403) throw new VaultLocked('refused');
    throw new VaultLocked('unreachable');
  }
  // No key: this account keeps no names on a phone (any more): the caller wipes.
  if (answer.key === null) throw new VaultLocked('refused');
  const serverKey = await importServerKey(answer.key);
  const d = await idb();
  if (!d) throw new VaultLocked('no_vault');
  const now = new Date().toISOString();
  let rec = await d.get('vaults', userId);
  if (rec) {
    try {
      opened = { userId, key: await unwrapPrivateKey(serverKey, rec.wrapped, aadOf(userId)) };
    } catch {
      // Made under another key (the master key was rotated): what it sealed cannot be opened any more.
      rec = undefined;
    }
  }
  if (!rec) {
    const made = await newVault(serverKey, aadOf(userId));
    rec = {
      userId,
      publicKey: made.publicKey,
      wrapped: made.wrapped,
      createdAt: now,
      lastContactAt: now,
      wipeAfterHours: answer.wipeAfterHours,
    };
    opened = { userId, key: await unwrapPrivateKey(serverKey, rec.wrapped, aadOf(userId)) };
  }
  await d.put('vaults', { ...rec, lastContactAt: now, wipeAfterHours: answer.wipeAfterHours });
  vaultChanged();
}

export const vaultOpen = (userId: string) => opened?.userId === userId;

/** Seals to the account's vault (no network needed once the vault exists). */
export async function sealFor(userId: string, value: unknown, aad: string): Promise<SealedBox> {
  const rec = await vaultRecord(userId);
  if (!rec) throw new VaultLocked('no_vault');
  return sealBox(rec.publicKey, value, aad);
}

/** Opens a box of the account's vault, asking the server for the key when it is not in memory. */
export async function openFor<T>(userId: string, box: SealedBox, aad: string): Promise<T> {
  if (!vaultOpen(userId)) await unlockVault(userId);
  return openBox<T>(opened!.key, box, aad);
}

/** Opens only if the key is already in memory (no network): undefined otherwise. */
export async function openIfOpen<T>(userId: string, box: SealedBox, aad: string): Promise<T | undefined> {
  if (!vaultOpen(userId)) return undefined;
  try {
    return await openBox<T>(opened!.key, box, aad);
  } catch {
    return undefined;
  }
}

export async function putBox(userId: string, key: string, value: unknown): Promise<void> {
  const d = await idb();
  if (!d) throw new VaultLocked('no_vault');
  const box = await sealFor(userId, value, key);
  await d.put('boxes', { key, userId, savedAt: new Date().toISOString(), box });
}

export async function getBox(key: string): Promise<VaultBox | undefined> {
  return (await idb())?.get('boxes', key);
}

/** True when the account's vault has been out of touch with the server longer than it may be. */
export async function vaultExpired(userId: string, now = new Date()): Promise<boolean> {
  const rec = await vaultRecord(userId);
  if (!rec) return false;
  return now.getTime() - Date.parse(rec.lastContactAt) > rec.wipeAfterHours * 3_600_000;
}

/** Every vault but `keepUserId`'s (all when null), with its boxes; the key in memory goes too. */
export async function wipeVaults(keepUserId: string | null): Promise<string[]> {
  if (opened && opened.userId !== keepUserId) opened = null;
  const d = await idb();
  if (!d) return [];
  const wiped: string[] = [];
  const tx = d.transaction(['vaults', 'boxes'], 'readwrite');
  for (const v of await tx.objectStore('vaults').getAll()) {
    if (v.userId === keepUserId) continue;
    wiped.push(v.userId);
    await tx.objectStore('vaults').delete(v.userId);
  }
  for (const b of await tx.objectStore('boxes').getAll()) if (b.userId !== keepUserId) await tx.objectStore('boxes').delete(b.key);
  await tx.done;
  vaultChanged();
  return wiped;
}

/** The accounts that have a vault on this phone. */
export async function vaultUsers(): Promise<string[]> {
  return ((await (await idb())?.getAll('vaults')) ?? []).map((v) => v.userId);
}
