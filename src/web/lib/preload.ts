/**
 * A lazily loaded page that can be fetched ahead of time. React.lazy suspends on first render
 * even when the chunk is already there, and React holds a revealed Suspense boundary back for
 * up to 300 ms (its fallback throttle); twice on the way to a desk (shell, then desk) that was
 * most of the dashboard's time to interactive. A page made here renders at once when its chunk
 * was preloaded (and has arrived), and falls back to React.lazy otherwise.
 */
import { createElement, lazy, type ComponentType } from 'react';

export interface Preloadable {
  Page: ComponentType;
  /** Starts loading the chunk (once); resolves when it is there. */
  preload: () => Promise<void>;
}

export function preloadable(load: () => Promise<{ default: ComponentType }>): Preloadable {
  let loaded: ComponentType | undefined;
  let pending: Promise<void> | undefined;
  // A failed load (network) is not kept: the next render or preload tries again.
  const preload = () =>
    (pending ??= load().then(
      (m) => {
        loaded = m.default;
      },
      (err: unknown) => {
        pending = undefined;
        throw err;
      },
    ));
  const Lazy = lazy(() => preload().then(() => ({ default: loaded! })));
  function Page() {
    return loaded ? createElement(loaded) : createElement(Lazy);
  }
  return { Page, preload };
}
