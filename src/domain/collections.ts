/** Small helpers for the lists the domain indexes by key. */

/** Appends `v` to the list under `k`, starting the list when there is none. */
export function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** The items by key, each list in the order of `items`; items without a key are left out. */
export function groupBy<T, K>(items: Iterable<T>, keyOf: (t: T) => K | undefined): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const t of items) {
    const k = keyOf(t);
    if (k !== undefined) push(out, k, t);
  }
  return out;
}
