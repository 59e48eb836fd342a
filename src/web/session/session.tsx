/**
 * Who is logged in: the account from /api/auth/me with its roles and permissions per
 * operation. `null` means nobody is; `undefined` means we are still asking. When the server
 * cannot be reached (the app opened offline from the service worker), `offline` says so and the
 * question is asked again when the browser is back online and every 10 s; once answered, the
 * outbox knows whose commands to send and sends them.
 */
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { read } from '../api/read.js';
import { ApiError } from '../api/errors.js';
import * as commands from '../api/commands.js';
import type { Me } from '../api/types.js';
import { setOutboxUser } from '../api/outbox.js';

interface SessionValue {
  me: Me | null | undefined;
  offline: boolean;
  reload: () => Promise<void>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [offline, setOffline] = useState(false);
  const reload = useCallback(async () => {
    try {
      setMe(await read<Me>('/api/auth/me'));
      setOffline(false);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) { setMe(null); setOffline(false); } else if (err instanceof ApiError && (err.code === 'network' || err.status >= 500)) setOffline(true);
      else throw err;
    }
  }, []);
  useEffect(() => {
    if (!offline || me !== undefined) return;
    const again = () => void reload();
    const timer = setInterval(again, 10_000);
    addEventListener('online', again);
    return () => { clearInterval(timer); removeEventListener('online', again); };
  }, [offline, me, reload]);
  const signOut = useCallback(async () => {
    await commands.logout().catch(() => undefined);
    setMe(null);
  }, []);
  useEffect(() => { void reload(); }, [reload]);
  // The outbox sends only the commands of the account logged in (a shared phone keeps each one's).
  useEffect(() => { if (me !== undefined) setOutboxUser(me?.id ?? null); }, [me]);
  return <SessionContext value={{ me, offline, reload, signOut }}>{children}</SessionContext>;
}

export function useSession(): SessionValue {
  const v = useContext(SessionContext);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}
