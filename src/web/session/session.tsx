/**
 * Who is logged in: the account from /api/auth/me with its roles and permissions per
 * operation. `null` means nobody is; `undefined` means we are still asking.
 */
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { read } from '../api/read.js';
import { ApiError } from '../api/errors.js';
import * as commands from '../api/commands.js';
import type { Me } from '../api/types.js';

interface SessionValue {
  me: Me | null | undefined;
  reload: () => Promise<void>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const reload = useCallback(async () => {
    try {
      setMe(await read<Me>('/api/auth/me'));
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setMe(null);
      else throw err;
    }
  }, []);
  const signOut = useCallback(async () => {
    await commands.logout().catch(() => undefined);
    setMe(null);
  }, []);
  useEffect(() => { void reload(); }, [reload]);
  return <SessionContext value={{ me, reload, signOut }}>{children}</SessionContext>;
}

export function useSession(): SessionValue {
  const v = useContext(SessionContext);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}
