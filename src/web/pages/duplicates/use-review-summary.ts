/**
 * The review desk's watch on its queue. A registration's duplicate check runs just after the
 * registration is saved (services/matching/duplicate-checks.ts), so pairs keep arriving while a
 * registrar has the desk open. Every few seconds, while the page is visible, it reads how many
 * pairs wait and how many registrations are still being checked (numbers only). `changed` is set
 * when the number of pairs waiting is no longer the one the list was loaded with; the desk then
 * offers to show the list as it is now (or shows it at once when it had nothing on screen: no
 * button moves under a reviewer's finger).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import * as api from '../../api/endpoints.js';
import { watch } from '../../api/read.js';
import type { ResponseOf } from '../../api/endpoints.js';

export type ReviewSummary = ResponseOf<typeof api.matching.duplicateSummary>;

export const SUMMARY_POLL_MS = 3000;

export function useReviewSummary(operationId: string, active: boolean) {
  const [summary, setSummary] = useState<ReviewSummary>();
  /** The number of open pairs when the list was last loaded (undefined: not yet known). */
  const loadedWith = useRef<number | undefined>(undefined);
  const [changed, setChanged] = useState(false);
  const url = api.urlOf(api.matching.duplicateSummary, { operationId });

  const poll = useCallback(async () => {
    try {
      // Watching is not use: an open desk does not keep an unattended session alive.
      const s = await watch<ReviewSummary>(url);
      setSummary(s);
      if (loadedWith.current === undefined) loadedWith.current = s.open;
      else if (s.open !== loadedWith.current) setChanged(true);
    } catch {
      // No network or a refused read: the next poll tries again; the list itself shows its error.
    }
  }, [url]);

  /**
   * Called when the list of open pairs has just been (re)loaded with `shown` pairs. A list shorter
   * than its page holds every open pair, so that is the number to compare with; a full page does
   * not say how many there are, and the next read of the summary is taken as the list's.
   */
  const listLoaded = useCallback(
    (shown: number, fullPage: boolean) => {
      loadedWith.current = fullPage ? undefined : shown;
      setChanged(false);
      void poll();
    },
    [poll],
  );

  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void poll();
    }, SUMMARY_POLL_MS);
    return () => clearInterval(timer);
  }, [active, poll]);

  return { summary, changed, listLoaded };
}
