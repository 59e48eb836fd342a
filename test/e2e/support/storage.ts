/**
 * What a page keeps in the browser's storage, read from the test: the offline desks' tests check
 * what is (and is not) on the phone, and wait for it to be written or wiped.
 */
import type { Page } from 'playwright-core';

/** Every record of an IndexedDB store of the page's origin, as JSON text (none when the database or store was never made). */
export const storeText = (page: Page, dbName: string, storeName: string) =>
  page.evaluate(
    ([d, st]) =>
      new Promise<string>((resolve, reject) => {
        const req = indexedDB.open(d!);
        req.onupgradeneeded = () => req.transaction?.abort();
        req.onerror = () => resolve('[]');
        req.onsuccess = () => {
          const db = req.result;
          if (!db.objectStoreNames.contains(st!)) {
            db.close();
            return resolve('[]');
          }
          const all = db.transaction(st!).objectStore(st!).getAll();
          all.onsuccess = () => {
            db.close();
            resolve(JSON.stringify(all.result));
          };
          all.onerror = () => reject(all.error);
        };
      }),
    [dbName, storeName],
  );

/** Checks every 250 ms until the check holds or the tries run out (the caller asserts after). */
export async function until(check: () => Promise<boolean>, tries = 120): Promise<void> {
  for (let i = 0; i < tries && !(await check()); i++) await new Promise((r) => setTimeout(r, 250));
}
