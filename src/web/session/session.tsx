/**
 * Who is logged in: the account from /api/auth/me with its roles and permissions per
 * operation. `null` means nobody is; `undefined` means we are still asking. When the server
 * cannot be reached (the app opened offline from the service worker), `offline` says so and the
 * question is asked again when the browser is back online and every 10 s; once answered, the
 * outbox knows whose commands to send and sends them.
 *
 * The checkpoint desk keeps a copy of its convoys on the phone (api/desk-copy-store.ts). Opened
 * with no network, `offlineUser` names the account whose copy is here, so that desk can open from
 * it (and what is logged goes to the outbox under that account). The copies of every other account,
 * and this account's of operations where it no longer logs checkpoints, are deleted once the
 * server says who is logged in, and all of them when nobody is (logged out
 * here or elsewhere, session expired). Logging out with no network deletes the copies at once and
 * ends the server's session as soon as the server can be reached again.
 */
import { createContext, useCallback, useContext, useEffect, useLayoutEffect, useState, type ReactNode } from 'react';
import { read } from '../api/read.js';
import { ApiError } from '../api/errors.js';
import * as commands from '../api/commands.js';
import type { Me } from '../api/types.js';
import { flushOutbox, setOutboxUser } from '../api/outbox.js';
import { allCopies, deleteCopies } from '../api/desk-copy-store.js';
import { wipePhoneNames } from '../api/outbox.js';
import { unlockVault, vaultExpired, VaultLocked } from '../api/vault.js';
import { phoneNamesPermissions } from '../../domain/policy.js';
import * as api from '../api/endpoints.js';
import { setDigitsUser } from '../i18n/digit-style.js';

/** Set when a log-out could not reach the server: the session is ended there before anything else. */
const LOGOUT_PENDING = 'corridor.logout-pending';
const unreachable = (err: unknown) => err instanceof ApiError && (err.code === 'network' || err.status >= 500);

/** The account whose checkpoint copy is on this phone, while the server cannot be reached. */
export interface OfflineUser {
  id: string;
  name: string;
}

interface SessionValue {
  me: Me | null | undefined;
  offline: boolean;
  offlineUser: OfflineUser | undefined;
  reload: () => Promise<void>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [offline, setOffline] = useState(false);
  const [offlineUser, setOfflineUser] = useState<OfflineUser>();
  const goneOffline = useCallback(async () => {
    setOffline(true);
    const newest = localStorage.getItem(LOGOUT_PENDING) ? undefined : (await allCopies().catch(() => []))[0];
    // Out of touch with the server for longer than the vault may be: the names it holds go.
    if (newest && (await vaultExpired(newest.userId).catch(() => false))) await wipePhoneNames(null).catch(() => undefined);
    setOfflineUser(newest && { id: newest.userId, name: newest.userName });
  }, []);
  const reload = useCallback(async () => {
    try {
      if (localStorage.getItem(LOGOUT_PENDING)) {
        await commands.logout().catch((err: unknown) => {
          if (unreachable(err)) throw err;
        });
        localStorage.removeItem(LOGOUT_PENDING);
      }
      const who = await read<Me>(api.urlOf(api.auth.me));
      // Not awaited: the desk need not wait for IndexedDB to open. Kept: this account's copies of the
      // operations where it still logs checkpoints.
      const offlineDesk = (p: string) =>
        p === 'checkpoint.log' || p === 'person.register' || p === 'reception.log' || p === 'convoy.manage';
      const logging = new Set(who.operations.filter((o) => o.permissions.some(offlineDesk)).map((o) => o.operationId));
      void deleteCopies({ userId: who.id, operationIds: logging }).catch(() => undefined);
      void keepVault(who).catch(() => undefined);
      setMe(who);
      setOffline(false);
      setOfflineUser(undefined);
      // Commands logged while the server was away go now, not at the outbox's next timer.
      void flushOutbox();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        void deleteCopies(null).catch(() => undefined);
        setMe(null);
        setOffline(false);
        setOfflineUser(undefined);
      } else if (unreachable(err)) await goneOffline();
      else throw err;
    }
  }, [goneOffline]);
  useEffect(() => {
    if (!offline || me !== undefined) return;
    const again = () => void reload();
    const timer = setInterval(again, 10_000);
    addEventListener('online', again);
    return () => {
      clearInterval(timer);
      removeEventListener('online', again);
    };
  }, [offline, me, reload]);
  const signOut = useCallback(async () => {
    // The copy and the names go first: whatever the network does, they are not left for the next person.
    await deleteCopies(null).catch(() => undefined);
    await wipePhoneNames(null).catch(() => undefined);
    setOfflineUser(undefined);
    // This account's waiting commands stay on the phone, sent when it logs in here again (docs/web.md).
    setOutboxUser(null);
    const ended = await commands.logout().then(
      () => true,
      (err: unknown) => !unreachable(err),
    );
    if (!ended) localStorage.setItem(LOGOUT_PENDING, '1');
    setMe(ended ? null : undefined);
    if (!ended) setOffline(true);
  }, []);
  useEffect(() => {
    void reload();
  }, [reload]);
  // The outbox sends only the commands of the account logged in (a shared phone keeps each one's).
  // Offline, what the checkpoint desk logs from its copy belongs to the account the copy is of.
  useEffect(() => {
    if (me !== undefined) setOutboxUser(me?.id ?? null);
    else if (offlineUser) setOutboxUser(offlineUser.id);
  }, [me, offlineUser]);
  // The digits this account chose (i18n/digit-style.ts), before the desk is painted.
  useLayoutEffect(() => {
    if (me !== undefined) setDigitsUser(me?.id ?? null);
    else if (offlineUser) setDigitsUser(offlineUser.id);
  }, [me, offlineUser]);
  return <SessionContext value={{ me, offline, offlineUser, reload, signOut }}>{children}</SessionContext>;
}

/**
 * The phone vault of the account the server says is logged in: other accounts' vaults are wiped;
 * this one's is made or opened (its key asked for now, while the server answers) when a desk of the
 * account keeps names on the phone, and wiped when none does any more (a role taken away).
 */
async function keepVault(who: Me): Promise<void> {
  await wipePhoneNames(who.id);
  const holdsNames = who.operations.some((o) => phoneNamesPermissions.some((p) => (o.permissions as string[]).includes(p)));
  if (!holdsNames) return wipePhoneNames(null);
  try {
    await unlockVault(who.id);
  } catch (err) {
    if (err instanceof VaultLocked && err.why === 'refused') await wipePhoneNames(null);
  }
}

export function useSession(): SessionValue {
  const v = useContext(SessionContext);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}
