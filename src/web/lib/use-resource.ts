/**
 * Loads a GET resource for a page, with loading/error state and a reload. `watchAgain` reads it
 * again as the desk watching rather than the user working (a timer's poll): sent with the watch
 * header (api/read.ts `watch`), so it does not keep an unattended session from its idle timeout.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { read, watch } from '../api/read.js';

export interface Resource<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  /** Reads again in the background (a poll, not a user's action). */
  watchAgain: () => void;
}

export function useResource<T>(path: string | null): Resource<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: !!path,
  });
  const [tick, setTick] = useState({ n: 0, watch: false });
  // Only a poll's read of the same path is a watch: a new path is read as the page's own read.
  const lastPath = useRef(path);
  useEffect(() => {
    if (!path) return;
    const byWatch = tick.watch && lastPath.current === path;
    lastPath.current = path;
    const ctl = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    (byWatch ? watch<T> : read<T>)(path, ctl.signal).then(
      (data) => setState({ data, error: undefined, loading: false }),
      (error: unknown) => {
        if (!ctl.signal.aborted) setState({ data: undefined, error, loading: false });
      },
    );
    return () => ctl.abort();
  }, [path, tick]);
  const reload = useCallback(() => setTick((t) => ({ n: t.n + 1, watch: false })), []);
  const watchAgain = useCallback(() => setTick((t) => ({ n: t.n + 1, watch: true })), []);
  return { ...state, reload, watchAgain };
}
