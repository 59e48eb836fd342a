/**
 * The PIN of the phone vault (docs/decisions/021-phone-vault.md): set online after login, it
 * opens the vault after a reload with no network; the last of `PIN_TRIES` wrong PINs wipes what
 * the phone holds. Loaded only with the PIN form (components/vault-pin.tsx, its own chunk).
 */
import * as api from './endpoints.js';
import { ApiError } from './errors.js';
import { wipePhoneNames } from './outbox.js';
import { read } from './read.js';
import { aadOf, idb, markOpened, unlockVault, vaultChanged, VaultLocked, vaultRecord } from './vault.js';
import { importServerKey } from '../lib/vault-crypto.js';
import { unwrapWithPin, wrapWithPin } from '../lib/vault-pin-crypto.js';

/** Wrong PINs in a row before the phone wipes the vault and everything sealed to it. */
export const PIN_TRIES = 5;

async function serverKeyNow(): Promise<CryptoKey> {
  let answer: { key: string | null };
  try {
    answer = await read<{ key: string | null }>(api.urlOf(api.auth.vaultKey));
  } catch (err) {
    if (err instanceof ApiError && err.status === 403) throw new VaultLocked('refused');
    throw new VaultLocked('unreachable');
  }
  if (answer.key === null) throw new VaultLocked('refused');
  return importServerKey(answer.key);
}

/**
 * Sets (or changes) the PIN that opens the vault with no server: the server's key is asked for
 * now (online, after login), the private key opened with it and wrapped again under the PIN.
 */
export async function setVaultPin(userId: string, pin: string): Promise<void> {
  if (!(await vaultRecord(userId))) await unlockVault(userId);
  const serverKey = await serverKeyNow();
  const d = await idb();
  const rec = await d?.get('vaults', userId);
  if (!d || !rec) throw new VaultLocked('no_vault');
  const wrapped = await wrapWithPin(serverKey, rec.wrapped, aadOf(userId), pin);
  await d.put('vaults', { ...rec, pin: wrapped, pinTriesLeft: PIN_TRIES });
  vaultChanged();
}

/**
 * Opens the account's vault with its PIN after an offline reload. A wrong PIN takes a try away;
 * the last one wipes the names this phone holds, as a logout does: the vault, its boxes, the
 * sealed commands.
 */
export async function unlockWithPin(userId: string, pin: string): Promise<{ ok: true } | { ok: false; triesLeft: number; wiped: boolean }> {
  const d = await idb();
  const rec = await d?.get('vaults', userId);
  if (!d || !rec) throw new VaultLocked('no_vault');
  if (!rec.pin) throw new VaultLocked('no_pin');
  let key: CryptoKey;
  try {
    key = await unwrapWithPin(rec.pin, aadOf(userId), pin);
  } catch {
    const triesLeft = Math.max(0, (rec.pinTriesLeft ?? PIN_TRIES) - 1);
    await d.put('vaults', { ...rec, pinTriesLeft: triesLeft });
    if (triesLeft > 0) return { ok: false, triesLeft, wiped: false };
    await wipePhoneNames(null);
    return { ok: false, triesLeft, wiped: true };
  }
  await d.put('vaults', { ...rec, pinTriesLeft: PIN_TRIES });
  markOpened(userId, key);
  return { ok: true };
}
