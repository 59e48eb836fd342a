/**
 * The service worker (built by vite-plugin-pwa, see vite.config.ts) keeps the app shell on the
 * phone so the app opens with no network; the outbox then sends what waits once the server
 * answers. A new deploy's worker takes over at once (skipWaiting + clientsClaim); the page then
 * runs old code against new assets, so it reloads — not in the middle of what the user is typing,
 * but at the next move inside the app (`reloadOnNavigation`), or when the user presses "Reload
 * now" on the notice (`useUpdateReady`). Nobody stays on an old version past their next step.
 */
import { useSyncExternalStore } from 'react';

let updateReady = false;
const listeners = new Set<() => void>();

export function startServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  void import('virtual:pwa-register').then(({ registerSW }) =>
    registerSW({
      onNeedReload: () => {
        updateReady = true;
        for (const l of listeners) l();
      },
    }),
  );
}

export function useUpdateReady(): boolean {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => updateReady,
  );
}

/** Called when the app moves to another address: a waiting update is taken there. */
export function reloadOnNavigation(): boolean {
  if (!updateReady) return false;
  location.reload();
  return true;
}
