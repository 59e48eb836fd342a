/**
 * Households read on demand and kept for the page's life, so a manifest or a reconciliation
 * list can show names instead of ids (each read is audited by the server, as any record read).
 */
import { useEffect, useRef, useState } from 'react';
import { read } from '../api/read.js';
import type { Household, Person } from '../api/types.js';
import * as api from '../api/endpoints.js';

export function useHouseholds(operationId: string, ids: readonly string[], enabled = true) {
  const [byId, setById] = useState<Map<string, Household>>(new Map());
  const asked = useRef(new Set<string>());
  const key = [...new Set(ids)].sort().join(',');
  useEffect(() => {
    if (!enabled) return;
    const todo = key.split(',').filter((id) => id && !asked.current.has(id));
    if (todo.length === 0) return;
    for (const id of todo) asked.current.add(id);
    void Promise.all(
      todo.map((id) => read<Household>(api.urlOf(api.persons.getHousehold, { operationId, householdId: id })).catch(() => null)),
    ).then((found) =>
      setById((m) => {
        const next = new Map(m);
        for (const h of found) if (h) next.set(h.id, h);
        return next;
      }),
    );
  }, [operationId, key, enabled]);
  const forget = (id: string) => {
    asked.current.delete(id);
    setById((m) => {
      const n = new Map(m);
      n.delete(id);
      return n;
    });
  };
  const persons = new Map<string, Person>();
  for (const h of byId.values()) for (const p of h.members) persons.set(p.id, p);
  return { households: byId, persons, forget };
}
