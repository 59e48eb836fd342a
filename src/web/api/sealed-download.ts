/**
 * A list a desk keeps on the phone for working with no network (the reception's expected people,
 * the convoy board's households to board): read from the server now and every two minutes while
 * the desk is open with a network, and sealed to the phone vault (vault.ts, decision 021) — never
 * in clear in IndexedDB. Offline or refused, the last list stays. The refreshes are background
 * reads (read.ts `watch`): they do not count as use of the session.
 */
import { useEffect } from 'react';
import { useSession } from '../session/session.js';
import { read, watch } from './read.js';
import { putBox, unlockVault, vaultOpen } from './vault.js';

const REFRESH_MS = 120_000;

/** `url` and `box` undefined: nothing to download yet (no site chosen). `tick`: download again now. */
export function useSealedDownload(url: string | undefined, box: string | undefined, enabled: boolean, tick = 0) {
  const { me } = useSession();
  useEffect(() => {
    if (!enabled || !url || !box || !me) return;
    let live = true;
    // The refresh every two minutes is the desk watching, not the user working: it does not keep
    // an unattended session (a phone left open with names) from its idle timeout.
    const fetchList = (background: boolean) =>
      (background ? watch<unknown>(url) : read<unknown>(url))
        // The vault is made at login (session.tsx); a desk opened first makes it here.
        .then(async (list) => {
          if (!live) return;
          if (!vaultOpen(me.id)) await unlockVault(me.id);
          await putBox(me.id, box, list);
        })
        .catch(() => undefined); // offline or refused: the last list stays
    void fetchList(false);
    const timer = setInterval(() => void fetchList(true), REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [url, box, enabled, me, tick]);
}
